package io.vcex.zoo.train;

import ai.djl.ndarray.NDArray;

/** Losses, written out so their numerics are explicit. */
public final class Losses {

    private Losses() {
    }

    /**
     * Binary cross-entropy with logits, elementwise, stable for large |z|:
     * max(z, 0) - z y + log(1 + exp(-|z|)).
     *
     * @param logits z
     * @param targets y in {0, 1} (or soft targets in [0, 1]), same shape
     * @return the elementwise loss
     */
    public static NDArray bceWithLogits(NDArray logits, NDArray targets) {
        return logits.maximum(0f).sub(logits.mul(targets)).add(logits.abs().neg().exp().add(1f).log());
    }

    /**
     * Cross-entropy of softmax logits against integer classes, averaged over the batch.
     *
     * @param logits N x K
     * @param classes N class indices (int or float)
     * @return the mean loss
     */
    public static NDArray crossEntropy(NDArray logits, NDArray classes) {
        NDArray logp = logits.logSoftmax(1);
        NDArray picked = logp.mul(classes.toType(ai.djl.ndarray.types.DataType.INT64, false)
                .oneHot((int) logits.getShape().get(1)).toType(logp.getDataType(), false)).sum(new int[] {1});
        return picked.neg().mean();
    }
}
