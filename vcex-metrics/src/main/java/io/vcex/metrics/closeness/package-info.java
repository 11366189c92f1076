/** Metrics: closeness. */
package io.vcex.metrics.closeness;
