package io.vcex.cli;

import ai.djl.ndarray.NDArray;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.classifier.Scores;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageData;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.provenance.Provenance;
import io.vcex.data.world.FaceAttributes;
import io.vcex.methods.truth.TrueSensitivity;
import io.vcex.methods.truth.TrueSensitivityConfig;
import io.vcex.methods.zoom.Attribute;
import io.vcex.methods.zoom.AttributePrompts;
import io.vcex.methods.zoom.EditDirection;
import io.vcex.methods.zoom.PromptStability;
import io.vcex.methods.zoom.Traversal;
import io.vcex.methods.zoom.Zoom;
import io.vcex.methods.zoom.ZoomConfig;
import io.vcex.methods.zoom.ZoomResult;
import io.vcex.metrics.Evaluation;
import io.vcex.metrics.MetricResult;
import io.vcex.metrics.Metrics;
import io.vcex.report.Charts;
import io.vcex.report.HtmlReport;
import io.vcex.zoo.Zoo;
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
 * {@code vcex bench zoom}: ZOOM's evaluation on the built-in models. Three parts:
 * <ol>
 * <li>bias discovery: the sensitivity histograms of {@code smile-biased} (trained where 95% of
 * smiling faces wear glasses) and of the unbiased {@code smile}; eyeglasses must rank first for the
 * first and not stand out for the second. A second planted bias: {@code old+hat}, a classifier
 * made here whose logit is the {@code old} classifier's plus the oracle's hat logit (a dependence
 * on hats by construction). Each histogram is compared with the faces world's true sensitivities
 * (re-rendered true counterfactuals) by rank correlation;</li>
 * <li>appendix Table 2: SGD against PGD on three classifiers (flip rate, SSIM);</li>
 * <li>the oracle's check of every single-attribute direction at w = +/- bound/2: how often the
 * intended attribute appears (or goes), and how many other attributes change (MNAC).</li>
 * </ol>
 */
@Command(name = "zoom", mixinStandardHelpOptions = true,
        description = "ZOOM: bias discovery on smile-biased vs smile (and a planted old+hat bias), SGD vs PGD on three "
                + "classifiers, oracle check of the edit directions: table and report.")
final class ZoomBench implements Callable<Integer> {
    static final String ATTRIBUTES = "eyeglasses,hat,mustache,bangs,old,lipstick,blonde hair,black hair,grey hair";

    @Option(names = "--samples", defaultValue = "100", description = "Generated images per diagnosis (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--attributes", defaultValue = ATTRIBUTES, description = "Attributes (default ${DEFAULT-VALUE}).")
    String attributes;

    @Option(names = "--parts", defaultValue = "bias,optimizers,oracle,stability", description = "Which parts (default ${DEFAULT-VALUE}).")
    String parts;

    @Option(names = "--classifiers", defaultValue = "smile,old,eyeglasses",
            description = "Classifiers of the SGD/PGD table (default ${DEFAULT-VALUE}).")
    String classifiers;

    @Option(names = "--oracle-samples", defaultValue = "50", description = "Images per direction in the oracle check "
            + "(default ${DEFAULT-VALUE}).")
    int oracleSamples;

    @Option(names = "--truth-samples", defaultValue = "200", description = "Faces of the true-sensitivity reference "
            + "(default ${DEFAULT-VALUE}).")
    int truthSamples;

