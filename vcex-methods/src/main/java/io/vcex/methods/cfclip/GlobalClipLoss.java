package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * StyleCLIP's global CLIP loss, the first baseline of CF-CLIP's ablation (sec. 3.2.1, eq. 1):
 * L_global = 1 - cos(E_I(I_edit), E_T(t_tgt)), here on every augmented view, averaged.
 */
public final class GlobalClipLoss implements ClipLoss {

    @Override
    public String name() {
        return "global";
    }

    @Override
    public NDArray loss(NDArray edited, NDArray source, PromptEmbeddings prompts) {
        ClipLoss.views(edited, source);
        NDArray tgt = edited.getManager().create(prompts.target(), new Shape(1, prompts.dim()));
        NDArray cos = ClipLoss.unit(edited).mul(ClipLoss.unit(tgt)).sum(new int[] {1});
        return cos.neg().add(1f).mean();
    }
}
