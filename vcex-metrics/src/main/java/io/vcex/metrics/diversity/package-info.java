/** Metrics: diversity. */
package io.vcex.metrics.diversity;
