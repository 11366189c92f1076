package io.vcex.methods.zoom;

import java.util.Arrays;

/**
 * The numbers behind ZOOM's sensitivity histogram (appendix Fig. 4): per attribute the sum over
 * images of |p_final - p_initial| (the probability of the class the classifier gave the original),
 * normalised so that the attributes' values sum to 1. The histogram of edit weights (the
 * distribution of the optimised w per attribute) is made here too.
 */
public final class Sensitivity {

    private Sensitivity() {
    }

    /**
     * @param values per attribute, its non-negative values over images (|delta p|, or |w|)
     * @return per attribute, its sum divided by the sum over all attributes (all zeros when
     *     every value is zero)
     */
    public static double[] normalisedSums(double[][] values) {
        double[] sums = new double[values.length];
        double total = 0;
        for (int a = 0; a < values.length; a++) {
            for (double v : values[a]) {
                sums[a] += Math.abs(v);
            }
            total += sums[a];
        }
        if (total == 0) {
            return new double[values.length];
        }
        for (int a = 0; a < sums.length; a++) {
            sums[a] /= total;
        }
        return sums;
    }

    /**
     * @param initial p_initial per image
     * @param fin p_final per image
     * @return |p_final - p_initial| per image
     */
    public static double[] absoluteChange(float[] initial, float[] fin) {
        double[] out = new double[initial.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.abs(fin[i] - initial[i]);
        }
        return out;
    }

    /**
     * A histogram of values in [-bound, bound] with equal bins; values on a bin's upper edge go to
     * the upper bin, the bound itself to the last.
     *
     * @param values the values
     * @param bound half-width of the range
     * @param bins how many bins
     * @return counts per bin, from -bound upwards
     */
    public static int[] histogram(double[] values, double bound, int bins) {
        int[] counts = new int[bins];
        for (double v : values) {
            int b = (int) Math.floor((v + bound) / (2 * bound) * bins);
            counts[Math.max(0, Math.min(bins - 1, b))]++;
        }
        return counts;
    }

    /**
     * @param values values
     * @return their mean (NaN for none)
     */
    public static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).sum() / values.length;
    }
}
