package io.vcex.metrics.validity;

import io.vcex.metrics.Evaluation;
import io.vcex.metrics.Metric;
import io.vcex.metrics.MetricResult;

/** Mean probability of the target class on the counterfactuals (DVCE Table 1). Higher is better. */
public final class TargetConfidence implements Metric {

    @Override
    public String name() {
        return "target_confidence";
    }

    @Override
    public java.util.Set<Requirement> requires() {
        return java.util.EnumSet.of(Requirement.CLASSIFIER);
    }

    @Override
    public String description() {
        return "mean classifier probability of the target class on the counterfactuals; higher is better";
    }

    @Override
    public MetricResult compute(Evaluation e) {
        int[] target = e.targetClasses();
        var cf = e.counterfactualScores();
        double[] v = new double[e.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = cf.probability(i, target[i]);
        }
        return MetricResult.mean(name(), v);
    }
}
