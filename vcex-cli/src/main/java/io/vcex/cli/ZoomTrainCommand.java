package io.vcex.cli;

import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.classifier.Scores;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import io.vcex.core.provenance.Hashing;
import io.vcex.core.provenance.Provenance;
import io.vcex.data.world.FaceAttributes;
import io.vcex.data.world.FacesWorld;
import io.vcex.data.world.WorldConfig;
import io.vcex.methods.zoom.Attribute;
import io.vcex.methods.zoom.AttributePrompts;
import io.vcex.methods.zoom.CounterfactualTraining;
import io.vcex.methods.zoom.CounterfactualTrainingConfig;
import io.vcex.methods.zoom.EditDirection;
import io.vcex.methods.zoom.ZoomConfig;
import io.vcex.methods.zoom.ZoomResult;
import io.vcex.report.Charts;
import io.vcex.report.HtmlReport;
import io.vcex.zoo.Zoo;
import io.vcex.zoo.card.ModelCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vcex diagnose zoom-train}: counterfactual training (ZOOM, sec. 4.4). ZOOM's counterfactuals
 * of a classifier, labelled with their originals' labels, fine-tune it; then its sensitivity to a
 * spurious attribute (ZOOM on held-out generated images) and its accuracy on faces where the true
 * attribute and the spurious one disagree (bias-conflicting faces of the faces world) are compared
 * before and after.
 */
@Command(name = "zoom-train", mixinStandardHelpOptions = true,
        description = "Counterfactual training (ZOOM sec. 4.4): fine-tune a zoo classifier on its own ZOOM counterfactuals "
                + "and report its sensitivity to a spurious attribute and its bias-conflicting accuracy before and after.")
final class ZoomTrainCommand implements Callable<Integer> {
    /** World seed of the bias-conflicting test faces, apart from every zoo and bench seed. */
    static final long FACES_SEED = 4343;

    @Option(names = "--classifier", required = true, description = "A zoo classifier (vcex-trained), e.g. smile-biased.")
    String classifier;

    @Option(names = "--attributes", required = true, description = "Attributes whose counterfactuals train it (comma-separated).")
    String attributes;

    @Option(names = "--spurious", description = "The spurious attribute to report (default: the first attribute).")
    String spurious;

    @Option(names = "--samples", defaultValue = "200", description = "Generated training images (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--eval-samples", defaultValue = "100", description = "Held-out generated images for the sensitivity "
            + "before and after (default ${DEFAULT-VALUE}).")
    int evalSamples;

    @Option(names = "--test-faces", defaultValue = "400", description = "Rendered faces for the bias-conflicting accuracy "
            + "(default ${DEFAULT-VALUE}).")
    int testFaces;

    @Option(names = "--labels", defaultValue = "oracle", description = "Labels of the originals: oracle (the zoo oracle's "
            + "reading of the classifier's attribute) or prediction (the classifier's own decision) (default ${DEFAULT-VALUE}).")
    String labels;

    @Option(names = "--steps", description = "Fine-tuning steps (default 200).")
    Integer steps;

    @Option(names = "--lr", description = "Fine-tuning learning rate (default 1e-4).")
    Double lr;

