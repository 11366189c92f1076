package io.vcex.methods.truth;

import ai.djl.ndarray.NDManager;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.classifier.Scores;
import io.vcex.core.context.Progress;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import io.vcex.core.provenance.Provenance;
import io.vcex.data.world.FaceAttributes;
import io.vcex.data.world.FacesWorld;
import java.util.ArrayList;
import java.util.List;

/**
 * The ground truth that diagnosis methods are checked against, available only in the faces
 * world: for every attribute, each face is rendered again with that attribute toggled (its true
 * counterfactual, nothing else changed) and the classifier's decision is compared. An attribute's
 * sensitivity is the mean |p(x') - p(x)| of the class the classifier predicted for x, and its flip
 * rate the share of faces whose predicted class changed. A classifier that is right for the right
 * reasons is sensitive to its own attribute only; a biased one also to the shortcut.
 *
 * <p>This is what ZOOM's sensitivity histogram estimates with a generator and text-defined edits;
 * here the edits are exact, so the numbers are the reference.
 */
public final class TrueSensitivity {

    private TrueSensitivity() {
    }

    /**
     * @param attribute the toggled attribute
     * @param sensitivity mean |delta p| of the originally predicted class
     * @param flipRate share of faces whose predicted class changed
     * @param addEffect mean change of p(focus class) caused by adding the attribute: toggles that
     *     add it count with their sign, toggles that remove it with the opposite sign
     * @param examples a few faces with their true counterfactuals (for reports)
     */
    public record AttributeEffect(String attribute, double sensitivity, double flipRate, double addEffect,
            List<Example> examples) {
    }

    /**
     * @param original the face
     * @param counterfactual the face with the attribute toggled
     * @param before p(focus class) of the original
     * @param after p(focus class) of the counterfactual
     */
    public record Example(ImageData original, ImageData counterfactual, double before, double after) {
    }

    /**
     * @param classifier the classifier's name
     * @param effects one per attribute, in the configured order
     * @param provenance config, model hashes, seed
     */
    public record Result(String classifier, List<AttributeEffect> effects, Provenance provenance) {

        /** @return the effect with the largest sensitivity */
        public AttributeEffect strongest() {
            return effects.stream().max(java.util.Comparator.comparingDouble(AttributeEffect::sensitivity)).orElseThrow();
        }

        /**
         * @param attribute an attribute
         * @return its effect
         */
        public AttributeEffect effect(String attribute) {
            return effects.stream().filter(e -> e.attribute().equals(attribute)).findFirst().orElseThrow();
        }
    }

    /**
     * A classifier to diagnose, with the class whose probability the effects follow.
     *
     * @param classifier any classifier of 3x64x64 faces (black-box access suffices)
     * @param focus the class whose probability {@link AttributeEffect#addEffect()} and the examples follow
     */
    public record Target(BlackBoxClassifier classifier, int focus) {

        /**
         * @param classifier a classifier
         * @return it with its last class (class 1 of a binary classifier) in focus
         */
        public static Target of(BlackBoxClassifier classifier) {
            return new Target(classifier, classifier.spec().classNames().size() - 1);
        }
    }

    /**
     * @param ctx scopes and progress
     * @param classifier any classifier of 3x64x64 faces (black-box access suffices)
     * @param config attributes, samples, seed, world
     * @param examples how many example pairs to keep per attribute
     * @return the effects, with the last class (class 1 of a binary classifier) in focus
     */
    public static Result run(VcexContext ctx, BlackBoxClassifier classifier, TrueSensitivityConfig config, int examples) {
        return run(ctx, List.of(Target.of(classifier)), config, examples).get(0);
    }

    /**
     * Diagnoses several classifiers on one rendering of the faces and their counterfactuals.
     *
     * @param ctx scopes and progress
     * @param targets the classifiers, each with its focus class
     * @param config attributes, samples, seed, world
     * @param examples how many example pairs to keep per attribute
     * @return one result per target, in order
     */
    public static List<Result> run(VcexContext ctx, List<Target> targets, TrueSensitivityConfig config, int examples) {
        FacesWorld world = new FacesWorld(config.world(), config.seed());
        int n = config.samples();
        List<FaceAttributes> faces = new ArrayList<>(n);
        List<ImageData> originals = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            faces.add(world.attributes(i));
        }
        List<List<AttributeEffect>> effects = new ArrayList<>();
        List<float[][]> before = new ArrayList<>();
        try (Progress.Task task = ctx.progress().start("true counterfactuals", (long) n * (config.attributes().size() + 1))) {
            for (FaceAttributes f : faces) {
                originals.add(world.render(f));
                task.step();
            }
            for (Target t : targets) {
                before.add(classify(ctx, t.classifier(), originals));
                effects.add(new ArrayList<>());
            }
            for (String a : config.attributes()) {
                List<ImageData> edited = new ArrayList<>(n);
                for (FaceAttributes f : faces) {
                    edited.add(world.render(f.with(a, Boolean.toString(!f.flag(a)))));
                    task.step();
                }
                for (int k = 0; k < targets.size(); k++) {
                    effects.get(k).add(effect(a, faces, originals, edited, before.get(k),
                            classify(ctx, targets.get(k).classifier(), edited), targets.get(k).focus(), examples));
                }
            }
        }
        List<Result> out = new ArrayList<>();
        for (int k = 0; k < targets.size(); k++) {
            BlackBoxClassifier c = targets.get(k).classifier();
            out.add(new Result(c.spec().name(), effects.get(k),
                    Provenance.ofModels("truth.sensitivity", config, config.seed(), List.of(c.info()))));
        }
        return out;
    }

    private static AttributeEffect effect(String a, List<FaceAttributes> faces, List<ImageData> originals,
            List<ImageData> edited, float[][] before, float[][] after, int focus, int examples) {
        int n = faces.size();
        double sens = 0;
        double flips = 0;
        double added = 0;
        List<Example> ex = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int predicted = argmax(before[i]);
            sens += Math.abs(after[i][predicted] - before[i][predicted]);
            flips += argmax(after[i]) != predicted ? 1 : 0;
            double d = after[i][focus] - before[i][focus];
            added += faces.get(i).flag(a) ? -d : d;
            if (ex.size() < examples) {
                ex.add(new Example(originals.get(i), edited.get(i), before[i][focus], after[i][focus]));
            }
        }
        return new AttributeEffect(a, sens / n, flips / n, added / n, ex);
    }

    private static int argmax(float[] p) {
        int b = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[b]) {
                b = i;
            }
        }
        return b;
    }

    private static float[][] classify(VcexContext ctx, BlackBoxClassifier c, List<ImageData> images) {
        List<float[]> out = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += 100) {
            try (NDManager scope = ctx.newScope()) {
                Scores s = c.scores(ImageTensors.toBatch(scope, images.subList(from, Math.min(images.size(), from + 100)),
                        ValueRange.UNIT));
                out.addAll(List.of(s.probabilities()));
            }
        }
        return out.toArray(new float[0][]);
    }
}