    @Option(names = "--out", defaultValue = "bench/zoom", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    ZoomOptions zoom;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        List<String> which = List.of(parts.split(","));
        for (String p : which) {
            if (!List.of("bias", "optimizers", "oracle", "stability").contains(p)) {
                throw new VcexException("Unknown part '" + p + "'; known: bias, optimizers, oracle, stability");
            }
        }
        ZoomOptions.samples(samples);
        List<Attribute> attrs = AttributePrompts.parseList(attributes, 0);
        Zoo zoo = zoom.zoo();
        Map<String, Object> json = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder();
        HtmlReport page = new HtmlReport("ZOOM benchmark");
        try (VcexContext ctx = VcexContext.builder().seed(zoom.seed).optProgress(common.progress()).build()) {
            ZoomOptions.Loaded loaded = zoom.load(ctx);
            WhiteBoxClassifier oracle = zoo.classifier(ctx, "oracle");
            json.put("relevance", Map.of("file", loaded.relevanceFile().toString(), "config", loaded.relevance().config(),
                    "seconds", loaded.relevance().seconds()));
            if (which.contains("bias")) {
                json.put("bias", bias(ctx, zoo, loaded, oracle, attrs, md, page));
            }
            if (which.contains("optimizers")) {
                json.put("optimizers", optimizers(ctx, zoo, loaded, attrs, md, page));
            }
            if (which.contains("oracle")) {
                json.put("oracle", oracleCheck(ctx, zoo, loaded, oracle, attrs, md, page));
            }
            if (which.contains("stability")) {
                json.put("stability", stability(ctx, zoo, loaded, md, page));
            }
            json.put("command", "./vcex bench zoom --samples " + samples + " --parts " + parts + " --attributes \"" + attributes
                    + "\" --classifiers " + classifiers + " --oracle-samples " + oracleSamples
                    + (zoom.weightUnit == null ? "" : " --weight-unit " + zoom.weightUnit) + " --out " + out);
            json.put("relevance", Map.of("file", String.valueOf(loaded.relevanceFile()), "images", loaded.relevance().config().samples()));
            json.put("provenance", Provenance.ofModels("bench.zoom", zoom.config(samples), zoom.seed,
                    List.of(loaded.generator().info(), loaded.encoder().info(), oracle.info())));
        }
        Json.write(out.resolve("results.json"), json);
        Json.writeString(out.resolve("results.md"), md.toString());
        page.provenance(json);
        page.write(out.resolve("report.html"));
        common.out().print(md);
        common.out().println("wrote " + out.resolve("results.json") + ", results.md and report.html");
        return 0;
    }