    @Option(names = "--train-batch", description = "Images per fine-tuning step, half counterfactuals (default 32).")
    Integer trainBatch;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Mixin
    ZoomOptions zoom;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        ZoomOptions.samples(samples);
        ZoomOptions.samples(evalSamples);
        if (!List.of("oracle", "prediction").contains(labels)) {
            throw new VcexException("--labels must be oracle or prediction, got '" + labels + "'");
        }
        List<Attribute> attrs = AttributePrompts.parseList(attributes, 0);
        String spur = spurious == null ? attrs.get(0).name() : AttributePrompts.parse(spurious, 0).name();
        if (attrs.stream().noneMatch(a -> a.name().equals(spur))) {
            throw new VcexException("The spurious attribute '" + spur + "' is not one of the attributes " + attrs.stream()
                    .map(Attribute::name).toList());
        }
        CounterfactualTrainingConfig trainConfig = new CounterfactualTrainingConfig(steps, trainBatch, lr, null, zoom.seed);
        ZoomConfig trainZoom = zoom.config(samples).withKeepImages(0);
        ZoomConfig evalZoom = zoom.config(evalSamples).withFirstSample(samples);
        Zoo zoo = zoom.zoo();
        try (VcexContext ctx = VcexContext.builder().seed(zoom.seed).optProgress(common.progress()).build()) {
            WhiteBoxClassifier original = Models.whiteBox(ctx, zoo, classifier);
            TrainableNet tuned = TrainableNet.of(Models.whiteBox(ctx, zoo, classifier));
            ZoomOptions.Loaded loaded = zoom.load(ctx);
            List<EditDirection> dirs = zoom.zoom(loaded, original, trainZoom).directions(ctx, attrs);

            // 1. the training counterfactuals: every edit that flipped the classifier, with its original
            Map<Integer, ImageData> originals = new LinkedHashMap<>();
            List<ImageData> cfs = new ArrayList<>();
            List<Integer> cfSample = new ArrayList<>();
            Map<String, Integer> perAttribute = new LinkedHashMap<>();
            ZoomResult trainRun = zoom.zoom(loaded, original, trainZoom).diagnose(ctx, dirs, (edit, img, cf) -> {
                originals.putIfAbsent(edit.sample(), img);
                if (edit.flipped()) {
                    cfs.add(cf);
                    cfSample.add(edit.sample());
                    String name = edit.attribute() < 0 ? "all" : attrs.get(edit.attribute()).name();
                    perAttribute.merge(name, 1, Integer::sum);
                }
            });
            List<Integer> ids = new ArrayList<>(originals.keySet());
            List<ImageData> originalImages = ids.stream().map(originals::get).toList();
            int[] originalLabels = labels(ctx, zoo, original, originalImages);
            Map<Integer, Integer> labelOf = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                labelOf.put(ids.get(i), originalLabels[i]);
            }
            int[] cfLabels = cfSample.stream().mapToInt(labelOf::get).toArray();

            // 2. fine-tuning
            CounterfactualTraining.Report report = CounterfactualTraining.fineTune(ctx, tuned, originalImages, originalLabels, cfs,
                    cfLabels, trainConfig);

            // 3. held-out sensitivity and bias-conflicting accuracy, before and after
            ZoomResult before = zoom.zoom(loaded, original, evalZoom).diagnose(ctx, dirs, null);
            ZoomResult after = zoom.zoom(loaded, tuned, evalZoom).diagnose(ctx, dirs, null);
            Map<String, Object> accBefore = accuracy(ctx, original, spur);
            Map<String, Object> accAfter = accuracy(ctx, tuned, spur);

