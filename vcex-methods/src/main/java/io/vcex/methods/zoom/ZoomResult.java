package io.vcex.methods.zoom;

import io.vcex.core.VcexException;
import io.vcex.core.image.ImageData;
import io.vcex.core.provenance.Provenance;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a ZOOM diagnosis found: per attribute its sensitivity and flip rate, per image and
 * attribute the optimised edit, and the provenance.
 *
 * @param classifier the diagnosed classifier's name
 * @param classNames its classes
 * @param classPhrases the class prompts of the keep-the-class term (empty when it is off)
 * @param attributes the attributes, in the order given
 * @param multi whether every attribute was optimised at once (one edit per image) or one at a
 *     time (one edit per image and attribute)
 * @param samples the generated images
 * @param edits the optimised edits, image-major
 * @param summaries one per attribute, in the order given
 * @param seconds wall time
 * @param provenance config, model hashes, seed, versions
 */
public record ZoomResult(String classifier, List<String> classNames, List<String> classPhrases, List<Attribute> attributes,
        boolean multi, List<Sample> samples, List<Edit> edits, List<AttributeSummary> summaries, double seconds,
        Provenance provenance) {

    /** Copies the lists. */
    public ZoomResult {
        classNames = List.copyOf(classNames);
        classPhrases = List.copyOf(classPhrases);
        attributes = List.copyOf(attributes);
        samples = List.copyOf(samples);
        edits = List.copyOf(edits);
        summaries = List.copyOf(summaries);
    }

    /**
     * One generated image.
     *
     * @param index its number (its code is drawn from the seed and this number alone)
     * @param initialClass the class the classifier gave it (y0)
     * @param probabilities the classifier's probabilities
     * @param clipChoice the class prompt the text-image encoder chose for it (-1 when the term is off)
     * @param image the image (kept for the first images only, else null)
     */
    public record Sample(int index, int initialClass, float[] probabilities, int clipChoice, ImageData image) {
    }

    /**
     * One optimised edit: an image with one attribute, or with all of them (multi mode).
     *
     * @param sample the image's index
     * @param attribute the attribute's index, or -1 in multi mode
     * @param weights the final edit weights, one per attribute (zero for attributes not used)
     * @param initialClass y0
     * @param targetClass the class pushed to (-1: any other than y0)
     * @param focusClass the class whose probability the trajectory and frames show
     * @param pInitial p(y0) of the original
     * @param pFinal p(y0) of the counterfactual
     * @param finalClass the counterfactual's class
     * @param flipped whether the decision changed (to the target, when one was named)
     * @param ssim SSIM between original and counterfactual (NaN for images of 10 pixels or less per side)
     * @param focusPerIteration p(focus class) at every iteration, the first for the original
     * @param lossPerIteration the loss at every iteration
     * @param frames progressive-edit frames (kept images only)
     * @param counterfactual the final image (kept images only, else null)
     */
    public record Edit(int sample, int attribute, float[] weights, int initialClass, int targetClass, int focusClass,
            float pInitial, float pFinal, int finalClass, boolean flipped, double ssim, float[] focusPerIteration,
            float[] lossPerIteration, List<Frame> frames, ImageData counterfactual) {
    }

    /**
     * A progressive-edit frame (appendix Fig. 1).
     *
     * @param iteration the iteration whose weights made it
     * @param image the image
     * @param probability p(focus class) of it
     */
    public record Frame(int iteration, ImageData image, float probability) {
    }

    /**
     * One attribute's findings.
     *
     * @param name the attribute
     * @param phrase its phrase
     * @param activeChannels style channels its direction uses
     * @param sensitivity sum over images of |p_final - p_initial|, normalised over the attributes
     *     (single mode, the authors' histogram); in multi mode the weight share
     * @param weightShare sum over images of |w|, normalised over the attributes
     * @param flipRate share of its edits that flipped the decision
     * @param meanSsim mean SSIM of its counterfactuals
     * @param meanAbsDeltaP mean |p_final - p_initial|
     * @param meanWeight mean optimised weight (its sign says which way the attribute moved)
     * @param meanAbsWeight mean |w|
     * @param weightHistogram counts of the optimised weights in 12 equal bins over [-bound, bound]
     * @param weights the optimised weights, one per image
     * @param deltaP |p_final - p_initial| per image (single mode; the edit's in multi mode)
     */
    public record AttributeSummary(String name, String phrase, int activeChannels, double sensitivity, double weightShare,
            double flipRate, double meanSsim, double meanAbsDeltaP, double meanWeight, double meanAbsWeight,
            int[] weightHistogram, double[] weights, double[] deltaP) {
    }

    /** @return attribute name to sensitivity, in the order given */
    public Map<String, Double> sensitivities() {
        Map<String, Double> m = new LinkedHashMap<>();
        summaries.forEach(s -> m.put(s.name(), s.sensitivity()));
        return m;
    }

    /** @return the attributes, most sensitive first */
    public List<String> ranking() {
        return summaries.stream().sorted(Comparator.comparingDouble(AttributeSummary::sensitivity).reversed())
                .map(AttributeSummary::name).toList();
    }

    /**
     * @param name an attribute
     * @return its summary
     */
    public AttributeSummary summary(String name) {
        return summaries.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new VcexException("No attribute '" + name + "' in this diagnosis; it has "
                        + attributes.stream().map(Attribute::name).toList()));
    }

    /** @return the share of all edits that flipped the decision */
    public double flipRate() {
        return edits.isEmpty() ? Double.NaN : edits.stream().filter(Edit::flipped).count() / (double) edits.size();
    }

    /** @return the mean SSIM over all edits (NaN where not computed) */
    public double meanSsim() {
        return edits.stream().mapToDouble(Edit::ssim).average().orElse(Double.NaN);
    }
}
