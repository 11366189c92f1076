package io.vcex.metrics.attribution;

/**
 * Complexity (Bhatt et al. 2020, as Quantus computes it): the entropy (natural log) of the
 * fractional contributions |a_i| / sum |a|. Lower is simpler.
 */
public final class Complexity implements AttributionMetric {

    @Override
    public String name() {
        return "complexity";
    }

    @Override
    public double compute(float[] attribution) {
        double sum = 0;
        for (float v : attribution) {
            sum += Math.abs(v);
        }
        if (sum == 0) {
            return 0;
        }
        double h = 0;
        for (float v : attribution) {
            double p = Math.abs(v) / sum;
            if (p > 0) {
                h -= p * Math.log(p);
            }
        }
        return h;
    }
}
