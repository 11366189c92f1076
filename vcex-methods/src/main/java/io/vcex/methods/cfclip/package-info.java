/**
 * CF-CLIP: text-driven counterfactual image manipulation (Yu, Zhan, Wu, Zhang, Lu, Cui, Xie, Hua and
 * Miao, "Towards Counterfactual Image Manipulation via CLIP", ACM MM 2022), with the baselines of
 * its ablation. {@link io.vcex.methods.cfclip.CfClipTrainer} trains a latent mapper for one target
 * text; {@link io.vcex.methods.cfclip.CfClipMapper} is the trained edit (one forward pass);
 * {@link io.vcex.methods.cfclip.ClipNceLoss} is eq. 4-7, {@link
 * io.vcex.methods.cfclip.GlobalClipLoss} eq. 1 and {@link io.vcex.methods.cfclip.DirectionalClipLoss}
 * eq. 2; {@link io.vcex.methods.cfclip.PerspectiveAugmentation} is eq. 3; the mapper is TEM (eq. 8-9)
 * then StyleCLIP's coarse / medium / fine mapper (eq. 10), or the latter alone without TEM;
 * {@link io.vcex.methods.cfclip.CfClipConfig} holds the paper's defaults.
 */
package io.vcex.methods.cfclip;
