package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.vcex.core.context.Rng;

/**
 * StyleGAN's fully connected layer with an equalised learning rate (Karras et al. 2019/2020), as
 * StyleCLIP's mapper and CF-CLIP's text mappers use it: the stored weight W is drawn from
 * N(0, 1) / c and the layer computes y = c (x W / sqrt(in) + b) for the learning-rate multiplier
 * c. With Adam, whose steps do not depend on the gradient's scale, the effective weights then move
 * c times slower than the stored ones: c = 0.01 is how CF-CLIP trains at learning rate 0.5.
 * Optionally followed by StyleGAN's "fused" leaky ReLU, sqrt(2) lrelu(y, 0.2).
 *
 * <p>The weight is stored in x out (transposed) so that {@code x.matMul(W)} keeps the activation
 * the first operand of every operation (see {@link Params}). A stacked layer holds G independent
 * layers in one G x in x out weight and maps a G x B x in input with one batched product: G
 * separate networks at the cost of one call.
 */
final class EqualLinear {
    private static final float SLOPE = 0.2f;
    private static final float GAIN = (float) Math.sqrt(2);

    private final NDArray weight;
    private final NDArray bias;
    private final float inverseSqrtIn;
    private final float lrMultiplier;
    private final boolean activation;

    /**
     * @param params where the weight and bias are created
     * @param name the layer's name (parameters are name.weight and name.bias)
     * @param stack G, the number of independent layers held together, or 0 for one plain layer
     * @param in input features
     * @param out output features
     * @param lrMultiplier c
     * @param activation whether the fused leaky ReLU follows
     * @param zero whether the weight starts at zero (a residual branch then starts at the identity)
     * @param rng draws the weight
     */
    EqualLinear(Params params, String name, int stack, int in, int out, float lrMultiplier, boolean activation, boolean zero,
            Rng rng) {
        float[] w = new float[Math.max(1, stack) * in * out];
        if (!zero) {
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (rng.nextGaussian() / lrMultiplier);
            }
        }
        this.weight = params.add(name + ".weight", w, stack == 0 ? new Shape(in, out) : new Shape(stack, in, out));
        this.bias = params.add(name + ".bias", new float[Math.max(1, stack) * out], stack == 0 ? new Shape(out)
                : new Shape(stack, 1, out));
        this.inverseSqrtIn = (float) (1 / Math.sqrt(in));
        this.lrMultiplier = lrMultiplier;
        this.activation = activation;
    }

    /**
     * @param x B x in, or G x B x in for a stacked layer
     * @return B x out (G x B x out), in x's scope
     */
    NDArray forward(NDArray x) {
        // c (x W / sqrt(in) + b): the activation stays the first operand
        NDArray y = x.matMul(weight).mul(inverseSqrtIn).add(bias).mul(lrMultiplier);
        return activation ? Activation.leakyRelu(y, SLOPE).mul(GAIN) : y;
    }
}
