package io.vcex.metrics.realism;

import io.vcex.metrics.Evaluation;
import io.vcex.metrics.Metric;
import io.vcex.metrics.MetricResult;
import java.util.Arrays;
import java.util.Map;

/**
 * sFID (Jeanneret et al. 2022): FID without the advantage of pairing each counterfactual with its
 * own original. The pairs are split into halves by index; the figure is the mean of
 * FID(real first half, counterfactual second half) and FID(real second half, counterfactual first
 * half). Lower is better.
 */
public final class SplitFid implements Metric {

    @Override
    public String name() {
        return "sfid";
    }

    @Override
    public String description() {
        return "split FID: real and counterfactual halves from different pairs, averaged over both splits; lower is better";
    }

    @Override
    public MetricResult compute(Evaluation e) {
        float[][] real = e.referenceFeatures(name());
        float[][] cf = e.counterfactualFeatures(name());
        int half = Math.min(real.length, cf.length) / 2;
        double one = FrechetDistance.between(Arrays.copyOfRange(real, 0, half), Arrays.copyOfRange(cf, half, 2 * half));
        double two = FrechetDistance.between(Arrays.copyOfRange(real, half, 2 * half), Arrays.copyOfRange(cf, 0, half));
        return new MetricResult(name(), (one + two) / 2, null, Map.of("split_1", one, "split_2", two));
    }
}
