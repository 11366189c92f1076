package io.vcex.core.classifier;

/** How a classifier's raw outputs turn into class probabilities. */
public enum OutputKind {
    /** One logit per class; probabilities by softmax. */
    SOFTMAX,
    /**
     * One logit z for a binary decision between class 0 and class 1: p(class 1) = sigmoid(z),
     * p(class 0) = 1 - p(class 1). The spec has two class names and the model one output.
     */
    BINARY_LOGIT,
    /** One independent logit per attribute (multi-label, as an oracle); each by sigmoid. */
    MULTI_LABEL,
    /** The outputs are already probabilities (summing to 1), as many black-box APIs answer. */
    PROBABILITIES;

    /**
     * @param classes number of class names
     * @return the number of raw outputs the model gives
     */
    public int outputs(int classes) {
        return this == BINARY_LOGIT ? 1 : classes;
    }

    /**
     * @param raw the raw outputs of one image
     * @return the class probabilities (one per class name)
     */
    public float[] probabilities(float[] raw) {
        switch (this) {
            case SOFTMAX: {
                double max = Double.NEGATIVE_INFINITY;
                for (float v : raw) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                double[] e = new double[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    e[i] = Math.exp(raw[i] - max);
                    sum += e[i];
                }
                float[] p = new float[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    p[i] = (float) (e[i] / sum);
                }
                return p;
            }
            case BINARY_LOGIT: {
                float p1 = sigmoid(raw[0]);
                return new float[] {1f - p1, p1};
            }
            case MULTI_LABEL: {
                float[] p = new float[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    p[i] = sigmoid(raw[i]);
                }
                return p;
            }
            default:
                return raw.clone();
        }
    }

    /**
     * @param x a logit
     * @return 1 / (1 + exp(-x)), computed without overflow
     */
    public static float sigmoid(float x) {
        return x >= 0 ? (float) (1 / (1 + Math.exp(-x))) : (float) (Math.exp(x) / (1 + Math.exp(x)));
    }
}
