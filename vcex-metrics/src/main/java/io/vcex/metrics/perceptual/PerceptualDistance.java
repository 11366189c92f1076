package io.vcex.metrics.perceptual;

import io.vcex.metrics.Evaluation;
import io.vcex.metrics.Metric;
import io.vcex.metrics.MetricResult;

/**
 * LPIPS-like closeness: the feature network's perceptual distance between each original and its
 * counterfactual (see {@link io.vcex.core.features.ImageFeatures#perceptualDistance}). Lower is
 * closer. Not the published LPIPS; comparable within vcex only.
 */
public final class PerceptualDistance implements Metric {

    @Override
    public String name() {
        return "lpips";
    }

    @Override
    public java.util.Set<Requirement> requires() {
        return java.util.EnumSet.of(Requirement.FEATURES);
    }

    @Override
    public String description() {
        return "LPIPS-like distance from normalised multi-layer features of vcex's feature network; lower is closer";
    }

    @Override
    public MetricResult compute(Evaluation e) {
        var f = e.requireFeatures(name());
        return MetricResult.mean(name(), e.pairwise(f.imageSpec(), "perceptual distance", f::perceptualDistance));
    }
}