            Path saved = save(zoo, tuned);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("classifier", classifier);
            summary.put("spurious_attribute", spur);
            summary.put("labels", labels);
            Map<String, Object> training = new LinkedHashMap<>();
            training.put("originals", originalImages.size());
            training.put("counterfactuals", cfs.size());
            training.put("counterfactuals_per_attribute", perAttribute);
            training.put("diagnosis_flip_rate", trainRun.flipRate());
            training.put("loss_first", report.loss()[0]);
            training.put("loss_last", report.loss()[report.loss().length - 1]);
            training.put("seconds", report.seconds());
            training.put("config", trainConfig);
            summary.put("training", training);
            summary.put("before", evaluation(before, spur, accBefore));
            summary.put("after", evaluation(after, spur, accAfter));
            summary.put("tuned_weights", saved == null ? null : saved.toString());
            summary.put("command", "./vcex diagnose zoom-train --classifier " + classifier + " --attributes \"" + attributes
                    + "\" --spurious " + spur + " --samples " + samples + " --eval-samples " + evalSamples);
            summary.put("provenance", Provenance.ofModels("diagnose.zoom-train", trainZoom, zoom.seed,
                    List.of(loaded.generator().info(), original.info(), loaded.encoder().info())));
            Json.write(out.resolve("summary.json"), summary);
            ZoomOutput.png(out.resolve("sensitivity-before.png"), ZoomOutput.histogram(before, "before counterfactual training"));
            ZoomOutput.png(out.resolve("sensitivity-after.png"), ZoomOutput.histogram(after, "after counterfactual training"));
            report(before, after, spur, accBefore, accAfter, summary);
            common.out().printf(Locale.ROOT, "trained on %d originals and %d counterfactuals (%s labels), loss %.4f -> %.4f%n",
                    originalImages.size(), cfs.size(), labels, report.loss()[0], report.loss()[report.loss().length - 1]);
            common.out().printf(Locale.ROOT, "sensitivity to %s: %.3f -> %.3f (mean |delta p| %.3f -> %.3f, flip rate %.2f -> %.2f)%n",
                    spur, before.summary(spur).sensitivity(), after.summary(spur).sensitivity(), before.summary(spur).meanAbsDeltaP(),
                    after.summary(spur).meanAbsDeltaP(), before.summary(spur).flipRate(), after.summary(spur).flipRate());
            if (accBefore.containsKey("bias_conflicting")) {
                common.out().printf(Locale.ROOT, "bias-conflicting accuracy: %.3f -> %.3f (aligned %.3f -> %.3f)%n",
                        accBefore.get("bias_conflicting"), accAfter.get("bias_conflicting"), accBefore.get("bias_aligned"),
                        accAfter.get("bias_aligned"));
            }
            common.out().println("wrote " + out.resolve("summary.json") + " and report.html");
        }
        return 0;
    }

    /** The labels of the originals: the oracle's reading of the classifier's positive class, or its own decisions. */
    private int[] labels(VcexContext ctx, Zoo zoo, WhiteBoxClassifier clf, List<ImageData> images) {
        BlackBoxClassifier judge = clf;
        int column = -1;
        if ("oracle".equals(labels)) {
            List<String> names = clf.spec().classNames();
            if (names.size() != 2) {
                throw new VcexException("--labels oracle needs a two-class classifier; '" + clf.spec().name() + "' has " + names
                        + "; use --labels prediction");
            }
            judge = zoo.classifier(ctx, "oracle");
            column = judge.spec().classNames().indexOf(names.get(1));
            if (column < 0) {
                throw new VcexException("The oracle does not read '" + names.get(1) + "' (it reads " + judge.spec().classNames()
                        + "); use --labels prediction");
            }
        }
        int[] out = new int[images.size()];
        for (int from = 0; from < images.size(); from += 64) {
            List<ImageData> part = images.subList(from, Math.min(images.size(), from + 64));
            try (NDManager scope = ctx.newScope()) {
                Scores s = judge.scores(ImageTensors.toBatch(scope, part, ValueRange.UNIT));
                for (int i = 0; i < part.size(); i++) {
                    out[from + i] = column < 0 ? s.predicted(i) : s.probability(i, column) > 0.5f ? 1 : 0;
                }
            }
        }
        return out;
    }

    /**
     * Accuracy on rendered faces of the in-prior world: overall, where the classifier's attribute and
     * the spurious one agree (bias-aligned) and where they disagree (bias-conflicting). Only for a
     * two-class classifier of a faces-world attribute and a faces-world spurious attribute.
     */
    private Map<String, Object> accuracy(VcexContext ctx, WhiteBoxClassifier clf, String spur) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> names = clf.spec().classNames();
        String target = names.size() == 2 ? names.get(1) : null;
        if (target == null || !FaceAttributes.BINARY.contains(target) || !FaceAttributes.BINARY.contains(spur)) {
            m.put("note", "bias-conflicting accuracy needs a two-class classifier of a faces-world attribute and a binary "
                    + "faces-world spurious attribute " + FaceAttributes.BINARY);
            return m;
        }
        FacesWorld world = new FacesWorld(WorldConfig.inPrior(), FACES_SEED);
        int[] correct = new int[2];
        int[] count = new int[2];
        for (int from = 0; from < testFaces; from += 64) {
            int n = Math.min(64, testFaces - from);
            List<ImageData> images = new ArrayList<>();
            List<FaceAttributes> truth = new ArrayList<>();
            for (int i = from; i < from + n; i++) {
                FaceAttributes a = world.attributes(i);
                truth.add(a);
                images.add(world.render(a));
            }
            try (NDManager scope = ctx.newScope()) {
                Scores s = clf.scores(ImageTensors.toBatch(scope, images, ValueRange.UNIT));
                for (int i = 0; i < n; i++) {
                    FaceAttributes a = truth.get(i);
                    int group = a.flag(target) == a.flag(spur) ? 0 : 1;
                    count[group]++;
                    correct[group] += s.predicted(i) == (a.flag(target) ? 1 : 0) ? 1 : 0;
                }
            }
        }
        m.put("faces", testFaces);
        m.put("accuracy", (correct[0] + correct[1]) / (double) testFaces);
        m.put("bias_aligned", count[0] == 0 ? Double.NaN : correct[0] / (double) count[0]);
        m.put("bias_conflicting", count[1] == 0 ? Double.NaN : correct[1] / (double) count[1]);
        m.put("bias_conflicting_faces", count[1]);
        m.put("world", Map.of("config", "in-prior", "seed", FACES_SEED));
        return m;
    }

    private static Map<String, Object> evaluation(ZoomResult r, String spur, Map<String, Object> accuracy) {
        Map<String, Object> m = new LinkedHashMap<>();
        ZoomResult.AttributeSummary s = r.summary(spur);
        m.put("spurious_sensitivity", s.sensitivity());
        m.put("spurious_mean_abs_delta_p", s.meanAbsDeltaP());
        m.put("spurious_flip_rate", s.flipRate());
        m.put("ranking", r.ranking());
        m.put("sensitivities", r.sensitivities());
        m.put("flip_rate", r.flipRate());
        m.put("accuracy", accuracy);
        return m;
    }

    /** Saves the tuned weights as a zoo folder (models/NAME with an updated card) so --models can load them. */
    private Path save(Zoo zoo, TrainableNet tuned) {
        Path dir = out.resolve("models").resolve(classifier);
        if (Files.isDirectory(Path.of(classifier))) {
            Path w = out.resolve("weights.params");
            tuned.net().net().save(w);
            return w;
        }
        ModelCard card = zoo.card(classifier);
        Path weights = dir.resolve(card.weightsFile());
        tuned.net().net().save(weights);
        long bytes;
        try {
            bytes = Files.size(weights);
        } catch (java.io.IOException e) {
            throw new VcexException("Cannot read the size of " + weights + ": " + e.getMessage(), e);
        }
        ModelCard updated = new ModelCard(card.name(), card.kind(), card.description() + " Fine-tuned by counterfactual "
                + "training (vcex diagnose zoom-train, attributes " + attributes + ").", card.architecture(), card.parameters(),
                card.recipe(), card.trainingSeconds(), card.machine(), card.metrics(), card.weightsFile(), Hashing.sha256(weights),
                bytes, card.sizeNote(), card.vcexVersion(), card.djlVersion());
        Json.write(dir.resolve("card.json"), updated);
        return weights;
    }

    private void report(ZoomResult before, ZoomResult after, String spur, Map<String, Object> accBefore,
            Map<String, Object> accAfter, Map<String, Object> summary) {
        HtmlReport page = new HtmlReport("Counterfactual training: " + classifier);
        page.finding(String.format(Locale.ROOT, "Sensitivity of %s to %s: %.3f before, %.3f after counterfactual training",
                classifier, spur, before.summary(spur).sensitivity(), after.summary(spur).sensitivity()),
                accBefore.containsKey("bias_conflicting") ? String.format(Locale.ROOT,
                        "bias-conflicting accuracy %.3f before, %.3f after (%s faces where the classifier's attribute and %s disagree)",
                        accBefore.get("bias_conflicting"), accAfter.get("bias_conflicting"), accBefore.get("bias_conflicting_faces"),
                        spur) : String.valueOf(accBefore.get("note")));
        page.chart(Charts.bars("Before", "share", before.sensitivities(), spur), "ZOOM sensitivity on held-out images, before");
        page.chart(Charts.bars("After", "share", after.sensitivities(), spur), "and after counterfactual training");
        page.provenance(summary);
        page.write(out.resolve("report.html"));
    }
}
