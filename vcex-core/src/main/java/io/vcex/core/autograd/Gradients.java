package io.vcex.core.autograd;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.vcex.core.VcexException;
import java.util.function.Function;

/**
 * Gradients of a scalar with respect to an input tensor, done the one way that is safe with the
 * engine (see ENGINE-NOTES): a fresh leaf copy of the input every call (gradients accumulate on a
 * reused leaf), one collector at a time (collectors cannot nest), everything the forward pass
 * makes attached to a scope that closes before returning.
 */
public final class Gradients {

    private Gradients() {
    }

    /**
     * @param output scope that receives the gradient
     * @param x the point (not modified, needs no gradient flag)
     * @param scalar the function; must return a one-element tensor
     * @return d scalar / d x, same shape as x, in {@code output}
     */
    public static NDArray of(NDManager output, NDArray x, Function<NDArray, NDArray> scalar) {
        return valueAndGradient(output, x, scalar).gradient();
    }

    /**
     * @param output scope that receives the gradient
     * @param x the point
     * @param scalar the function; must return a one-element tensor
     * @return the function's value and its gradient
     */
    public static ValueAndGradient valueAndGradient(NDManager output, NDArray x, Function<NDArray, NDArray> scalar) {
        try (NDManager scope = output.newSubManager()) {
            NDArray leaf = x.duplicate();
            leaf.attach(scope);
            leaf.setRequiresGradient(true);
            float value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = scalar.apply(leaf);
                if (y.size() != 1) {
                    throw new VcexException("A gradient needs a scalar objective but the function returned shape " + y.getShape());
                }
                value = y.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat();
                collector.backward(y);
            }
            NDArray g = leaf.getGradient().duplicate();
            g.attach(output);
            return new ValueAndGradient(value, g);
        }
    }

    /**
     * @param value f(x)
     * @param gradient grad f(x)
     */
    public record ValueAndGradient(float value, NDArray gradient) {
    }
}
