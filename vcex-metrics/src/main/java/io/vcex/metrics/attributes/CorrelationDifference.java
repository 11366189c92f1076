package io.vcex.metrics.attributes;

import io.vcex.core.VcexException;
import io.vcex.metrics.Evaluation;
import io.vcex.metrics.Metric;
import io.vcex.metrics.MetricResult;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * CD, correlation difference (Jeanneret et al. 2022): for the target attribute t and every other
 * oracle attribute a, the Pearson correlation of t and a over the originals (the data set's
 * correlation) against the correlation of the changes delta_t and delta_a over the pairs; CD is
 * the sum over a of their absolute differences. Oracle outputs are thresholded at 0.5. Attributes
 * whose values or changes are constant contribute their data-set correlation against 0. Lower
 * means the counterfactuals change attributes together the way the data does.
 */
public final class CorrelationDifference implements Metric {

    @Override
    public String name() {
        return "cd";
    }

    @Override
    public java.util.Set<Requirement> requires() {
        return java.util.EnumSet.of(Requirement.ORACLE, Requirement.TARGET_ATTRIBUTE);
    }

    @Override
    public int minPairs() {
        return 2;
    }

    @Override
    public String description() {
        return "sum over attributes of |data-set correlation with the target - correlation of their changes|; lower is better";
    }

    /**
     * @param x values
     * @param y values
     * @return the Pearson correlation, or 0 when either side is constant
     */
    public static double pearson(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    @Override
    public MetricResult compute(Evaluation e) {
        String[] names = e.oracleNames(name());
        String target = e.targetAttribute();
        int t = Arrays.asList(names).indexOf(target);
        if (t < 0) {
            throw new VcexException("Metric 'cd' needs the target attribute among the oracle's outputs; got '" + target
                    + "' (use --target-attribute with one of " + Arrays.toString(names) + ")");
        }
        float[][] a = e.oracleOriginals(name());
        float[][] b = e.oracleCounterfactuals(name());
        int n = e.size();
        double[] valueT = new double[n];
        double[] deltaT = new double[n];
        for (int i = 0; i < n; i++) {
            valueT[i] = a[i][t] > 0.5f ? 1 : 0;
            deltaT[i] = (b[i][t] > 0.5f ? 1 : 0) - valueT[i];
        }
        double cd = 0;
        Map<String, Double> details = new TreeMap<>();
        for (int k = 0; k < names.length; k++) {
            if (k == t) {
                continue;
            }
            double[] value = new double[n];
            double[] delta = new double[n];
            for (int i = 0; i < n; i++) {
                value[i] = a[i][k] > 0.5f ? 1 : 0;
                delta[i] = (b[i][k] > 0.5f ? 1 : 0) - value[i];
            }
            double diff = Math.abs(pearson(valueT, value) - pearson(deltaT, delta));
            cd += diff;
            if (diff > 0.05) {
                details.put("difference[" + names[k] + "]", diff);
            }
        }
        return new MetricResult(name(), cd, null, details);
    }
}
