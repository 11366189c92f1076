/**
 * ZOOM, zero-shot model diagnosis (Luo et al., CVPR 2023): a classifier's sensitivity to
 * attributes named in text, from counterfactuals a style generator makes along text-defined
 * StyleSpace directions, without labelled test data.
 *
 * <p>One class per step: {@link io.vcex.methods.zoom.ChannelRelevance} (StyleCLIP's channel
 * relevance, cached with provenance in a {@link io.vcex.methods.zoom.RelevanceMatrix}), {@link
 * io.vcex.methods.zoom.AttributePrompts} and {@link io.vcex.methods.zoom.TextDirection} (prompts and
 * delta_t), {@link io.vcex.methods.zoom.EditDirection} (eq. 2: threshold and normalisation),
 * {@code EditWeightOptimizer} (the per-image flip optimisation, SGD or PGD), {@link
 * io.vcex.methods.zoom.Sensitivity} (the histogram's numbers); {@link io.vcex.methods.zoom.Zoom}
 * composes them. {@link io.vcex.methods.zoom.CounterfactualTraining} fine-tunes a classifier on its
 * own counterfactuals and {@link io.vcex.methods.zoom.PromptStability} compares diagnoses under
 * reworded prompts (appendix A.3). {@link io.vcex.methods.zoom.ZoomConfig} holds the authors'
 * defaults.
 */
package io.vcex.methods.zoom;
