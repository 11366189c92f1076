package io.vcex.core.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;

/**
 * A generator with an encoder: images to latent codes and back. GCD works in any such latent
 * (a diffusion autoencoder's semantic code, a GAN's W+, an autoencoder's bottleneck).
 */
public interface LatentGenerator {

    /** @return name and file hashes for provenance */
    ModelInfo info();

    /** @return the images it makes (values in [0, 1]) */
    ImageSpec imageSpec();

    /** @return the shape of one latent code, without the batch axis */
    Shape latentShape();

    /**
     * @param images NCHW batch in [0, 1]
     * @return the codes (N x latentShape), in the images' scope
     */
    NDArray encode(NDArray images);

    /**
     * @param latents codes (N x latentShape)
     * @return NCHW images in [0, 1], in the latents' scope; differentiable when the generator is
     */
    NDArray decode(NDArray latents);
}
