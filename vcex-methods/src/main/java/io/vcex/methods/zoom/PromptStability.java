package io.vcex.methods.zoom;

import io.vcex.core.VcexException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Stability of ZOOM's diagnosis under rewording (appendix A.3, Fig. 2): the same attributes
 * phrased several ways ({@link AttributePrompts} variants) should give similar sensitivity
 * histograms. Compares the histograms pairwise: Spearman rank correlation (ties get mean ranks),
 * the largest absolute difference of one attribute's sensitivity, and whether the most sensitive
 * attribute is the same under every phrasing.
 */
public final class PromptStability {

    private PromptStability() {
    }

    /**
     * @param attributes the attributes, in order
     * @param variants a name per phrasing (for example its phrases)
     * @param sensitivities per phrasing, per attribute
     * @param meanSpearman mean pairwise rank correlation
     * @param minSpearman the smallest pairwise rank correlation
     * @param maxAbsDifference the largest |difference| of one attribute's sensitivity between two phrasings
     * @param top the most sensitive attribute under each phrasing
     * @param sameTop whether it is the same under every phrasing
     */
    public record Report(List<String> attributes, List<String> variants, double[][] sensitivities, double meanSpearman,
            double minSpearman, double maxAbsDifference, List<String> top, boolean sameTop) {
    }

    /**
     * @param variants a name per phrasing
     * @param results per phrasing, attribute to sensitivity, with the same attributes in the same order
     * @return the comparison
     */
    public static Report compare(List<String> variants, List<Map<String, Double>> results) {
        if (results.size() < 2 || variants.size() != results.size()) {
            throw new VcexException("A stability report compares at least two phrasings, each with a name; got "
                    + results.size() + " results and " + variants.size() + " names");
        }
        List<String> attributes = List.copyOf(results.get(0).keySet());
        double[][] s = new double[results.size()][];
        for (int v = 0; v < results.size(); v++) {
            if (!List.copyOf(results.get(v).keySet()).equals(attributes)) {
                throw new VcexException("Phrasing '" + variants.get(v) + "' has attributes " + results.get(v).keySet()
                        + " but the first has " + attributes);
            }
            s[v] = results.get(v).values().stream().mapToDouble(Double::doubleValue).toArray();
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double maxDiff = 0;
        int pairs = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = i + 1; j < s.length; j++) {
                double r = spearman(s[i], s[j]);
                sum += r;
                min = Math.min(min, r);
                pairs++;
                for (int k = 0; k < attributes.size(); k++) {
                    maxDiff = Math.max(maxDiff, Math.abs(s[i][k] - s[j][k]));
                }
            }
        }
        List<String> top = new ArrayList<>();
        for (double[] row : s) {
            int best = 0;
            for (int k = 1; k < row.length; k++) {
                if (row[k] > row[best]) {
                    best = k;
                }
            }
            top.add(attributes.get(best));
        }
        boolean same = top.stream().distinct().count() == 1;
        return new Report(attributes, List.copyOf(variants), s, sum / pairs, min, maxDiff, top, same);
    }

    /**
     * @param a values
     * @param b values of the same length
     * @return Spearman's rank correlation (Pearson correlation of the ranks, ties at mean ranks);
     *     NaN when either is constant
     */
    public static double spearman(double[] a, double[] b) {
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElse(0);
        double mb = Arrays.stream(rb).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < ra.length; i++) {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    static double[] ranks(double[] x) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < x.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Double.compare(x[p], x[q]));
        double[] r = new double[x.length];
        for (int i = 0; i < x.length;) {
            int j = i;
            while (j + 1 < x.length && x[order[j + 1]] == x[order[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = mean;
            }
            i = j + 1;
        }
        return r;
    }
}
