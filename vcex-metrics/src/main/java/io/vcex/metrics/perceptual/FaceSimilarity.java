package io.vcex.metrics.perceptual;

import io.vcex.metrics.Evaluation;
import io.vcex.metrics.Metric;
import io.vcex.metrics.MetricResult;
import java.util.Map;

/**
 * Face similarity (FS) and face-verification accuracy (FVA) (Jeanneret et al. 2022): the cosine
 * similarity of identity embeddings of each original and its counterfactual; FS is its mean, FVA
 * the share above 0.5. Higher means the counterfactual is more the same person.
 */
public final class FaceSimilarity implements Metric {
    /** Cosine above which two faces are verified as one person. */
    public static final double THRESHOLD = 0.5;

    @Override
    public String name() {
        return "face_similarity";
    }

    @Override
    public java.util.Set<Requirement> requires() {
        return java.util.EnumSet.of(Requirement.FEATURES);
    }

    @Override
    public String description() {
        return "mean cosine of identity embeddings (FS), with the share above 0.5 (FVA) in the details; higher is better";
    }

    @Override
    public MetricResult compute(Evaluation e) {
        var f = e.requireFeatures(name());
        double[] cos = e.pairwise(f.imageSpec(), "face similarity",
                (a, b) -> f.identity(a).mul(f.identity(b)).sum(new int[] {1}));
        int verified = 0;
        for (double c : cos) {
            verified += c > THRESHOLD ? 1 : 0;
        }
        MetricResult m = MetricResult.mean(name(), cos);
        return new MetricResult(name(), m.value(), cos, Map.of("fva", (double) verified / cos.length));
    }
}
