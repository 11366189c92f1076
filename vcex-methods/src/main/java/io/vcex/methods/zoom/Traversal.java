package io.vcex.methods.zoom;

import io.vcex.core.image.ImageData;
import java.util.List;

/**
 * Images along one global edit direction at fixed weights (appendix Figs. 9-10: w from -30 to
 * 30), with the classifier's probabilities of each.
 *
 * @param attribute the attribute
 * @param weights the edit weights, in order
 * @param samples the images' sample numbers
 * @param images per sample, one image per weight
 * @param probabilities per sample and weight, the classifier's probabilities
 */
public record Traversal(Attribute attribute, float[] weights, int[] samples, List<List<ImageData>> images,
        float[][][] probabilities) {

    /** Copies the lists. */
    public Traversal {
        images = images.stream().map(List::copyOf).toList();
    }
}
