package io.vcex.methods.zoom;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.ClassLogProbability;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
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
        try (NDManager state = ctx.newScope();
                Progress.Task task = ctx.progress().start("counterfactual training of '" + model.spec().name() + "'",
                        config.steps())) {
            List<NDArray> m = new ArrayList<>();
            List<NDArray> v = new ArrayList<>();
            for (NDArray p : weights) {
                m.add(state.zeros(p.getShape(), p.getDataType()));
                v.add(state.zeros(p.getShape(), p.getDataType()));
            }
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
                    for (NDArray p : weights) {
                        if (p.hasGradient()) {
                            NDArray g = p.getGradient();
                            g.attach(scope);
                            g.set(new NDIndex("..."), 0f);
                        }
                    }
                    NDArray x = ImageTensors.toBatch(scope, images, ValueRange.UNIT);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = ClassLogProbability.of(model.spec(), model.logits(x), labels, 1f).mean().neg();
                        losses[s] = loss.getFloat();
                        gc.backward(loss);
                    }
                    adam(scope, weights, m, v, s + 1, config.learningRate());
                }
                task.step();
                task.status(String.format(Locale.ROOT, "loss %.4f", losses[s]));
            }
        } finally {
            model.trainable(false);
        }
        return new Report(config.steps(), losses, originals.size(), counterfactuals.size(), (System.nanoTime() - start) / 1e9);
    }

    /** Adam with bias correction (beta1 0.9, beta2 0.999, eps 1e-8), in place. */
    private static void adam(NDManager scope, List<NDArray> weights, List<NDArray> m, List<NDArray> v, int t, double lr) {
        float c1 = (float) (1 - Math.pow(0.9, t));
        float c2 = (float) (1 - Math.pow(0.999, t));
        for (int i = 0; i < weights.size(); i++) {
            NDArray p = weights.get(i);
            NDArray g = p.getGradient();
            g.attach(scope);
            NDArray mi = m.get(i);
            NDArray vi = v.get(i);
            scope.tempAttachAll(p, mi, vi);
            mi.muli(0.9f).addi(g.mul(0.1f));
            vi.muli(0.999f).addi(g.square().muli(0.001f));
            NDArray step = mi.div(c1).divi(vi.div(c2).sqrt().addi(1e-8f));
            p.subi(step.muli((float) lr));
        }
    }
}
