package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * StyleGAN-NADA's directional CLIP loss, the second baseline of CF-CLIP's ablation (sec. 3.2.2,
 * eq. 2): Delta T = E_T(t_tgt) - E_T(t_src), Delta I = E_I(I_edit) - E_I(I_src), L_dir = 1 -
 * cos(Delta I, Delta T); image embeddings unit length first (as NADA's code), on every augmented
 * view against its unaugmented source, averaged.
 */
public final class DirectionalClipLoss implements ClipLoss {

    @Override
    public String name() {
        return "directional";
    }

    @Override
    public NDArray loss(NDArray edited, NDArray source, PromptEmbeddings prompts) {
        long views = ClipLoss.views(edited, source);
        NDManager scope = edited.getManager();
        int e = prompts.dim();
        NDArray deltaT = scope.create(prompts.target(), new Shape(1, e)).sub(scope.create(prompts.source(), new Shape(1, e)));
        NDArray deltaI = ClipLoss.unit(edited).sub(ClipLoss.perView(ClipLoss.unit(source), views));
        NDArray cos = ClipLoss.unit(deltaI).mul(ClipLoss.unit(deltaT)).sum(new int[] {1});
        return cos.neg().add(1f).mean();
    }
}
