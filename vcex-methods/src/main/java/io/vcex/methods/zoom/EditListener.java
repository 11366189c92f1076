package io.vcex.methods.zoom;

import io.vcex.core.image.ImageData;

/**
 * Receives every optimised edit with its images as soon as its batch is done, so that callers can
 * keep counterfactuals of many images (counterfactual training, grids) without the result holding
 * them all.
 */
@FunctionalInterface
public interface EditListener {

    /**
     * @param edit the edit (its own image fields may be null for images not kept)
     * @param original the generated image
     * @param counterfactual the edited image
     */
    void accept(ZoomResult.Edit edit, ImageData original, ImageData counterfactual);
}
