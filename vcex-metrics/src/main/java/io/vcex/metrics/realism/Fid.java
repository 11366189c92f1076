package io.vcex.metrics.realism;

import io.vcex.core.stats.FrechetDistance;
import io.vcex.metrics.Evaluation;
import io.vcex.metrics.Metric;
import io.vcex.metrics.MetricResult;
import java.util.Map;

/**
 * FID-like realism: the Frechet distance between feature-network features of real images (the
 * originals unless a reference set is given) and of the counterfactuals. Lower is more realistic.
 * With vcex's feature network the values are comparable within vcex only, not with published FIDs.
 */
public final class Fid implements Metric {

    @Override
    public String name() {
        return "fid";
    }

    @Override
    public java.util.Set<Requirement> requires() {
        return java.util.EnumSet.of(Requirement.FEATURES);
    }

    @Override
    public int minPairs() {
        return 2;
    }

    @Override
    public String description() {
        return "Frechet distance between feature-network features of real images and counterfactuals; lower is better";
    }

    @Override
    public MetricResult compute(Evaluation e) {
        float[][] real = e.referenceFeatures(name());
        float[][] cf = e.counterfactualFeatures(name());
        return new MetricResult(name(), FrechetDistance.between(real, cf), null,
                Map.of("real_count", (double) real.length, "counterfactual_count", (double) cf.length));
    }
}
