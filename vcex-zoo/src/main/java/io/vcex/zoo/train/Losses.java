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

    /**
     * NT-Xent (Chen et al. 2020, SimCLR): rows {@code i} and {@code i + B} of the 2B embeddings are a
     * positive pair; every other row is a negative. With unit embeddings u and temperature tau,
     * l_i = -log( exp(u_i . u_p(i) / tau) / sum_{k != i} exp(u_i . u_k / tau) ), averaged over the 2B rows.
     *
     * @param embeddings 2B x d, not necessarily normalised
     * @param temperature tau
     * @return the mean loss
     */
    public static NDArray ntXent(NDArray embeddings, float temperature) {
        long twoB = embeddings.getShape().get(0);
        long b = twoB / 2;
        NDArray u = embeddings.div(embeddings.norm(new int[] {1}, true).add(1e-12f));
        NDArray sim = u.matMul(u.transpose()).div(temperature);
        sim = sim.sub(embeddings.getManager().eye((int) twoB).mul(1e9f));
        float[] targets = new float[(int) twoB];
        for (int i = 0; i < twoB; i++) {
            targets[i] = i < b ? i + b : i - b;
        }
        return crossEntropy(sim, embeddings.getManager().create(targets));
    }
}
