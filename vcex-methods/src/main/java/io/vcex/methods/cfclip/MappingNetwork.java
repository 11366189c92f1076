package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import io.vcex.core.context.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * StyleGAN's mapping network as StyleCLIP's mapper uses it: pixel normalisation,
 * x / sqrt(mean(x^2) + 1e-8), then fully connected layers with equalised learning rate and fused
 * leaky ReLU ({@link EqualLinear}). The first layer maps the input width to the output width. A
 * stacked network holds G independent networks evaluated together (CF-CLIP's per-layer text
 * mappers).
 */
final class MappingNetwork {
    private final List<EqualLinear> layers = new ArrayList<>();

    /**
     * @param params where the weights are created
     * @param name prefix of the parameter names
     * @param stack G independent networks held together, or 0 for one network
     * @param in input width
     * @param width output (and hidden) width
     * @param depth number of layers
     * @param lrMultiplier the equalised learning-rate multiplier
     * @param residualOutput true: the last layer is linear and starts at zero, so the network
     *     starts as the zero map (used for the residual Delta w); false: every layer has the
     *     activation and random weights, as in StyleCLIP's mapper
     * @param rng draws the weights
     */
    MappingNetwork(Params params, String name, int stack, int in, int width, int depth, float lrMultiplier,
            boolean residualOutput, Rng rng) {
        for (int l = 0; l < depth; l++) {
            boolean last = l == depth - 1;
            layers.add(new EqualLinear(params, name + "." + l, stack, l == 0 ? in : width, width, lrMultiplier,
                    !(last && residualOutput), last && residualOutput, rng.derive(l)));
        }
    }

    /**
     * @param x B x in, or G x B x in when stacked
     * @return B x width (G x B x width), in x's scope
     */
    NDArray forward(NDArray x) {
        int last = x.getShape().dimension() - 1;
        NDArray h = x.div(x.square().mean(new int[] {last}, true).add(1e-8f).sqrt()); // pixel norm
        for (EqualLinear layer : layers) {
            h = layer.forward(h);
        }
        return h;
    }
}
