/** Statistics shared by metrics and model evaluation (Frechet distance between Gaussians). */
package io.vcex.core.stats;
