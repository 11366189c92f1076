package io.vcex.cli;

import io.vcex.core.VcexException;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageData;
import io.vcex.io.BuiltInModels;
import io.vcex.io.description.FileClassifier;
import io.vcex.metrics.Evaluation;
import io.vcex.metrics.MetricResult;
import io.vcex.metrics.Metrics;
import io.vcex.methods.truth.TrueSensitivity;
import io.vcex.methods.truth.TrueSensitivityConfig;
import io.vcex.report.Charts;
import io.vcex.report.HtmlReport;
import io.vcex.report.Pictures;
import io.vcex.zoo.Zoo;
import io.vcex.zoo.card.ModelCard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vcex demo}: the main job. It diagnoses the built-in {@code smile-biased} classifier, whose
 * bias is known (it was trained where 95% of smiles wear glasses), beside the unbiased
 * {@code smile} classifier, and writes one report that leads with the findings: first the faces
 * world's ground truth (every face re-rendered with one attribute toggled and the decisions
 * compared), then DVCE counterfactuals, checked against that truth by the oracle.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The main job: diagnose the built-in smile-biased classifier and write an HTML report (about 30 seconds).")
final class DemoCommand implements Callable<Integer> {
    private static final String BIASED = "smile-biased";
    private static final String FAIR = "smile";

    @Option(names = "--out", defaultValue = "out/demo", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--samples", defaultValue = "200", description = "Faces per attribute (default ${DEFAULT-VALUE}).")
    int samples;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.out().println("vcex demo: what drives the built-in smile-biased classifier? (about 30 seconds on 2 cores)");
        Zoo zoo = Zoo.builtIn();
        Path report = out.resolve("report.html");
        try (VcexContext ctx = VcexContext.builder().seed(1).optProgress(common.progress()).build()) {
            WhiteBoxClassifier biased = zoo.classifier(ctx, BIASED);
            WhiteBoxClassifier fair = zoo.classifier(ctx, FAIR);
            FileClassifier emotionModel = emotionModel(ctx);
            TrueSensitivityConfig cfg = new TrueSensitivityConfig(null, samples, null, null);
            List<TrueSensitivity.Target> targets = new ArrayList<>(List.of(TrueSensitivity.Target.of(biased),
                    TrueSensitivity.Target.of(fair)));
            if (emotionModel != null) {
                targets.add(new TrueSensitivity.Target(emotionModel, emotionModel.spec().classIndex("happy")));
            }
            List<TrueSensitivity.Result> results = TrueSensitivity.run(ctx, targets, cfg, 4);
            TrueSensitivity.Result b = results.get(0);
            TrueSensitivity.Result f = results.get(1);
            TrueSensitivity.Result emotion = emotionModel == null ? null : results.get(2);
            HtmlReport page = new HtmlReport("vcex demo: what drives the smile-biased classifier?");
            findings(page, b, f, zoo.card(BIASED));
            evidence(page, b, f, samples);
            metrics(ctx, zoo, page, biased, b);
            emotionSection(page, emotion, cfg);
            String dvceLine = dvceSection(ctx, zoo, page, biased, fair, spurious(b, f));
            Map<String, Object> prov = new LinkedHashMap<>();
            prov.put(BIASED, b.provenance());
            prov.put(FAIR, f.provenance());
            if (emotion != null) {
                prov.put("emotion", emotion.provenance());
            }
            page.provenance(prov);
            page.write(report);
            common.out().println();
            common.out().println(headline(b, f));
            if (emotion != null) {
                common.out().println("finding: " + emotionLine(emotion));
            }
            if (dvceLine != null) {
                common.out().println("finding: " + dvceLine);
            }
            common.out().println("report: " + report.toAbsolutePath());
        }
        return 0;
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }

    /**
     * The spurious attribute: among attributes other than the classifier's own (smiling), the one
     * whose addition moves p(smiling) of the biased classifier most beyond what it does to the
     * unbiased classifier on the same faces.
     */
    private static String spurious(TrueSensitivity.Result b, TrueSensitivity.Result f) {
        return b.effects().stream().filter(e -> !e.attribute().equals("smiling"))
                .max(java.util.Comparator.comparingDouble(e -> Math.abs(e.addEffect() - f.effect(e.attribute()).addEffect())))
                .orElseThrow().attribute();
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.2f", v);
    }

