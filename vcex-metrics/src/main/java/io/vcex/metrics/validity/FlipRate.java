package io.vcex.metrics.validity;

import io.vcex.metrics.Evaluation;
import io.vcex.metrics.Metric;
import io.vcex.metrics.MetricResult;

/** Share of counterfactuals the classifier assigns to their target class. Higher is better. */
public final class FlipRate implements Metric {

    @Override
    public String name() {
        return "flip_rate";
    }

    @Override
    public java.util.Set<Requirement> requires() {
        return java.util.EnumSet.of(Requirement.CLASSIFIER);
    }

    @Override
    public String description() {
        return "share of counterfactuals classified as their target class; higher is better";
    }

    @Override
    public MetricResult compute(Evaluation e) {
        int[] target = e.targetClasses();
        var cf = e.counterfactualScores();
        double[] v = new double[e.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = cf.predicted(i) == target[i] ? 1 : 0;
        }
        return MetricResult.mean(name(), v);
    }
}
