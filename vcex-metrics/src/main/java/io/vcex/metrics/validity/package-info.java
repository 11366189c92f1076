/** Metrics: validity. */
package io.vcex.metrics.validity;
