package io.vcex.methods.cfclip;

import io.vcex.core.config.Check;
import io.vcex.core.context.Rng;

/**
 * The shape of a trained mapper, stored with it: enough to rebuild the network before loading its
 * weights.
 *
 * @param tem whether TEM feeds the mapper
 * @param numWs L, the rows of the generator's W+
 * @param wDim D, the length of a row
 * @param embeddingDim the CLIP embedding length (TEM's input)
 * @param mapperLayers layers per StyleCLIP mapper group
 * @param temLayers layers per TEM text mapper
 * @param lrMultiplier the equalised learning-rate multiplier
 * @param residualScale s of w' = w + s M(w, e^t)
 */
public record MapperArchitecture(boolean tem, int numWs, int wDim, int embeddingDim, int mapperLayers, int temLayers,
        double lrMultiplier, double residualScale) {

    /** Validates; errors name the field. */
    public MapperArchitecture {
        Check.range("numWs", numWs, 1, 1024);
        Check.range("wDim", wDim, 1, 1 << 16);
        Check.range("embeddingDim", embeddingDim, 1, 1 << 16);
        Check.range("mapperLayers", mapperLayers, 1, 16);
        Check.range("temLayers", temLayers, 1, 16);
        Check.positive("lrMultiplier", lrMultiplier);
        Check.positive("residualScale", residualScale);
    }

    /**
     * @param config the training settings
     * @param numWs the generator's W+ rows
     * @param wDim the generator's row length
     * @param embeddingDim the text-image encoder's embedding length
     * @return the architecture they imply
     */
    public static MapperArchitecture of(CfClipConfig config, int numWs, int wDim, int embeddingDim) {
        return new MapperArchitecture(config.tem(), numWs, wDim, embeddingDim, config.mapperLayers(), config.temLayers(),
                config.lrMultiplier(), config.residualScale());
    }

    /**
     * @param params where the weights are created
     * @param rng draws the initial weights
     * @return the network
     */
    ResidualMapper build(Params params, Rng rng) {
        return tem ? new TemMapper(params, this, rng) : new PlainMapper(params, this, rng);
    }
}