    private static String headline(TrueSensitivity.Result b, TrueSensitivity.Result f) {
        String s = spurious(b, f);
        double biased = b.effect(s).addEffect();
        double fair = f.effect(s).addEffect();
        if (Math.abs(biased - fair) < 0.05) {
            return "finding: no attribute besides the smile moves " + b.classifier() + " much more than the unbiased "
                    + f.classifier() + " (largest difference: " + s + ", " + signed(biased - fair) + " in p(smiling))";
        }
        return "finding: the decision of " + b.classifier() + " depends on " + s + ", not only on smiles: adding " + s
                + " changes its p(smiling) by " + signed(biased) + " on average (unbiased " + f.classifier() + ": "
                + signed(fair) + ")";
    }

    private static void findings(HtmlReport page, TrueSensitivity.Result b, TrueSensitivity.Result f, ModelCard card) {
        String s = spurious(b, f);
        TrueSensitivity.AttributeEffect smile = b.effect("smiling");
        page.finding(headline(b, f).replaceFirst("^finding: ", ""),
                "Ground truth from re-rendered faces: each face is drawn again with only one attribute toggled. Toggling "
                        + s + " changes the decision of " + b.classifier() + " on " + percent(b.effect(s).flipRate())
                        + " of faces (" + f.classifier() + ": " + percent(f.effect(s).flipRate())
                        + "); toggling the smile itself changes it on " + percent(smile.flipRate()) + " ("
                        + f.classifier() + ": " + percent(f.effect("smiling").flipRate()) + ").");
        Double conflicting = card.metrics().get("accuracy_bias_conflicting[smiling!=eyeglasses]");
        Double aligned = card.metrics().get("accuracy_bias_aligned[smiling=eyeglasses]");
        if (conflicting != null && aligned != null) {
            page.finding("It is wrong more often when smile and glasses disagree",
                    "Accuracy on test faces where smiling and eyeglasses disagree: " + percent(conflicting)
                            + "; where they agree: " + percent(aligned) + " (from its model card).");
        }
    }

    private static Map<String, Double> flips(TrueSensitivity.Result r) {
        Map<String, Double> m = new LinkedHashMap<>();
        r.effects().forEach(e -> m.put(e.attribute(), e.flipRate()));
        return m;
    }

