package io.vcex.methods.gcd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.generator.LatentGenerator;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;

/**
 * How GCD gets, for one image, the generator that decodes moved codes of that image. A diffusion
 * autoencoder decodes z_sem with the image's own x_T kept fixed (GCD sec. 3: "x_T is computed ...
 * and kept fixed"), so its anchoring runs the DDIM inversion of each image; a GAN or autoencoder
 * has nothing per image, and {@link #fixed} anchors to the same generator every time.
 */
public interface Anchoring {

    /** @return the generator's name and hashes, for provenance */
    ModelInfo info();

    /** @return the images the anchored generators make (and {@link #anchor} takes) */
    ImageSpec imageSpec();

    /** @return a short description of the generator and its adapters, for results */
    String description();

    /**
     * @param scope owns what the anchored generator keeps (x_T); it must outlive the generator's use
     * @param image 1 x C x H x W in [0, 1], of {@link #imageSpec()}
     * @return the image's code and a generator that decodes codes with the image's fixed parts
     */
    Anchored anchor(NDManager scope, NDArray image);

    /**
     * One image's place in the latent space.
     *
     * @param generator decodes codes with the image's fixed parts
     * @param code the image's code z (flattened)
     */
    record Anchored(LatentGenerator generator, float[] code) {
    }

    /**
     * @param generator a generator with nothing per image (GAN, autoencoder)
     * @return an anchoring that encodes the image and answers that generator
     */
    static Anchoring fixed(LatentGenerator generator) {
        return new Anchoring() {
            @Override
            public ModelInfo info() {
                return generator.info();
            }

            @Override
            public ImageSpec imageSpec() {
                return generator.imageSpec();
            }

            @Override
            public String description() {
                return generator.info().name();
            }

            @Override
            public Anchored anchor(NDManager scope, NDArray image) {
                try (NDManager s = scope.newSubManager()) {
                    NDArray x = image.duplicate();
                    x.attach(s);
                    return new Anchored(generator, generator.encode(x).toFloatArray());
                }
            }
        };
    }

    /**
     * @param inner an anchoring whose images are smaller than the classifier's
     * @param factor the ratio of sides, 1, 2 or 4 (see {@link ResizedGenerator})
     * @return the same anchoring seen through a resize: it takes and makes images {@code factor}
     *     times larger
     */
    static Anchoring resized(Anchoring inner, int factor) {
        if (factor == 1) {
            return inner;
        }
        return new Anchoring() {
            @Override
            public ModelInfo info() {
                return inner.info();
            }

            @Override
            public ImageSpec imageSpec() {
                return ResizedGenerator.scaled(inner.imageSpec(), factor);
            }

            @Override
            public String description() {
                return inner.description() + " " + ResizedGenerator.adapterName(factor);
            }

            @Override
            public Anchored anchor(NDManager scope, NDArray image) {
                try (NDManager s = scope.newSubManager()) {
                    NDArray x = image.duplicate();
                    x.attach(s);
                    NDArray small = ResizedGenerator.shrink(x, factor);
                    Anchored a = inner.anchor(scope, small);
                    return new Anchored(new ResizedGenerator(a.generator(), factor), a.code());
                }
            }
        };
    }
}
