package io.vcex.methods.zoom;

import io.vcex.core.config.Check;
import io.vcex.core.config.ConfigException;
import java.util.List;

/**
 * ZOOM's settings (Luo et al., "Zero-shot model diagnosis", CVPR 2023). Every default is the
 * authors' run script (REFERENCE-NOTES, "ZOOM"): step 0.2, 100 iterations, bound 30, beta 0.1,
 * classifier weight 50, CLIP weight 0.005, truncation 0.7, single-attribute mode, 1500 samples.
 * A null field takes its default; errors name the field.
 *
 * @param stepSize eta, the step of the edit-weight update (0.2)
 * @param iterations optimisation steps per image (100)
 * @param bound every edit weight is clamped to [-bound, bound] after each step (30)
 * @param beta the channel threshold of the global direction, lambda in the paper's eq. 2
 *     (StyleCLIP's beta): channels with |delta_s| below it are zeroed (0.1)
 * @param classifierWeight weight of the flip loss, 50 * BCE-with-logits(logit, 1 - y0) (50)
 * @param clipWeight weight of the term that keeps the classifier's true class by the text-image
 *     encoder: CE(CLIP logits over the class prompts, CLIP's initial choice) (0.005); 0 drops it
 * @param truncation psi of the sampled W+ codes (0.7)
 * @param optimizer "sgd" (the authors' code: raw gradient step, then clamp) or "pgd" (appendix C:
 *     eta * sign(gradient), then clamp)
 * @param multi false: one attribute at a time (the authors' "single" mode, one weight per image
 *     and attribute); true: every attribute at once, one weight each (eq. 3, linear combination)
 * @param samples generated images to diagnose on (1500)
 * @param batch rows (image x attribute pairs) optimised together; a memory bound only, each row's
 *     gradient is its own (the losses are summed, not averaged) (32)
 * @param clipLogitScale CLIP's logit scale: cosine similarities times this are the logits of the
 *     CE term (100, CLIP's learned value, which MiniCLIP caps at too)
 * @param directionSign "paper" (StyleCLIP and the paper: delta_t = attribute - neutral, so a
 *     positive weight adds the attribute) or "code" (the authors' code: neutral - attribute)
 * @param scaleByStd false (the paper: delta_s thresholded, max-normalised and made unit L2); true
 *     (StyleCLIP's code): each channel is also multiplied by its standard deviation before the L2
 *     normalisation
 * @param target "flip" (the authors: towards the class other than the initial prediction) or a
 *     class name or index (every image is pushed towards it)
 * @param frameEvery keep a progressive-edit frame every this many iterations (and the last) for
 *     the first {@link #keepImages} images (10)
 * @param keepImages images whose originals, counterfactuals and frames are kept in the result (8)
 * @param templates prompt templates, "{}" standing for the phrase; every text embedding is the
 *     mean over them (the authors average 80 ImageNet templates; default {@link
 *     AttributePrompts#TEMPLATES}, the faces-world caption prefixes MiniCLIP can read)
 * @param firstSample the number of the first generated image (0); images are numbered and each is
 *     drawn from the seed and its number, so a held-out set starts after a training set's last
 * @param weightUnit what one unit of edit weight means: "style" (the paper: the direction has unit
 *     L2 length in StyleSpace, so w = 30 moves the styles by 30; calibrated for StyleGAN2's style
 *     scale) or "std" (the unit direction times the median standard deviation of the generator's
 *     style channels, so the bound means the same for a generator whose styles are smaller; vcex's
 *     stylegen has a median channel std of about 0.13, where the paper's unit turns faces into
 *     noise at |w| = 15)
 */
