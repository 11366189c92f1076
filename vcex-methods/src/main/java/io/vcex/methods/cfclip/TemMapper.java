package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import io.vcex.core.context.Rng;

/**
 * CF-CLIP's mapper (Fig. 2): the text embedding mapping fuses e^t with w (eq. 8-9) and
 * StyleCLIP's coarse / medium / fine mapper turns the fused e^f into the residual, M_t(e^f)
 * (eq. 10).
 */
final class TemMapper implements ResidualMapper {
    private final TextEmbeddingMapping tem;
    private final LatentMapper mapper;

    /**
     * @param params where the weights are created
     * @param a the architecture
     * @param rng draws the weights
     */
    TemMapper(Params params, MapperArchitecture a, Rng rng) {
        float c = (float) a.lrMultiplier();
        this.tem = new TextEmbeddingMapping(params, a.numWs(), a.wDim(), a.embeddingDim(), a.temLayers(), c, rng.derive("tem"));
        this.mapper = new LatentMapper(params, "mapper", a.numWs(), a.wDim(), a.mapperLayers(), c, rng.derive("mapper"));
    }

    @Override
    public NDArray residual(NDArray wPlus, float[] textEmbedding) {
        return mapper.forward(tem.forward(wPlus, textEmbedding)); // M_t(M_f(M_e(e^t) (+) w))
    }
}
