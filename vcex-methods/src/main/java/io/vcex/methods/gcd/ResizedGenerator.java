package io.vcex.methods.gcd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.generator.LatentGenerator;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.provenance.ModelInfo;

/**
 * An explicit resize between a generator and a classifier of another resolution: decoded images
 * are up-sampled by bilinear 2x steps ({@link ImageTensors#upsample2x}, differentiable) and images
 * to encode are area down-sampled ({@link ImageTensors#downsample}). The GCD paper does the same
 * for its out-of-distribution experiment (appendix D.6: inputs resized for the DiffAE and back).
 * The adapter is part of the generator's name in results, so it is never hidden.
 */
public final class ResizedGenerator implements LatentGenerator {
    private final LatentGenerator inner;
    private final int factor;

    /**
     * @param inner the generator
     * @param factor side ratio, 1, 2 or 4
     */
    public ResizedGenerator(LatentGenerator inner, int factor) {
        if (factor != 1 && factor != 2 && factor != 4) {
            throw new VcexException("A resizing adapter supports factors 1, 2 and 4, not " + factor);
        }
        this.inner = inner;
        this.factor = factor;
    }

    /**
     * @param factor the ratio
     * @return how the adapter is named in results
     */
    static String adapterName(int factor) {
        return "+ bilinear up-sampling x" + factor + " (area down-sampling to encode)";
    }

    static ImageSpec scaled(ImageSpec s, int factor) {
        return new ImageSpec(s.channels(), s.height() * factor, s.width() * factor);
    }

    static NDArray shrink(NDArray images, int factor) {
        return ImageTensors.downsample(images, factor);
    }

    static NDArray grow(NDArray images, int factor) {
        NDArray x = images;
        for (int f = factor; f > 1; f /= 2) {
            x = ImageTensors.upsample2x(x);
        }
        return x;
    }

    /** @return the side ratio */
    public int factor() {
        return factor;
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo(inner.info().name() + " " + adapterName(factor), inner.info().fileSha256());
    }

    @Override
    public ImageSpec imageSpec() {
        return scaled(inner.imageSpec(), factor);
    }

    @Override
    public Shape latentShape() {
        return inner.latentShape();
    }

    @Override
    public NDArray encode(NDArray images) {
        return inner.encode(shrink(images, factor));
    }

    @Override
    public NDArray decode(NDArray latents) {
        return grow(inner.decode(latents), factor).clip(0f, 1f);
    }
}
