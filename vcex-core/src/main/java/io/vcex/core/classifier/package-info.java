/**
 * The classifier role: black-box (scores only) and white-box (differentiable logits).
 */
package io.vcex.core.classifier;
