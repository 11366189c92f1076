package io.vcex.metrics.attributes;

import io.vcex.metrics.Evaluation;
import io.vcex.metrics.Metric;
import io.vcex.metrics.MetricResult;
import java.util.Map;

/**
 * MNAC, mean number of attributes changed (Rodriguez et al. 2021): how many of the oracle's
 * attributes (thresholded at 0.5) differ between an original and its counterfactual, the
 * attribute the counterfactual was meant to change left out when it is known. Lower means a more
 * targeted change.
 */
public final class Mnac implements Metric {

    @Override
    public String name() {
        return "mnac";
    }

    @Override
    public java.util.Set<Requirement> requires() {
        return java.util.EnumSet.of(Requirement.ORACLE);
    }

    @Override
    public String description() {
        return "number of oracle attributes (threshold 0.5) changed, besides the target attribute; lower is better";
    }

    @Override
    public MetricResult compute(Evaluation e) {
        String[] names = e.oracleNames(name());
        float[][] a = e.oracleOriginals(name());
        float[][] b = e.oracleCounterfactuals(name());
        String target = e.targetAttribute();
        double[] v = new double[e.size()];
        double[] perAttribute = new double[names.length];
        for (int i = 0; i < v.length; i++) {
            for (int k = 0; k < names.length; k++) {
                if ((a[i][k] > 0.5f) != (b[i][k] > 0.5f)) {
                    perAttribute[k]++;
                    if (!names[k].equals(target)) {
                        v[i]++;
                    }
                }
            }
        }
        MetricResult m = MetricResult.mean(name(), v);
        Map<String, Double> details = new java.util.TreeMap<>();
        for (int k = 0; k < names.length; k++) {
            if (perAttribute[k] > 0) {
                details.put("changed[" + names[k] + "]", perAttribute[k] / v.length);
            }
        }
        return new MetricResult(name(), m.value(), v, details);
    }
}
