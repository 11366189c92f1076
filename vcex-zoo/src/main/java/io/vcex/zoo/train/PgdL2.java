package io.vcex.zoo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.autograd.Gradients;
import io.vcex.core.config.Check;
import io.vcex.core.context.Rng;
import java.util.function.Function;

/**
 * Projected gradient descent in the l2 ball (Madry et al. 2018): from a random start inside the
 * ball, {@code steps} steps of size {@code stepSize} along the normalised gradient of the loss,
 * each followed by projection onto the ball of radius {@code epsilon} around the clean image and
 * onto the image range [0, 1]. Radii are in [0, 1] pixel units over all C*H*W values.
 *
 * @param epsilon the l2 radius
 * @param steps attack steps
 * @param stepSize l2 length of each step
 */
public record PgdL2(double epsilon, int steps, double stepSize) {

    /** Validates. */
    public PgdL2 {
        Check.positive("epsilon", epsilon);
        Check.positive("steps", steps);
        Check.positive("stepSize", stepSize);
    }

    /**
     * @param scope scope of the result
     * @param images clean NCHW batch in [0, 1]
     * @param loss per-batch loss to increase (a scalar: the sum over the batch, so each image's
     *     gradient is its own)
     * @param rng random start
     * @return adversarial images in the ball and in [0, 1]
     */
    public NDArray attack(NDManager scope, NDArray images, Function<NDArray, NDArray> loss, Rng rng) {
        long n = images.getShape().get(0);
        NDArray delta = rng.normal(scope, images.getShape());
        delta = project(delta.mul(rng.uniform(0, 1) * epsilon / Math.sqrt(images.size() / n)), n);
        for (int k = 0; k < steps; k++) {
            NDArray x = images.add(delta).clip(0f, 1f);
            NDArray g = Gradients.of(scope, x, loss);
            NDArray norm = g.reshape(n, -1).norm(new int[] {1}, true).add(1e-12f).reshape(n, 1, 1, 1);
            delta = project(x.add(g.div(norm).mul((float) stepSize)).sub(images), n);
        }
        return images.add(delta).clip(0f, 1f);
    }

    private NDArray project(NDArray delta, long n) {
        NDArray norm = delta.reshape(n, -1).norm(new int[] {1}, true).reshape(n, 1, 1, 1);
        NDArray factor = norm.maximum((float) epsilon).pow(-1f).mul((float) epsilon);
        return delta.mul(factor);
    }
}
