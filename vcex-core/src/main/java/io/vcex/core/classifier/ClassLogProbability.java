package io.vcex.core.classifier;

import ai.djl.ndarray.NDArray;

/**
 * The differentiable log-probability log p(y_i | x_i) of a chosen class per image, from a white-box
 * classifier's raw outputs, for every {@link OutputKind}: log-softmax for softmax heads,
 * log-sigmoid of +z or -z for a binary logit, log-sigmoid of the attribute's logit for multi-label
 * heads, and the log of given probabilities.
 */
public final class ClassLogProbability {

    private ClassLogProbability() {
    }

    /**
     * @param spec the classifier's spec
     * @param raw raw outputs, N x spec.outputs()
     * @param classes the class index per image (indices of the spec's class names)
     * @param temperature divides the logits first (1: none)
     * @return log p(class_i | image_i), N values, differentiable
     */
    public static NDArray of(ClassifierSpec spec, NDArray raw, int[] classes, float temperature) {
        int n = classes.length;
        NDArray z = temperature == 1f ? raw : raw.div(temperature);
        switch (spec.outputKind()) {
            case BINARY_LOGIT: {
                // p(class 1) = sigmoid(z), p(class 0) = sigmoid(-z)
                float[] sign = new float[n];
                for (int i = 0; i < n; i++) {
                    sign[i] = classes[i] == 1 ? 1f : -1f;
                }
                NDArray signed = z.reshape(n).mul(z.getManager().create(sign));
                return logSigmoid(signed);
            }
            case MULTI_LABEL:
                return logSigmoid(pick(z, classes));
            case PROBABILITIES:
                return pick(raw, classes).add(1e-12f).log();
            default:
                return pick(z.logSoftmax(1), classes);
        }
    }

    /**
     * log sigmoid(x) = min(x, 0) - log(1 + exp(-|x|)), finite with a finite gradient for every x
     * (the naive -log(1 + exp(-x)) overflows for logits below about -88, and its gradient is then
     * inf / inf).
     *
     * @param x logits
     * @return log sigmoid(x)
     */
    public static NDArray logSigmoid(NDArray x) {
        return x.minimum(0f).sub(x.abs().neg().exp().add(1f).log());
    }

    private static NDArray pick(NDArray values, int[] classes) {
        int n = classes.length;
        int k = (int) values.getShape().get(1);
        float[] mask = new float[n * k];
        for (int i = 0; i < n; i++) {
            mask[i * k + classes[i]] = 1f;
        }
        return values.mul(values.getManager().create(mask).reshape(n, k)).sum(new int[] {1});
    }
}