public record ZoomConfig(Double stepSize, Integer iterations, Double bound, Double beta, Double classifierWeight,
        Double clipWeight, Double truncation, String optimizer, Boolean multi, Integer samples, Integer batch,
        Double clipLogitScale, String directionSign, Boolean scaleByStd, String target, Integer frameEvery,
        Integer keepImages, List<String> templates, Integer firstSample, String weightUnit) {

    /** Fills the defaults and validates; errors name the field. */
    public ZoomConfig {
        stepSize = stepSize == null ? 0.2 : Check.positive("stepSize", stepSize);
        iterations = iterations == null ? 100 : Check.range("iterations", iterations, 0, 100_000);
        bound = bound == null ? 30.0 : Check.positive("bound", bound);
        beta = beta == null ? 0.1 : Check.range("beta", beta, 0.0, 1.0);
        classifierWeight = classifierWeight == null ? 50.0 : Check.nonNegative("classifierWeight", classifierWeight);
        clipWeight = clipWeight == null ? 0.005 : Check.nonNegative("clipWeight", clipWeight);
        truncation = truncation == null ? 0.7 : Check.range("truncation", truncation, 0.0, 1.0);
        optimizer = optimizer == null ? "sgd" : oneOf("optimizer", optimizer, List.of("sgd", "pgd"));
        multi = multi != null && multi;
        samples = samples == null ? 1500 : Check.range("samples", samples, 1, 1_000_000);
        batch = batch == null ? 32 : Check.range("batch", batch, 1, 4096);
        clipLogitScale = clipLogitScale == null ? 100.0 : Check.positive("clipLogitScale", clipLogitScale);
        directionSign = directionSign == null ? "paper" : oneOf("directionSign", directionSign, List.of("paper", "code"));
        scaleByStd = scaleByStd != null && scaleByStd;
        target = target == null ? "flip" : target;
        if (target.isBlank()) {
            throw new ConfigException("target", target, "'flip' or a class name or index");
        }
        frameEvery = frameEvery == null ? 10 : Check.range("frameEvery", frameEvery, 1, 100_000);
        keepImages = keepImages == null ? 8 : Check.range("keepImages", keepImages, 0, 100_000);
        templates = templates == null ? AttributePrompts.TEMPLATES : List.copyOf(templates);
        if (templates.isEmpty() || templates.stream().anyMatch(t -> !t.contains("{}"))) {
            throw new ConfigException("templates", templates, "at least one template, each with {} for the phrase");
        }
        firstSample = firstSample == null ? 0 : Check.range("firstSample", firstSample, 0, Integer.MAX_VALUE / 2);
        weightUnit = weightUnit == null ? "style" : oneOf("weightUnit", weightUnit, List.of("style", "std"));
    }

    private static String oneOf(String field, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new ConfigException(field, value, "must be one of " + allowed);
        }
        return value;
    }

    /** @return the authors' defaults */
    public static ZoomConfig defaults() {
        return new ZoomConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    /** @return whether the update is the signed (PGD) one */
    public boolean pgd() {
        return "pgd".equals(optimizer);
    }

    /**
     * @param value "sgd" or "pgd"
     * @return a copy with that optimiser
     */
    public ZoomConfig withOptimizer(String value) {
        return new ZoomConfig(stepSize, iterations, bound, beta, classifierWeight, clipWeight, truncation, value, multi,
                samples, batch, clipLogitScale, directionSign, scaleByStd, target, frameEvery, keepImages, templates, firstSample, weightUnit);
    }

    /**
     * @param value whether every attribute is optimised at once
     * @return a copy with that mode
     */
    public ZoomConfig withMulti(boolean value) {
        return new ZoomConfig(stepSize, iterations, bound, beta, classifierWeight, clipWeight, truncation, optimizer, value,
                samples, batch, clipLogitScale, directionSign, scaleByStd, target, frameEvery, keepImages, templates, firstSample, weightUnit);
    }

    /**
     * @param value how many images
     * @return a copy with that sample count
     */
    public ZoomConfig withSamples(int value) {
        return new ZoomConfig(stepSize, iterations, bound, beta, classifierWeight, clipWeight, truncation, optimizer, multi,
                value, batch, clipLogitScale, directionSign, scaleByStd, target, frameEvery, keepImages, templates, firstSample, weightUnit);
    }

    /**
     * @param steps iterations
     * @param eta step size
     * @return a copy with these
     */
    public ZoomConfig withSteps(int steps, double eta) {
        return new ZoomConfig(eta, steps, bound, beta, classifierWeight, clipWeight, truncation, optimizer, multi,
                samples, batch, clipLogitScale, directionSign, scaleByStd, target, frameEvery, keepImages, templates, firstSample, weightUnit);
    }

    /**
     * @param classifier the flip loss's weight
     * @param clip the keep-the-class term's weight
     * @return a copy with these
     */
    public ZoomConfig withWeights(double classifier, double clip) {
        return new ZoomConfig(stepSize, iterations, bound, beta, classifier, clip, truncation, optimizer, multi,
                samples, batch, clipLogitScale, directionSign, scaleByStd, target, frameEvery, keepImages, templates, firstSample, weightUnit);
    }

    /**
     * @param value the box [-value, value] of the edit weights
     * @return a copy with it
     */
    public ZoomConfig withBound(double value) {
        return new ZoomConfig(stepSize, iterations, value, beta, classifierWeight, clipWeight, truncation, optimizer, multi,
                samples, batch, clipLogitScale, directionSign, scaleByStd, target, frameEvery, keepImages, templates, firstSample, weightUnit);
    }

    /**
     * @param value the first image's number
     * @return a copy starting there
     */
    public ZoomConfig withFirstSample(int value) {
        return new ZoomConfig(stepSize, iterations, bound, beta, classifierWeight, clipWeight, truncation, optimizer, multi,
                samples, batch, clipLogitScale, directionSign, scaleByStd, target, frameEvery, keepImages, templates, value, weightUnit);
    }

    /**
     * @param value "style" (the paper's unit) or "std" (the median channel standard deviation)
     * @return a copy with that weight unit
     */
    public ZoomConfig withWeightUnit(String value) {
        return new ZoomConfig(stepSize, iterations, bound, beta, classifierWeight, clipWeight, truncation, optimizer, multi,
                samples, batch, clipLogitScale, directionSign, scaleByStd, target, frameEvery, keepImages, templates, firstSample,
                value);
    }

    /**
     * @param value prompt templates
     * @return a copy with them
     */
    public ZoomConfig withTemplates(List<String> value) {
        return new ZoomConfig(stepSize, iterations, bound, beta, classifierWeight, clipWeight, truncation, optimizer, multi,
                samples, batch, clipLogitScale, directionSign, scaleByStd, target, frameEvery, keepImages, value, firstSample, weightUnit);
    }

    /**
     * @param value images kept with originals, counterfactuals and frames
     * @return a copy with it
     */
    public ZoomConfig withKeepImages(int value) {
        return new ZoomConfig(stepSize, iterations, bound, beta, classifierWeight, clipWeight, truncation, optimizer, multi,
                samples, batch, clipLogitScale, directionSign, scaleByStd, target, frameEvery, value, templates, firstSample, weightUnit);
    }

    /**
     * @param value image-attribute pairs optimised together
     * @return a copy with it
     */
    public ZoomConfig withBatch(int value) {
        return new ZoomConfig(stepSize, iterations, bound, beta, classifierWeight, clipWeight, truncation, optimizer, multi,
                samples, value, clipLogitScale, directionSign, scaleByStd, target, frameEvery, keepImages, templates, firstSample, weightUnit);
    }
}
