package io.vcex.core.classifier;

/**
 * A classifier's answer for a batch, as plain Java arrays: nothing here can carry a gradient back
 * into the model.
 *
 * @param raw raw outputs, one row per image (logits, or probabilities for black-box APIs)
 * @param probabilities class probabilities, one row per image, one column per class name
 */
public record Scores(float[][] raw, float[][] probabilities) {

    /**
     * @param kind how raw outputs become probabilities
     * @param raw raw outputs, one row per image
     * @return the scores
     */
    public static Scores fromRaw(OutputKind kind, float[][] raw) {
        float[][] p = new float[raw.length][];
        for (int i = 0; i < raw.length; i++) {
            p[i] = kind.probabilities(raw[i]);
        }
        return new Scores(raw, p);
    }

    /** @return number of images */
    public int size() {
        return probabilities.length;
    }

    /**
     * @param image index in the batch
     * @return the most probable class
     */
    public int predicted(int image) {
        float[] p = probabilities[image];
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * @param image index in the batch
     * @param cls class index
     * @return the probability of that class
     */
    public float probability(int image, int cls) {
        return probabilities[image][cls];
    }
}
