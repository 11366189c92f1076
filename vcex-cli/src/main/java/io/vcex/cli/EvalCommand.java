package io.vcex.cli;

import io.vcex.core.VcexException;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.classifier.Scores;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.provenance.Versions;
import io.vcex.data.dataset.PairedFolders;
import io.vcex.metrics.Evaluation;
import io.vcex.metrics.Metric;
import io.vcex.metrics.MetricResult;
import io.vcex.metrics.Metrics;
import io.vcex.report.HtmlReport;
import io.vcex.report.Pictures;
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

/** {@code vcex eval}: metrics of any folder pair of originals and counterfactuals. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate counterfactuals (from vcex or any tool) against their originals: metrics.json and a report.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--originals", required = true, description = "Folder of original images.")
    Path originals;

    @Option(names = "--counterfactuals", required = true, description = "Folder of counterfactuals, matched to originals by file name.")
    Path counterfactuals;

    @Option(names = "--classifier", description = "The explained classifier: a zoo name (e.g. smile) or a model folder. Needed for validity metrics.")
    String classifier;

    @Option(names = "--target", defaultValue = "flip", description = "Target class name or index, or 'flip' (default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--oracle", description = "Multi-attribute classifier for MNAC/CD (zoo name, or 'none'; default: oracle for "
            + "64x64 images, the faces world's, else none).")
    String oracle;

    @Option(names = "--features", description = "Feature network for FID, LPIPS, face similarity (zoo name or 'none'; default: "
            + "mnist-net for 28x28 images, else feature-net).")
    String features;

    @Option(names = "--target-attribute", description = "The oracle attribute the counterfactuals should change (for CD; left out of MNAC).")
    String targetAttribute;

    @Option(names = "--metrics", description = "Comma-separated metrics (default: every metric the given models allow). Known: ${COMPLETION-CANDIDATES}",
            completionCandidates = MetricNames.class)
    String metrics;

    @Option(names = "--out", required = true, description = "Output folder for metrics.json, per_pair.csv and report.html.")
    Path out;

    @Option(names = "--report", negatable = true, defaultValue = "true", description = "Write report.html (default ${DEFAULT-VALUE}).")
    boolean report;

    @Option(names = "--batch", defaultValue = "64", description = "Images per model call (default ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    CommonOptions common;

    /** The metric names, for the help text. */
    static final class MetricNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        MetricNames() {
            Metrics.all().forEach(m -> add(m.name()));
        }
    }

    @Override
    public Integer call() {
        PairedFolders pairs = PairedFolders.open(originals, counterfactuals);
        Zoo zoo = Zoo.builtIn();
        try (VcexContext ctx = VcexContext.builder().optProgress(common.progress()).build()) {
            Map<String, ModelInfo> models = new LinkedHashMap<>();
            BlackBoxClassifier c = null;
            if (classifier != null) {
                c = Models.blackBox(ctx, zoo, classifier);
                models.put(c.info().name(), c.info());
            }
            int side = pairs.originals().get(0).height();
            String oracleName = oracle != null ? oracle : side == 64 ? "oracle" : "none";
            String featuresName = features != null ? features : side == 28 ? "mnist-net" : "feature-net";
            BlackBoxClassifier o = "none".equals(oracleName) || !present(zoo, oracleName) ? null
                    : zooClassifier(ctx, zoo, oracleName, models);
            ImageFeatures f = "none".equals(featuresName) || !present(zoo, featuresName) ? null : zoo.features(ctx, featuresName);
            if (f != null) {
                models.put(featuresName, f.info());
            }
            int[] targets = null;
            if (c != null && !target.equals("flip")) {
                int t = c.spec().classIndex(target);
                targets = new int[pairs.ids().size()];
                java.util.Arrays.fill(targets, t);
            }
            Evaluation e = Evaluation.builder(ctx).setPairs(pairs.originals(), pairs.counterfactuals()).optClassifier(c)
                    .optTargets(targets).optOracle(o).optFeatures(f).optTargetAttribute(targetAttribute).optBatchSize(batch)
                    .build();
            List<Metric> chosen = metrics != null ? Metrics.parse(metrics) : Metrics.applicable(e);
            List<MetricResult> results = new ArrayList<>();
            for (Metric m : chosen) {
                results.add(Metrics.compute(m, e));
            }
            write(pairs, results, models, e);
            PrintWriterTable.print(common.out(), results);
            common.out().println("wrote " + out.resolve("metrics.json") + (report ? " and " + out.resolve("report.html") : ""));
        }
        return 0;
    }

    private boolean present(Zoo zoo, String name) {
        try {
            zoo.verified(name);
            return true;
        } catch (VcexException e) {
            if (name.equals("oracle") || name.equals("feature-net") || name.equals("mnist-net")) {
                common.out().println("note: " + name + " is not available (" + e.getMessage() + "); metrics that need it are skipped");
                return false;
            }
            throw e;
        }
    }

    private static BlackBoxClassifier zooClassifier(VcexContext ctx, Zoo zoo, String name, Map<String, ModelInfo> models) {
        if (name.contains("/") || name.contains(".")) {
            throw new VcexException("Oracle '" + name + "' looks like a file; the oracle is a zoo model (./vcex zoo list)");
        }
        BlackBoxClassifier c = zoo.classifier(ctx, name);
        models.put(name, c.info());
        return c;
    }

    private void write(PairedFolders pairs, List<MetricResult> results, Map<String, ModelInfo> models, Evaluation e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pairs", pairs.ids().size());
        Map<String, Object> values = new LinkedHashMap<>();
        for (MetricResult r : results) {
            values.put(r.name(), Map.of("value", r.value(), "details", r.details()));
        }
        json.put("metrics", values);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("originals", originals.toString());
        config.put("counterfactuals", counterfactuals.toString());
        config.put("classifier", classifier);
        config.put("target", target);
        config.put("target_attribute", targetAttribute);
        json.put("config", config);
        json.put("models", models);
        json.put("vcex_version", Versions.vcex());
        Json.write(out.resolve("metrics.json"), json);
        StringBuilder csv = new StringBuilder("file");
        List<MetricResult> perPair = results.stream().filter(r -> r.perItem() != null).toList();
        perPair.forEach(r -> csv.append(',').append(r.name()));
        csv.append('\n');
        for (int i = 0; i < pairs.ids().size(); i++) {
            csv.append('"').append(pairs.ids().get(i).replace("\"", "\"\"")).append('"');
            for (MetricResult r : perPair) {
                csv.append(',').append(String.format(Locale.ROOT, "%.6g", r.perItem()[i]));
            }
            csv.append('\n');
        }
        Json.writeString(out.resolve("per_pair.csv"), csv.toString());
        if (report) {
            HtmlReport page = new HtmlReport("vcex evaluation: " + counterfactuals.getFileName());
            page.paragraph(pairs.ids().size() + " pairs from " + originals + " and " + counterfactuals + ".");
            page.section("Metrics").metrics(results);
            int shown = Math.min(12, pairs.ids().size());
            page.section("The first " + shown + " pairs");
            boolean scored = classifier != null;
            Scores before = scored ? e.originalScores() : null;
            Scores after = scored ? e.counterfactualScores() : null;
            int[] tgt = scored ? e.targetClasses() : null;
            for (int i = 0; i < shown; i++) {
                double pb = scored ? before.probability(i, tgt[i]) : Double.NaN;
                double pa = scored ? after.probability(i, tgt[i]) : Double.NaN;
                page.figure(Pictures.panel(pairs.originals().get(i), pairs.counterfactuals().get(i), pb, pa),
                        pairs.ids().get(i) + (scored ? " (target probability before and after)" : ""));
            }
            page.provenance(json);
            page.write(out.resolve("report.html"));
        }
    }
}
