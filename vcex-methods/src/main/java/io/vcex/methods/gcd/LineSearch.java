package io.vcex.methods.gcd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.generator.LatentGenerator;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;

/**
 * The line search of GCD eq. 5: the codes z - s_i v for a grid of steps s_i are decoded in
 * batches and scored by the black-box classifier; among the valid counterfactuals (decision
 * flipped) the one with the smallest counterfactual loss wins. The probabilities along the grid
 * are kept: they are the controllability curve of appendix D.2.
 */
public final class LineSearch {

    private LineSearch() {
    }

    /**
     * @param n points
     * @param low first
     * @param high last
     * @return n values spaced uniformly from low to high (low alone when n = 1)
     */
    public static double[] grid(int n, double low, double high) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = n == 1 ? low : low + (high - low) * i / (n - 1);
        }
        return s;
    }

    /**
     * The search's findings.
     *
     * @param steps the grid
     * @param probability p(image's class) at each step
     * @param loss the counterfactual loss at each step
     * @param valid whether each step flips the decision
     * @param best index of the chosen step, or -1 when no step is valid
     * @param counterfactual the chosen image (null when none is valid, or when not kept)
     */
    public record Outcome(double[] steps, double[] probability, double[] loss, boolean[] valid, int best,
            ImageData counterfactual) {

        /** @return whether some step gave a valid counterfactual */
        public boolean found() {
            return best >= 0;
        }

        /** @return the chosen step (NaN when none) */
        public double bestStep() {
            return best >= 0 ? steps[best] : Double.NaN;
        }

        /** @return the chosen loss (+infinity when none) */
        public double bestLoss() {
            return best >= 0 ? loss[best] : Double.POSITIVE_INFINITY;
        }
    }

    /**
     * @param scope parent scope for the batches' temporaries
     * @param generator the image's anchored generator
     * @param code the image's code z
     * @param direction v
     * @param steps the grid s_i
     * @param loss the image's counterfactual loss
     * @param decodeBatch codes per generator call
     * @param keepImage whether to return the chosen image
     * @return the outcome
     */
    public static Outcome search(NDManager scope, LatentGenerator generator, float[] code, float[] direction,
            double[] steps, CounterfactualLoss loss, int decodeBatch, boolean keepImage) {
        int n = steps.length;
        int d = code.length;
        double[] prob = new double[n];
        double[] lossValues = new double[n];
        boolean[] valid = new boolean[n];
        int best = -1;
        ImageData bestImage = null;
        for (int from = 0; from < n; from += decodeBatch) {
            int k = Math.min(decodeBatch, n - from);
            float[] flat = new float[k * d];
            for (int j = 0; j < k; j++) {
                float s = (float) steps[from + j];
                for (int i = 0; i < d; i++) {
                    flat[j * d + i] = code[i] - s * direction[i];
                }
            }
            try (NDManager s = scope.newSubManager()) {
                NDArray images = generator.decode(s.create(flat, new Shape(k, d)));
                CounterfactualLoss.Values v = loss.evaluate(images);
                int bestHere = -1;
                for (int j = 0; j < k; j++) {
                    int i = from + j;
                    prob[i] = v.probability()[j];
                    lossValues[i] = v.loss(j);
                    valid[i] = v.valid(j);
                    if (valid[i] && (best < 0 || lossValues[i] < lossValues[best])) {
                        best = i;
                        bestHere = j;
                    }
                }
                if (keepImage && bestHere >= 0) {
                    bestImage = ImageTensors.fromBatch(images.get(bestHere + ":" + (bestHere + 1)), ValueRange.UNIT).get(0);
                }
            }
        }
        return new Outcome(steps.clone(), prob, lossValues, valid, best, bestImage);
    }

    /**
     * @param outcomes candidates (for example one per h-direction)
     * @return the index of the valid outcome with the smallest loss, or -1 (the paper's "h-directions
     *     combined": per image, the best of several directions)
     */
    public static int bestOf(Outcome... outcomes) {
        int best = -1;
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i].found() && (best < 0 || outcomes[i].bestLoss() < outcomes[best].bestLoss())) {
                best = i;
            }
        }
        return best;
    }
}
