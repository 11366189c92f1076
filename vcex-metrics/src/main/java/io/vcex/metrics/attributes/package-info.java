/** Metrics: attributes. */
package io.vcex.metrics.attributes;
