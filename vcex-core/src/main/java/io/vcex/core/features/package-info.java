/** The feature-network role: Frechet features, perceptual distance, identity embedding. */
package io.vcex.core.features;