    private static void evidence(HtmlReport page, TrueSensitivity.Result b, TrueSensitivity.Result f, int samples) {
        page.section("Which attributes change the decision");
        page.paragraph("Each bar: the share of " + samples + " faces (the same faces for both "
                + "classifiers) whose decision changes when only that attribute is toggled and the face is rendered again. "
                + "A classifier that is right for the right reasons reacts to smiles only.");
        page.chart(Charts.bars(b.classifier(), "decision changed", flips(b), spurious(b, f)),
                b.classifier() + ": decision changes per toggled attribute");
        page.chart(Charts.bars(f.classifier(), "decision changed", flips(f), null),
                f.classifier() + " (unbiased): decision changes per toggled attribute");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < b.effects().size(); i++) {
            TrueSensitivity.AttributeEffect eb = b.effects().get(i);
            TrueSensitivity.AttributeEffect ef = f.effects().get(i);
            rows.add(List.of(eb.attribute(), percent(eb.flipRate()), signed(eb.addEffect()), percent(ef.flipRate()),
                    signed(ef.addEffect())));
        }
        page.table(List.of("toggled attribute", b.classifier() + ": decision changed", "effect of adding it on p(smiling)",
                f.classifier() + ": decision changed", "effect of adding it on p(smiling)"), rows);
        for (String attribute : List.of("eyeglasses", "smiling")) {
            page.section(b.classifier() + " on faces with " + attribute + " toggled");
            for (TrueSensitivity.Example e : b.effect(attribute).examples()) {
                page.figure(Pictures.panel(e.original(), e.counterfactual(), e.before(), e.after()),
                        "p(smiling) before and after toggling " + attribute);
            }
        }
    }

    /** The real pretrained emotion classifier (TensorFlow.js, from @vladmandic/human), or null with a note. */
    private FileClassifier emotionModel(VcexContext ctx) {
        try {
            return BuiltInModels.emotion(ctx);
        } catch (VcexException e) {
            common.out().println("note: the emotion classifier is not available (" + e.getMessage() + ")");
            return null;
        }
    }

    /** What moves the emotion classifier's "happy" output on faces of the world. */
    private static void emotionSection(HtmlReport page, TrueSensitivity.Result r, TrueSensitivityConfig cfg) {
        page.section("A real pretrained classifier: emotion");
        if (r == null) {
            page.paragraph("(the emotion classifier is not available in models/emotion)");
            return;
        }
        Map<String, Double> effect = new LinkedHashMap<>();
        r.effects().forEach(e -> effect.put(e.attribute(), e.addEffect()));
        String strongest = r.effects().stream().max(java.util.Comparator.comparingDouble(
                (TrueSensitivity.AttributeEffect e) -> Math.abs(e.addEffect()))).orElseThrow().attribute();
        page.paragraph("The facial-expression network of the @vladmandic/human project (TensorFlow.js graph model, MIT "
                + "licence), run by vcex's own TF.js interpreter (checked against TensorFlow.js), on the same faces. "
                + "No one here trained it, so what drives it is not known in advance. The bars show how much adding "
                + "each attribute changes its probability of 'happy' on average.");
        page.chart(Charts.bars("emotion: effect of adding an attribute on p(happy)", "mean change of p(happy)", effect,
                strongest), "emotion classifier: mean change of p(happy) when an attribute is added");
        page.finding(emotionLine(r), "Ground truth from re-rendered faces, as above, for the real pretrained "
                + "facial-expression network (no one here trained it); its 'happy' output, averaged over " + cfg.samples()
                + " faces per attribute.");
        for (TrueSensitivity.Example e : r.effect("smiling").examples()) {
            page.figure(Pictures.panel(e.original(), e.counterfactual(), e.before(), e.after()),
                    "emotion: p(happy) before and after toggling the smile");
        }
    }

    private static String emotionLine(TrueSensitivity.Result r) {
        TrueSensitivity.AttributeEffect top = r.effects().stream().max(java.util.Comparator.comparingDouble(
                (TrueSensitivity.AttributeEffect e) -> Math.abs(e.addEffect()))).orElseThrow();
        return "the real emotion classifier's 'happy' moves most with " + top.attribute() + " ("
                + signed(top.addEffect()) + " on average when added); a drawn smile adds "
                + signed(r.effect("smiling").addEffect());
    }

    private static void metrics(VcexContext ctx, Zoo zoo, HtmlReport page, WhiteBoxClassifier biased, TrueSensitivity.Result b) {
        List<ImageData> orig = new ArrayList<>();
        List<ImageData> cf = new ArrayList<>();
        for (TrueSensitivity.Example e : b.effect("eyeglasses").examples()) {
            orig.add(e.original());
            cf.add(e.counterfactual());
        }
        Evaluation.Builder eb = Evaluation.builder(ctx).setPairs(orig, cf).optClassifier(biased)
                .optTargetAttribute("eyeglasses");
        List<String> names = new ArrayList<>(List.of("flip_rate", "l1", "l2", "ssim"));
        try {
            eb.optFeatures(zoo.features(ctx, "feature-net"));
            names.addAll(List.of("lpips", "face_similarity"));
        } catch (VcexException e) {
            page.paragraph("(feature-net not available: " + e.getMessage() + ")");
        }
        try {
            eb.optOracle(zoo.classifier(ctx, "oracle"));
            names.add("mnac");
        } catch (VcexException e) {
            page.paragraph("(oracle not available: " + e.getMessage() + ")");
        }
        Evaluation ev = eb.build();
        List<MetricResult> results = new ArrayList<>();
        for (String n : names) {
            results.add(Metrics.compute(Metrics.get(n), ev));
        }
        page.section("How a perfect counterfactual scores");
        page.paragraph("The example pairs above (glasses toggled, nothing else changed) measured with vcex's metrics: "
                + "the reference a generated counterfactual of the same edit should approach.");
        page.metrics(results);
    }

    /** Faces the DVCE section explains: not smiling and without the spurious attribute. */
    static final int DVCE_FACES = 8;

    /**
     * DVCE on both classifiers, asked to make unsmiling faces smile; the oracle says whether the
     * counterfactuals added the spurious attribute, which the ground truth above says the biased
     * classifier rewards.
     *
     * @return the finding's line, or null when the diffusion model is not available
     */
    private String dvceSection(VcexContext ctx, Zoo zoo, HtmlReport page, WhiteBoxClassifier biased, WhiteBoxClassifier fair,
            String spurious) {
        page.section("Counterfactuals by DVCE");
        try {
            zoo.verified("diffusion");
            zoo.verified("oracle");
        } catch (VcexException e) {
            page.paragraph("DVCE is skipped: " + e.getMessage());
            return null;
        }
        io.vcex.core.diffusion.Denoiser denoiser = Models.denoiser(ctx, zoo, "diffusion");
        WhiteBoxClassifier oracle = zoo.classifier(ctx, "oracle");
        int attribute = oracle.spec().classIndex(spurious);
        io.vcex.data.world.FacesWorld world = new io.vcex.data.world.FacesWorld(io.vcex.data.world.WorldConfig.inPrior(), 99);
        List<ImageData> faces = new ArrayList<>();
        for (int i = 0; faces.size() < DVCE_FACES; i++) {
            io.vcex.data.world.FaceAttributes a = world.attributes(i);
            if (!a.smiling() && !a.flag(spurious)) {
                faces.add(world.render(a));
            }
        }
        // the paper's settings but a 100-step schedule (50 reverse steps), to keep the demo short
        io.vcex.methods.dvce.DvceConfig config = new io.vcex.methods.dvce.DvceConfig(100, null, null, null, null, null, null,
                null, null, null, null, null, 8);
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (WhiteBoxClassifier clf : List.of(biased, fair)) {
            List<io.vcex.methods.dvce.DvceResult> rs = new io.vcex.methods.dvce.Dvce(denoiser, clf, null, null, config)
                    .explain(ctx, faces, "smiling");
            List<ImageData> cfs = rs.stream().map(io.vcex.methods.dvce.DvceResult::counterfactual).toList();
            io.vcex.core.classifier.Scores before;
            io.vcex.core.classifier.Scores after;
            try (ai.djl.ndarray.NDManager scope = ctx.newScope()) {
                before = oracle.scores(io.vcex.core.image.ImageTensors.toBatch(scope, faces, io.vcex.core.image.ValueRange.UNIT));
                after = oracle.scores(io.vcex.core.image.ImageTensors.toBatch(scope, cfs, io.vcex.core.image.ValueRange.UNIT));
            }
            int flipped = 0;
            int added = 0;
            int smiles = 0;
            List<ImageData> strip = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            for (int i = 0; i < rs.size(); i++) {
                io.vcex.methods.dvce.DvceResult r = rs.get(i);
                flipped += r.flipped() ? 1 : 0;
                boolean gained = after.probability(i, attribute) > 0.5f && before.probability(i, attribute) <= 0.5f;
                added += gained ? 1 : 0;
                smiles += after.probability(i, oracle.spec().classIndex("smiling")) > 0.5f ? 1 : 0;
                strip.add(r.counterfactual());
                captions.add(String.format(Locale.ROOT, "p=%.2f%s", r.counterfactualProbabilities()[r.targetClass()],
                        gained ? " +" + spurious : ""));
            }
            counts.put(clf.spec().name(), new int[] {flipped, added, smiles});
            page.figure(Pictures.strip(strip, captions), clf.spec().name() + ": DVCE counterfactuals toward 'smiling' (p of "
                    + "smiling by " + clf.spec().name() + "; '+" + spurious + "' where the oracle sees it added)");
        }
        page.figure(Pictures.strip(faces, java.util.Collections.nCopies(faces.size(), "original")),
                "The " + faces.size() + " faces: not smiling, no " + spurious);
        int[] bc = counts.get(biased.spec().name());
        int[] fc = counts.get(fair.spec().name());
        String line = String.format(Locale.ROOT, "DVCE counterfactuals that make %s say 'smiling' add %s to %d of %d faces "
                + "(for %s: %d of %d); the oracle sees a real smile in %d and %d of them", biased.spec().name(), spurious,
                bc[1], faces.size(), fair.spec().name(), fc[1], faces.size(), bc[2], fc[2]);
        page.paragraph(line + String.format(Locale.ROOT, ". Decisions flipped: %d of %d (%s), %d of %d (%s). DVCE's paper "
                + "settings (C_c 0.1, C_d 0.15, l1, late start at half the schedule), no cone, a 100-step schedule.", bc[0],
                faces.size(), biased.spec().name(), fc[0], faces.size(), fair.spec().name()));
        return line;
    }
}
