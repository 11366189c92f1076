package io.vcex.metrics.realism;

import io.vcex.core.stats.FrechetDistance;
import io.vcex.metrics.Evaluation;
import io.vcex.metrics.Metric;
import io.vcex.metrics.MetricResult;
import java.util.Map;

/**
 * sFID (Jeanneret et al. 2022): FID without the advantage of pairing each counterfactual with its
 * own original. The pairs are split into two random halves (a permutation from the context's
 * {@code "sfid"} stream, so the figure is reproducible); the figure is the mean of FID(real first
 * half, counterfactual second half) and FID(real second half, counterfactual first half). Lower is
 * better.
 */
public final class SplitFid implements Metric {

    @Override
    public String name() {
        return "sfid";
    }

    @Override
    public java.util.Set<Requirement> requires() {
        return java.util.EnumSet.of(Requirement.FEATURES);
    }

    @Override
    public int minPairs() {
        return 4;
    }

    @Override
    public String description() {
        return "split FID: real and counterfactual halves from different pairs, averaged over both splits; lower is better";
    }

    @Override
    public MetricResult compute(Evaluation e) {
        float[][] real = e.referenceFeatures(name());
        float[][] cf = e.counterfactualFeatures(name());
        int n = Math.min(real.length, cf.length);
        int half = n / 2;
        int[] order = e.context().rng("sfid").permutation(n);
        float[][] realA = pick(real, order, 0, half);
        float[][] realB = pick(real, order, half, 2 * half);
        float[][] cfA = pick(cf, order, 0, half);
        float[][] cfB = pick(cf, order, half, 2 * half);
        double one = FrechetDistance.between(realA, cfB);
        double two = FrechetDistance.between(realB, cfA);
        return new MetricResult(name(), (one + two) / 2, null, Map.of("split_1", one, "split_2", two));
    }

    private static float[][] pick(float[][] rows, int[] order, int from, int to) {
        float[][] out = new float[to - from][];
        for (int k = from; k < to; k++) {
            out[k - from] = rows[order[k]];
        }
        return out;
    }
}
