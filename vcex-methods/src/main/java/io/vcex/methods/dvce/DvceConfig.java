package io.vcex.methods.dvce;

import io.vcex.core.config.Check;
import io.vcex.core.config.ConfigException;
import java.util.List;

/**
 * DVCE's settings; every default is the paper's (Augustin et al. 2022, sec. 3.3 and 4) or, where
 * the text is silent, the authors' configuration (see REFERENCE-NOTES). A null field takes its
 * default.
 *
 * @param respacedSteps steps of the respaced schedule (paper: T = 200 from 1000)
 * @param reverseSteps reverse steps actually run, from the original noised to that depth (paper:
 *     T/2 = 100, the "late start" of sec. 3.1)
 * @param classifierScale C_c of eq. 12 (0.1)
 * @param distanceScale C_d of eq. 12 (0.15)
 * @param distance d of eq. 11-12: "l1" (paper), "l2", or "lpips+l2" (blended diffusion's
 *     regulariser: C_d LPIPS + 10 C_d l2, Fig. 2; needs a feature network)
 * @param coneAngle alpha of the cone projection in degrees (30)
 * @param coneVariant "paper" (projection of the robust gradient onto the cone, sec. 3.2) or "code"
 *     (the authors' code: the explained gradient tilted by tan(alpha) towards the robust one)
 * @param meanNorm the scale of eq. 13: "paper" (||mu_theta(x_t, t)||_2) or "code" (the authors'
 *     code: ||eps_theta(x_t, t)||_2)
 * @param augmentations copies of the denoised image whose classifier gradients are averaged (the
 *     first unaugmented); null: 16 with a cone (the authors' setting), 1 without
 * @param temperature divides the classifier's logits (1: none; the authors temperature-scale)
 * @param guidance "adaptive" (DVCE, eq. 12-13) or "blended" (the baseline: fixed coefficients,
 *     mu + Sigma (C_c grad log p - C_d grad d), no normalisation, eq. 11)
 * @param trajectoryEvery keep the x_0 estimate every this many steps (and the last)
 * @param batch images per reverse-diffusion batch (authors: 6)
 */
public record DvceConfig(Integer respacedSteps, Integer reverseSteps, Double classifierScale, Double distanceScale,
        String distance, Double coneAngle, String coneVariant, String meanNorm, Integer augmentations, Double temperature,
        String guidance, Integer trajectoryEvery, Integer batch) {

    /** Fills the defaults and validates; errors name the field. */
    public DvceConfig {
        respacedSteps = respacedSteps == null ? 200 : Check.range("respacedSteps", respacedSteps, 2, 4000);
        reverseSteps = reverseSteps == null ? respacedSteps / 2 : reverseSteps;
        Check.range("reverseSteps", reverseSteps, 1, respacedSteps);
        classifierScale = classifierScale == null ? 0.1 : Check.nonNegative("classifierScale", classifierScale);
        distanceScale = distanceScale == null ? 0.15 : Check.nonNegative("distanceScale", distanceScale);
        guidance = guidance == null ? "adaptive" : oneOf("guidance", guidance, List.of("adaptive", "blended"));
        distance = distance == null ? ("blended".equals(guidance) ? "lpips+l2" : "l1")
                : oneOf("distance", distance, List.of("l1", "l2", "lpips+l2"));
        coneAngle = coneAngle == null ? 30.0 : Check.range("coneAngle", coneAngle, 0.0, 90.0);
        coneVariant = coneVariant == null ? "paper" : oneOf("coneVariant", coneVariant, List.of("paper", "code"));
        meanNorm = meanNorm == null ? "paper" : oneOf("meanNorm", meanNorm, List.of("paper", "code"));
        if (augmentations != null) {
            Check.range("augmentations", augmentations, 1, 256);
        }
        temperature = temperature == null ? 1.0 : Check.positive("temperature", temperature);
        trajectoryEvery = trajectoryEvery == null ? 10 : Check.range("trajectoryEvery", trajectoryEvery, 1, 10_000);
        batch = batch == null ? 6 : Check.range("batch", batch, 1, 1024);
    }

    private static String oneOf(String field, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new ConfigException(field, value, "must be one of " + allowed);
        }
        return value;
    }

    /** @return the paper's defaults */
    public static DvceConfig defaults() {
        return new DvceConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * @param cone whether a robust model's gradient is projected
     * @return the number of augmented copies to use
     */
    public int augmentationsFor(boolean cone) {
        return augmentations != null ? augmentations : cone ? 16 : 1;
    }

    /**
     * @param cc C_c
     * @param cd C_d
     * @return a copy with those coefficients
     */
    public DvceConfig withScales(double cc, double cd) {
        return new DvceConfig(respacedSteps, reverseSteps, cc, cd, distance, coneAngle, coneVariant, meanNorm, augmentations,
                temperature, guidance, trajectoryEvery, batch);
    }

    /**
     * @param value "adaptive" or "blended"
     * @return a copy with that guidance and its default distance
     */
    public DvceConfig withGuidance(String value) {
        return new DvceConfig(respacedSteps, reverseSteps, classifierScale, distanceScale, null, coneAngle, coneVariant,
                meanNorm, augmentations, temperature, value, trajectoryEvery, batch);
    }
}