    /** Part 1: the histograms of the biased and unbiased classifiers and of the planted old+hat one, against the truth. */
    private Map<String, Object> bias(VcexContext ctx, Zoo zoo, ZoomOptions.Loaded loaded, WhiteBoxClassifier oracle,
            List<Attribute> attrs, StringBuilder md, HtmlReport page) {
        Map<String, Object> out = new LinkedHashMap<>();
        WhiteBoxClassifier biased = zoo.classifier(ctx, "smile-biased");
        WhiteBoxClassifier smile = zoo.classifier(ctx, "smile");
        WhiteBoxClassifier planted = plantedOldHat(zoo.classifier(ctx, "old"), oracle);
        List<Attribute> withoutOld = attrs.stream().filter(a -> !a.name().equals("old")).toList();
        md.append("## Bias discovery\n\n| classifier | planted bias | ranking (sensitivity) | rank of the bias | "
                + "rank correlation with the truth | check |\n|---|---|---|---|---|---|\n");
        page.section("Bias discovery");
        Object[][] cases = {{biased, "eyeglasses", attrs, "first"}, {smile, "eyeglasses", attrs, "not first"},
            {planted, "hat", withoutOld, "first"}};
        for (Object[] c : cases) {
            WhiteBoxClassifier clf = (WhiteBoxClassifier) c[0];
            String bias = (String) c[1];
            @SuppressWarnings("unchecked")
            List<Attribute> list = (List<Attribute>) c[2];
            ZoomConfig config = zoom.config(samples);
            ZoomResult r = zoom.zoom(loaded, clf, config).diagnose(ctx, list);
            int rank = r.ranking().indexOf(bias) + 1;
            boolean pass = "first".equals(c[3]) ? rank == 1 : rank != 1;
            Map<String, Object> row = new LinkedHashMap<>(ZoomOutput.summary(r));
            row.put("bias_attribute", bias);
            row.put("bias_rank", rank);
            row.put("expected", c[3]);
            row.put("pass", pass);
            double rho = truthCorrelation(ctx, clf, r, row);
            out.put(clf.spec().name(), row);
            StringBuilder ranking = new StringBuilder();
            for (String name : r.ranking()) {
                ranking.append(ranking.length() == 0 ? "" : ", ").append(name).append(' ')
                        .append(String.format(Locale.ROOT, "%.2f", r.summary(name).sensitivity()));
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s (expected %s) |%n", clf.spec().name(),
                    clf == smile ? "none (" + bias + " should not stand out)" : bias, ranking, rank,
                    Double.isNaN(rho) ? "-" : String.format(Locale.ROOT, "%.2f", rho), pass ? "pass" : "FAIL", c[3]));
            page.chart(Charts.bars(clf.spec().name(), "share", r.sensitivities(), bias), clf.spec().name()
                    + ": ZOOM sensitivity histogram (" + r.samples().size() + " images)");
            ZoomOutput.png(out(clf.spec().name() + "-sensitivity.png"), ZoomOutput.histogram(r, clf.spec().name()));
        }
        md.append('\n');
        return out;
    }

    private Path out(String file) {
        return out.resolve(file.replace('+', '-'));
    }

    /** Spearman correlation between ZOOM's sensitivities and the true ones over the binary faces-world attributes. */
    private double truthCorrelation(VcexContext ctx, WhiteBoxClassifier clf, ZoomResult r, Map<String, Object> row) {
        List<String> binary = r.ranking().stream().filter(FaceAttributes.BINARY::contains).toList();
        if (binary.size() < 2) {
            return Double.NaN;
        }
        TrueSensitivity.Result truth = TrueSensitivity.run(ctx, clf, new TrueSensitivityConfig(binary, truthSamples, null, null), 0);
        double[] z = new double[binary.size()];
        double[] t = new double[binary.size()];
        Map<String, Double> trueMap = new LinkedHashMap<>();
        for (int k = 0; k < binary.size(); k++) {
            z[k] = r.summary(binary.get(k)).sensitivity();
            t[k] = truth.effect(binary.get(k)).sensitivity();
            trueMap.put(binary.get(k), t[k]);
        }
        double rho = PromptStability.spearman(z, t);
        row.put("true_sensitivity", trueMap);
        row.put("rank_correlation_with_truth", rho);
        return rho;
    }

    /**
     * A classifier with a bias planted by construction: the {@code old} classifier's logit plus the
     * oracle's hat logit, so hats push it towards "old" as much as age does.
     */
    static WhiteBoxClassifier plantedOldHat(WhiteBoxClassifier old, WhiteBoxClassifier oracle) {
        int hat = oracle.spec().classNames().indexOf("hat");
        if (hat < 0 || oracle.spec().outputKind() != OutputKind.MULTI_LABEL) {
            throw new VcexException("The planted old+hat classifier needs the oracle's hat output");
        }
        ClassifierSpec spec = new ClassifierSpec("old+hat", old.spec().input(), old.spec().classNames(), OutputKind.BINARY_LOGIT);
        return new WhiteBoxClassifier() {
            @Override
            public ClassifierSpec spec() {
                return spec;
            }

            @Override
            public ModelInfo info() {
                Map<String, String> files = new LinkedHashMap<>();
                old.info().fileSha256().forEach((f, s) -> files.put("old/" + f, s));
                oracle.info().fileSha256().forEach((f, s) -> files.put("oracle/" + f, s));
                return new ModelInfo("old+hat", files);
            }

            @Override
            public NDArray logits(NDArray images) {
                return old.logits(images).add(oracle.logits(images).get(":, " + hat + ":" + (hat + 1)));
            }
        };
    }

    /** Part 2: appendix Table 2, SGD against PGD. */
    private Map<String, Object> optimizers(VcexContext ctx, Zoo zoo, ZoomOptions.Loaded loaded, List<Attribute> attrs,
            StringBuilder md, HtmlReport page) {
        Map<String, Object> out = new LinkedHashMap<>();
        md.append("## SGD against PGD (appendix Table 2)\n\n| optimiser | classifier | SSIM | flip rate | most sensitive | s |\n"
                + "|---|---|---|---|---|---|\n");
        List<List<String>> rows = new ArrayList<>();
        for (String opt : List.of("sgd", "pgd")) {
            for (String name : classifiers.split(",")) {
                WhiteBoxClassifier clf = Models.whiteBox(ctx, zoo, name.trim());
                List<String> own = clf.spec().classNames();
                // a classifier's own attribute is not a candidate bias: its edits would be the true class
                List<Attribute> list = attrs.stream().filter(a -> !own.contains(a.name())).toList();
                ZoomResult r = zoom.zoom(loaded, clf, zoom.config(samples).withOptimizer(opt)).diagnose(ctx, list);
                Map<String, Object> row = ZoomOutput.summary(r);
                out.put(opt + "/" + name.trim(), row);
                List<String> cells = List.of(opt.toUpperCase(Locale.ROOT), name.trim(), ZoomOutput.fmt(r.meanSsim()),
                        String.format(Locale.ROOT, "%.1f%%", 100 * r.flipRate()), r.ranking().get(0),
                        String.format(Locale.ROOT, "%.0f", r.seconds()));
                rows.add(cells);
                md.append("| ").append(String.join(" | ", cells)).append(" |\n");
            }
        }
        md.append('\n');
        page.section("SGD against PGD (appendix Table 2)").table(List.of("optimiser", "classifier", "SSIM", "flip rate",
                "most sensitive", "s"), rows);
        return out;
    }

    /** Part 4: appendix A.3, the smile-biased histogram under the four phrasings of the attributes. */
    private Map<String, Object> stability(VcexContext ctx, Zoo zoo, ZoomOptions.Loaded loaded, StringBuilder md, HtmlReport page) {
        WhiteBoxClassifier biased = zoo.classifier(ctx, "smile-biased");
        List<String> names = new ArrayList<>();
        List<Map<String, Double>> sens = new ArrayList<>();
        for (int v = 0; v < AttributePrompts.VARIANTS; v++) {
            List<Attribute> reworded = AttributePrompts.parseList(attributes, v);
            names.add(String.join("; ", reworded.stream().map(Attribute::phrase).toList()));
            sens.add(zoom.zoom(loaded, biased, zoom.config(samples)).diagnose(ctx, reworded).sensitivities());
        }
        PromptStability.Report s = PromptStability.compare(names, sens);
        md.append("## Stability across phrasings (appendix A.3), smile-biased\n\n| phrasing | most sensitive | sensitivities |\n"
                + "|---|---|---|\n");
        for (int v = 0; v < names.size(); v++) {
            md.append("| ").append(names.get(v)).append(" | ").append(s.top().get(v)).append(" | ").append(sens.get(v).entrySet()
                    .stream().map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.2f", e.getValue())).toList()).append(" |\n");
        }
        md.append(String.format(Locale.ROOT, "%nmean rank correlation %.2f (lowest %.2f), largest difference %.3f, same most "
                + "sensitive attribute: %s%n%n", s.meanSpearman(), s.minSpearman(), s.maxAbsDifference(), s.sameTop()));
        page.section("Stability across phrasings").paragraph(String.format(Locale.ROOT, "mean rank correlation %.2f, same most "
                + "sensitive attribute under every phrasing: %s (%s)", s.meanSpearman(), s.sameTop(), s.top()));
        return ZoomOutput.stability(s);
    }

    /** Part 3: each direction at +/- bound/2, read by the oracle. */
    private Map<String, Object> oracleCheck(VcexContext ctx, Zoo zoo, ZoomOptions.Loaded loaded, WhiteBoxClassifier oracle,
            List<Attribute> attrs, StringBuilder md, HtmlReport page) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> oracleNames = oracle.spec().classNames();
        WhiteBoxClassifier smile = zoo.classifier(ctx, "smile");
        ZoomConfig config = zoom.config(oracleSamples);
        Zoom z = zoom.zoom(loaded, smile, config);
        List<EditDirection> dirs = z.directions(ctx, attrs);
        float w = config.bound().floatValue() / 2;
        List<Traversal> trav = z.traverse(ctx, dirs, new float[] {-w, 0, w}, oracleSamples);
        md.append(String.format(Locale.ROOT, "## Oracle check of the directions (w = +/-%.0f, %d images)%n%n", w, oracleSamples)
                + "| attribute | oracle name | added at +w (of absent) | removed at -w (of present) | MNAC at +w | MNAC at -w |\n"
                + "|---|---|---|---|---|---|\n");
        for (Traversal t : trav) {
            String name = t.attribute().name();
            String oracleName = oracleName(name);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("oracle_attribute", oracleName);
            if (!oracleNames.contains(oracleName)) {
                row.put("note", "the oracle does not read this attribute");
                out.put(name, row);
                continue;
            }
            int col = oracleNames.indexOf(oracleName);
            List<ImageData> minus = new ArrayList<>();
            List<ImageData> zero = new ArrayList<>();
            List<ImageData> plus = new ArrayList<>();
            for (List<ImageData> per : t.images()) {
                minus.add(per.get(0));
                zero.add(per.get(1));
                plus.add(per.get(2));
            }
            float[][] p0 = probabilities(ctx, oracle, zero);
            float[][] pp = probabilities(ctx, oracle, plus);
            float[][] pm = probabilities(ctx, oracle, minus);
            int absent = 0;
            int added = 0;
            int present = 0;
            int removed = 0;
            for (int i = 0; i < zero.size(); i++) {
                if (p0[i][col] <= 0.5f) {
                    absent++;
                    added += pp[i][col] > 0.5f ? 1 : 0;
                } else {
                    present++;
                    removed += pm[i][col] <= 0.5f ? 1 : 0;
                }
            }
            double mnacPlus = mnac(ctx, oracle, zero, plus, oracleName);
            double mnacMinus = mnac(ctx, oracle, zero, minus, oracleName);
            row.put("absent", absent);
            row.put("added_rate", absent == 0 ? Double.NaN : added / (double) absent);
            row.put("present", present);
            row.put("removed_rate", present == 0 ? Double.NaN : removed / (double) present);
            row.put("mnac_plus", mnacPlus);
            row.put("mnac_minus", mnacMinus);
            row.put("active_channels", dirs.stream().filter(d -> d.attribute().name().equals(name)).findFirst().orElseThrow()
                    .activeChannels());
            out.put(name, row);
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %.2f |%n", name, oracleName,
                    rate(added, absent), rate(removed, present), mnacPlus, mnacMinus));
            // the first 6 of the images (all of them made the report 20 MB)
            page.figure(ZoomOutput.traversal(t, smile.spec().classNames(), 1, 6), name + " at -w, 0, +w (6 of "
                    + t.images().size() + " images)");
        }
        md.append('\n');
        return out;
    }

    private static String rate(int k, int n) {
        return n == 0 ? "-" : String.format(Locale.ROOT, "%.2f (%d/%d)", k / (double) n, k, n);
    }

    /** The oracle's output for an attribute name: "blonde hair" is hair_color=blonde, "red lipstick" lipstick_color=red. */
    static String oracleName(String attribute) {
        String[] w = attribute.split(" ");
        if (w.length == 2 && w[1].equals("hair")) {
            return "hair_color=" + w[0];
        }
        if (w.length == 2 && w[1].equals("lipstick")) {
            return "lipstick_color=" + w[0];
        }
        return attribute;
    }

    private static float[][] probabilities(VcexContext ctx, WhiteBoxClassifier oracle, List<ImageData> images) {
        try (ai.djl.ndarray.NDManager scope = ctx.newScope()) {
            Scores s = oracle.scores(io.vcex.core.image.ImageTensors.toBatch(scope, images, io.vcex.core.image.ValueRange.UNIT));
            return s.probabilities();
        }
    }

    private static double mnac(VcexContext ctx, WhiteBoxClassifier oracle, List<ImageData> a, List<ImageData> b, String target) {
        Evaluation e = Evaluation.builder(ctx).setPairs(a, b).optOracle(oracle).optTargetAttribute(target).build();
        MetricResult r = Metrics.compute(Metrics.get("mnac"), e);
        return r.value();
    }
}
