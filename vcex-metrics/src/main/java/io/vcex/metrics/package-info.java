/**
 * Metrics of counterfactual explanations, one small class each behind {@link io.vcex.metrics.Metric},
 * computed over an {@link io.vcex.metrics.Evaluation}: validity (flip rate, target confidence,
 * COUT), closeness (l1, l1.5, l2, SSIM, LPIPS-like), realism (FID, sFID with vcex's feature
 * network), identity (face similarity, FVA), attribute changes (MNAC, CD by an oracle), and metrics
 * of attribution maps and of diversity.
 */
package io.vcex.metrics;
