/** Metrics: realism. */
package io.vcex.metrics.realism;
