package io.vcex.methods.zoom;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.ClassLogProbability;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import io.vcex.core.optim.AdamW;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Counterfactual training (ZOOM, sec. 4.4): a classifier is fine-tuned on the counterfactuals
 * ZOOM found for it, each with the label of its original, so that the attributes that flipped it
 * without changing the true class stop mattering. Batches mix originals and counterfactuals; the
 * loss is the mean cross-entropy -log p(label | x) through the classifier's own output kind; the
 * optimiser is Adam (Kingma and Ba 2015) on the classifier's weights, batch statistics frozen.
 */
public final class CounterfactualTraining {

    private CounterfactualTraining() {
    }

    /**
     * @param steps steps taken
     * @param loss the mean loss of each step
     * @param originals originals available
     * @param counterfactuals counterfactuals available
     * @param seconds wall time
     */
    public record Report(int steps, float[] loss, int originals, int counterfactuals, double seconds) {
    }

    /**
     * @param ctx scopes and progress
     * @param model the classifier, changed in place
     * @param originals images with their labels
     * @param originalLabels a class index per original
     * @param counterfactuals counterfactual images
     * @param counterfactualLabels a class index per counterfactual (its original's label)
     * @param config settings
     * @return what the training did
     */
    public static Report fineTune(VcexContext ctx, TrainableClassifier model, List<ImageData> originals, int[] originalLabels,
            List<ImageData> counterfactuals, int[] counterfactualLabels, CounterfactualTrainingConfig config) {
        if (originals.size() != originalLabels.length || counterfactuals.size() != counterfactualLabels.length) {
            throw new VcexException("Counterfactual training needs one label per image: " + originals.size() + " originals with "
                    + originalLabels.length + " labels, " + counterfactuals.size() + " counterfactuals with "
                    + counterfactualLabels.length + " labels");
        }
        if (counterfactuals.isEmpty()) {
            throw new VcexException("Counterfactual training has no counterfactuals to train on (no edit flipped the classifier)");
        }
        int classes = model.spec().classNames().size();
        for (int[] labels : new int[][] {originalLabels, counterfactualLabels}) {
            for (int y : labels) {
                if (y < 0 || y >= classes) {
                    throw new VcexException("Label " + y + " is not a class of '" + model.spec().name() + "' " + model.spec().classNames());
                }
            }
        }
        long start = System.nanoTime();
        int fromCf = originals.isEmpty() ? config.batch() : (int) Math.round(config.batch() * config.counterfactualShare());
        int fromOriginals = config.batch() - fromCf;
        Rng rng = new Rng(config.seed()).derive("zoom.cf-training");
        float[] losses = new float[config.steps()];
        List<NDArray> weights = model.weights();
        model.trainable(true);
        try (NDManager state = ctx.newScope(); AdamW adam = new AdamW(state, weights, 0.9, 0.999, 1e-8);
                Progress.Task task = ctx.progress().start("counterfactual training of '" + model.spec().name() + "'",
                        config.steps())) {
            for (int s = 0; s < config.steps(); s++) {
                Rng stepRng = rng.derive(s);
                List<ImageData> images = new ArrayList<>();
                int[] labels = new int[fromOriginals + fromCf];
                for (int k = 0; k < fromOriginals; k++) {
                    int i = stepRng.nextInt(originals.size());
                    images.add(originals.get(i));
                    labels[k] = originalLabels[i];
                }
                for (int k = 0; k < fromCf; k++) {
                    int i = stepRng.nextInt(counterfactuals.size());
                    images.add(counterfactuals.get(i));
                    labels[fromOriginals + k] = counterfactualLabels[i];
                }
                try (NDManager scope = state.newSubManager()) {
                    AdamW.zeroGradients(scope, weights);
                    NDArray x = ImageTensors.toBatch(scope, images, ValueRange.UNIT);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = ClassLogProbability.of(model.spec(), model.logits(x), labels, 1f).mean().neg();
                        losses[s] = loss.getFloat();
                        gc.backward(loss);
                    }
                    adam.update(scope, weights, config.learningRate(), 0);
                }
                task.step();
                task.status(String.format(Locale.ROOT, "loss %.4f", losses[s]));
            }
        } finally {
            model.trainable(false);
        }
        return new Report(config.steps(), losses, originals.size(), counterfactuals.size(), (System.nanoTime() - start) / 1e9);
    }
}
