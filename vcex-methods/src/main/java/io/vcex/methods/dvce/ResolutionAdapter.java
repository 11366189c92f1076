package io.vcex.methods.dvce;

import ai.djl.ndarray.NDArray;
import io.vcex.core.VcexException;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.image.ImageTensors;

/**
 * Joins a diffusion model that works at a lower resolution than the classifier (the zoo's 32x32
 * diffusion model and 64x64 classifiers). The original x_hat is area-reduced by the factor
 * f = classifier side / model side (a power of two) for the diffusion model; what the model
 * proposes is applied to the full-resolution original as a residual,
 * x_classifier = x_hat + up(x_model - down(x_hat)), with bilinear 2x up-sampling. So an
 * unchanged region keeps the original's full detail, and the classifier is guided on exactly the
 * image the explanation returns. With f = 1 the adapter is the identity.
 *
 * @param factor f
 */
public record ResolutionAdapter(int factor) {

    /**
     * @param model the diffusion model's images
     * @param classifier the classifier's input
     * @return the adapter
     * @throws VcexException when channels differ or the sides are not a power-of-two multiple
     */
    public static ResolutionAdapter between(ImageSpec model, ImageSpec classifier) {
        if (model.channels() != classifier.channels()) {
            throw new VcexException("The diffusion model makes " + model + " images but the classifier takes " + classifier
                    + ": the channels differ");
        }
        int f = classifier.height() / model.height();
        boolean ok = model.height() == model.width() && classifier.height() == classifier.width()
                && f * model.height() == classifier.height() && Integer.bitCount(f) == 1;
        if (!ok) {
            throw new VcexException("The diffusion model works at " + model + " but the classifier takes " + classifier
                    + "; DVCE needs the classifier's side to be the model's side times a power of two (1, 2, 4, ...)");
        }
        return new ResolutionAdapter(f);
    }

    /**
     * @param original x_hat, N x C x H x W in [0, 1]
     * @return down(x_hat) in [0, 1], at the model's side
     */
    public NDArray down(NDArray original) {
        return ImageTensors.downsample(original, factor);
    }

    /**
     * @param modelImage the model's image in [0, 1]
     * @param original x_hat at full resolution
     * @param reduced down(x_hat)
     * @return the classifier's image, x_hat + up(modelImage - reduced) (differentiable)
     */
    public NDArray up(NDArray modelImage, NDArray original, NDArray reduced) {
        if (factor == 1) {
            return modelImage;
        }
        NDArray delta = modelImage.sub(reduced);
        for (int f = factor; f > 1; f /= 2) {
            delta = ImageTensors.upsample2x(delta);
        }
        return delta.add(original); // the result belongs to delta's (the caller's step) scope
    }
}
