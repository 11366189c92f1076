package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;

/**
 * The network that proposes the latent edit: M(w, e^t), whose scaled output is added to w
 * (eq. 10). {@link TemMapper} is CF-CLIP's (TEM, then StyleCLIP's mapper); {@link PlainMapper} is
 * the ablation without TEM (StyleCLIP's mapper on w alone).
 */
public interface ResidualMapper {

    /**
     * @param wPlus N x L x D latent codes
     * @param textEmbedding e^t, the raw CLIP embedding of the target text (ignored without TEM)
     * @return M(w, e^t), N x L x D, in wPlus's scope; differentiable with respect to the weights
     */
    NDArray residual(NDArray wPlus, float[] textEmbedding);
}
