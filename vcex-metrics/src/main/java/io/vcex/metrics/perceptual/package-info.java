/** Metrics: perceptual. */
package io.vcex.metrics.perceptual;
