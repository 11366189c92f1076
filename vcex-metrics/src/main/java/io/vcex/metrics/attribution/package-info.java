/** Metrics: attribution. */
package io.vcex.metrics.attribution;
