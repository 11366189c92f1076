package io.vcex.core.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.context.Rng;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import java.util.List;

/**
 * A StyleGAN-like generator whose per-layer style channels can be read and edited (ZOOM,
 * CF-CLIP): W+ codes go to styles through per-layer affine maps, styles to images through the
 * synthesis network; an encoder inverts images into W+.
 */
public interface StyleGenerator {

    /** @return name and file hashes for provenance */
    ModelInfo info();

    /** @return the images it makes (values in [0, 1]) */
    ImageSpec imageSpec();

    /** @return the style layers in synthesis order */
    List<StyleLayer> styleLayers();

    /** @return the length of one w vector */
    int wDim();

    /** @return how many w vectors a W+ code has (one per synthesis layer input) */
    int numWs();

    /**
     * @param manager scope of the result
     * @param rng the random stream
     * @param count how many
     * @param truncation psi in [0, 1]: w = w_avg + psi (w - w_avg)
     * @return W+ codes, count x numWs x wDim
     */
    NDArray sampleWPlus(NDManager manager, Rng rng, int count, float truncation);

    /**
     * @param wPlus N x numWs x wDim
     * @return the style channels of every layer (differentiable)
     */
    StyleCode styles(NDArray wPlus);

    /**
     * @param styles style channels, as from {@link #styles}
     * @return NCHW images in [0, 1] (differentiable)
     */
    NDArray synthesize(StyleCode styles);

    /**
     * @param images NCHW batch in [0, 1] of {@link #imageSpec()}
     * @return their W+ codes (N x numWs x wDim)
     */
    NDArray encode(NDArray images);
}
