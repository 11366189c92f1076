package io.vcex.metrics.diversity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.context.VcexContext;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import java.util.ArrayList;
import java.util.List;

/**
 * Diversity of several counterfactuals of one image: the mean pairwise perceptual distance between
 * them (as in DiVE and DiME). Higher means the explanations show more different ways to change the
 * decision.
 */
public final class Diversity {

    private Diversity() {
    }

    /**
     * @param ctx scopes
     * @param features the feature network
     * @param counterfactuals at least two counterfactuals of one image
     * @return the mean perceptual distance over all unordered pairs
     */
    public static double of(VcexContext ctx, ImageFeatures features, List<ImageData> counterfactuals) {
        int n = counterfactuals.size();
        if (n < 2) {
            throw new IllegalArgumentException("diversity needs at least two counterfactuals, got " + n);
        }
        List<ImageData> left = new ArrayList<>();
        List<ImageData> right = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                left.add(counterfactuals.get(i));
                right.add(counterfactuals.get(j));
            }
        }
        try (NDManager scope = ctx.newScope()) {
            NDArray a = ImageTensors.toBatch(scope, left, ValueRange.UNIT);
            NDArray b = ImageTensors.toBatch(scope, right, ValueRange.UNIT);
            return features.perceptualDistance(a, b).mean().getFloat();
        }
    }
}
