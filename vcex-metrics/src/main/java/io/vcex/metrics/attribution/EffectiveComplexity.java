package io.vcex.metrics.attribution;

/**
 * Effective complexity (Nguyen and Martinez 2020, as Quantus computes it): the number of values
 * with |a_i| above a threshold (1e-5 by default). Lower is simpler.
 *
 * @param threshold eps
 */
public record EffectiveComplexity(double threshold) implements AttributionMetric {

    /** @return the metric with Quantus's default threshold 1e-5 */
    public static EffectiveComplexity standard() {
        return new EffectiveComplexity(1e-5);
    }

    @Override
    public String name() {
        return "effective_complexity";
    }

    @Override
    public double compute(float[] attribution) {
        int n = 0;
        for (float v : attribution) {
            n += Math.abs(v) > threshold ? 1 : 0;
        }
        return n;
    }
}
