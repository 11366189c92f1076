package io.vcex.core.generator;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The style channels of a batch: one (N x channels) tensor per {@link StyleLayer}, in layer order.
 * This is StyleSpace (Wu et al. 2021), where ZOOM edits single channels.
 *
 * @param layers one tensor per style layer
 */
public record StyleCode(List<NDArray> layers) {

    /** Copies the list. */
    public StyleCode {
        layers = List.copyOf(layers);
    }

    /**
     * @param delta an edit of the same layout (per layer N x channels, or 1 x channels to broadcast)
     * @param weight its scale
     * @return this + weight * delta, layer by layer
     */
    public StyleCode plus(StyleCode delta, float weight) {
        List<NDArray> out = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            out.add(layers.get(i).add(delta.layers.get(i).mul(weight)));
        }
        return new StyleCode(out);
    }
}
