package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import io.vcex.core.context.Rng;

/**
 * The ablation "w/o TEM" (CF-CLIP sec. 5.4.1), which is StyleCLIP's mapper: the coarse / medium /
 * fine mapping networks read w itself, M_t(w); the target text reaches the mapper only through the
 * loss.
 */
final class PlainMapper implements ResidualMapper {
    private final LatentMapper mapper;

    /**
     * @param params where the weights are created
     * @param a the architecture
     * @param rng draws the weights
     */
    PlainMapper(Params params, MapperArchitecture a, Rng rng) {
        this.mapper = new LatentMapper(params, "mapper", a.numWs(), a.wDim(), a.mapperLayers(), (float) a.lrMultiplier(),
                rng.derive("mapper"));
    }

    @Override
    public NDArray residual(NDArray wPlus, float[] textEmbedding) {
        return mapper.forward(wPlus);
    }
}
