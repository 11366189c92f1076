package io.vcex.methods.dvce;

import io.vcex.core.image.ImageData;
import java.util.List;

/**
 * One explained image.
 *
 * @param original the image as given
 * @param counterfactual the explanation (the last x_0 estimate, clamped, at the classifier's size)
 * @param sourceClass the class the classifier gave the original
 * @param targetClass the class the explanation aims at
 * @param originalProbabilities the classifier's probabilities for the original
 * @param counterfactualProbabilities and for the counterfactual
 * @param flipped whether the counterfactual's predicted class is the target
 * @param l1 ||cf - original||_1 over every value in [0, 1]
 * @param l15 ||cf - original||_1.5
 * @param l2 ||cf - original||_2
 * @param trajectory x_0 estimates every few steps, with the step and p(target) at it
 * @param targetProbabilityPerStep p(target | f_dn(x_t)) at every reverse step, first to last
 * @param unguidedSteps reverse steps whose gradients were not finite, taken without guidance
 * @param seconds wall time of this image's share of its batch
 */
public record DvceResult(ImageData original, ImageData counterfactual, int sourceClass, int targetClass,
        float[] originalProbabilities, float[] counterfactualProbabilities, boolean flipped, double l1, double l15, double l2,
        List<Frame> trajectory, float[] targetProbabilityPerStep, int unguidedSteps, double seconds) {

    /**
     * @param step reverse steps done when it was taken (0: the noised original's estimate)
     * @param image the x_0 estimate at the classifier's size
     * @param targetProbability p(target) of that estimate
     */
    public record Frame(int step, ImageData image, float targetProbability) {
    }
}
