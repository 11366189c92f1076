package io.vcex.cli;

import ai.djl.ndarray.NDManager;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.classifier.Scores;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import io.vcex.core.provenance.Versions;
import io.vcex.data.world.FacesWorld;
import io.vcex.data.world.WorldConfig;
import io.vcex.methods.gcd.Anchoring;
import io.vcex.methods.gcd.BbLig;
import io.vcex.methods.gcd.CounterfactualLoss;
import io.vcex.methods.gcd.Direction;
import io.vcex.methods.gcd.Gcd;
import io.vcex.methods.gcd.GcdConfig;
import io.vcex.methods.gcd.GcdResult;
import io.vcex.methods.gcd.LineSearch;
import io.vcex.methods.gcd.Transfer;
import io.vcex.metrics.Evaluation;
import io.vcex.metrics.Metric;
import io.vcex.metrics.MetricResult;
import io.vcex.metrics.Metrics;
import io.vcex.metrics.attribution.AttributionMetric;
import io.vcex.metrics.attribution.Complexity;
import io.vcex.metrics.attribution.EffectiveComplexity;
import io.vcex.metrics.attribution.Sparseness;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vcex bench gcd}: GCD in the faces world (issue 7): flip rates and counterfactual metrics
 * of the g-direction and the h-directions combined on held-out faces, the spread over source
 * images (the paper's Table 3), BB-LIG against AD and BB-IG (Table 9), the oracle attributes the
 * g-direction of a biased classifier changes, and the cost.
 */
@Command(name = "gcd", mixinStandardHelpOptions = true,
        description = "GCD in the faces world: flip rates, metrics, spread over sources, BB-LIG vs AD vs BB-IG, bias, cost.")
final class GcdBench implements Callable<Integer> {
    /** The metrics of the table, in order (those the models allow). */
    static final List<String> TABLE = List.of("l1", "l2", "lpips", "fid", "face_similarity", "mnac", "cout");

    @Option(names = "--classifiers", defaultValue = "smile,old", description = "Classifiers (default ${DEFAULT-VALUE}).")
    String classifiers;

    @Option(names = "--biased", defaultValue = "smile-biased", description = "The biased classifier whose g-direction is "
            + "read by the oracle, or 'none' (default ${DEFAULT-VALUE}).")
    String biased;

    @Option(names = "--oracle", defaultValue = "oracle", description = "Oracle for MNAC and the bias analysis (default ${DEFAULT-VALUE}).")
    String oracle;

    @Option(names = "--sources", defaultValue = "4", description = "Source images per classifier (default ${DEFAULT-VALUE}).")
    int sources;

    @Option(names = "--images", defaultValue = "200", description = "Held-out faces the directions are applied to (default ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--attribution-images", defaultValue = "20", description = "Faces for BB-LIG/AD/BB-IG (default ${DEFAULT-VALUE}).")
    int attributionImages;

    @Option(names = "--out", defaultValue = "bench/gcd", description = "Folder of table.md and results.json (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--work", defaultValue = "out/bench-gcd", description = "Folder of the discoveries and their checkpoints; "
            + "re-running resumes (default ${DEFAULT-VALUE}).")
    Path work;

    @Mixin
    GcdCommand.DiscoveryOptions discovery;

    @Mixin
    GcdCommand.ModelOptions models;

    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        GcdConfig c = discovery.config();
        Map<String, Object> results = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder("# GCD in the faces world\n\nMade by `./vcex bench gcd "
                + String.join(" ", spec.commandLine().getParseResult().originalArgs()) + "` (vcex " + Versions.vcex() + ").\n\n");
        md.append(String.format(Locale.ROOT, "GCD: %d outer iterations x %d perturbed codes, r = %s, lambda = %s; "
                + "directions applied to %d held-out in-prior faces; metrics over the flipped pairs.%n%n", c.iterations(),
                c.perIteration(), c.radius(), c.lambda(), images));
        try (VcexContext ctx = VcexContext.builder().optProgress(common.progress()).seed(c.seed()).build()) {
            ImageFeatures f = models.features(ctx);
            BlackBoxClassifier orc = "none".equals(oracle) ? null : models.classifier(ctx, oracle);
            FacesWorld heldOut = new FacesWorld(WorldConfig.inPrior(), 4242);
            FacesWorld sourceWorld = new FacesWorld(WorldConfig.inPrior(), 4343);
            List<ImageData> faces = new ArrayList<>();
            for (int i = 0; i < images; i++) {
                faces.add(heldOut.render(heldOut.attributes(i)));
            }
            List<String> names = new ArrayList<>(Arrays.asList(classifiers.split(",")));
            if (!"none".equals(biased)) {
                names.add(biased);
            }
            md.append("| classifier | source | directions | flip rate | ").append(String.join(" | ", TABLE))
                    .append(" | queries | decodes | seconds |\n|---|---|---|---|");
            TABLE.forEach(t -> md.append("---|"));
            md.append("---|---|---|\n");
            StringBuilder spread = new StringBuilder();
            StringBuilder attribution = new StringBuilder();
            StringBuilder bias = new StringBuilder();
            for (String name : names) {
                boolean isBiased = name.equals(biased);
                BlackBoxClassifier cls = models.classifier(ctx, name.trim());
                ImageSpec in = cls.spec().input();
                Anchoring a = discovery.open(ctx, models.zoo(), in).anchoring();
                Gcd.Models gm = new Gcd.Models(a, cls, f);
                String attr = targetAttribute(name);
                Map<String, Object> perClassifier = new LinkedHashMap<>();
                List<Map<String, Double>> gRows = new ArrayList<>();
                int nSources = isBiased ? 1 : sources;
                for (int s = 0; s < nSources; s++) {
                    ImageData src = sourceWorld.render(sourceWorld.attributes(s));
                    Path dir = work.resolve(name).resolve("source-" + s);
                    Gcd.Discovery d = Gcd.discover(ctx, gm, src, c, dir.resolve("checkpoint"));
                    d.result().write(dir);
                    List<Direction> dirs = s == 0 && !isBiased ? d.result().asDirections() : List.of(d.result().asDirections().get(0));
                    List<List<ImageData[]>> pairs = new ArrayList<>();
                    List<ImageData[]> combined = new ArrayList<>();
                    for (int k = 0; k < dirs.size(); k++) {
                        pairs.add(new ArrayList<>());
                    }
                    Transfer.Summary sum = Transfer.apply(ctx, a, cls, f, faces, dirs, c, r -> {
                        for (int k = 0; k < dirs.size(); k++) {
                            LineSearch.Outcome o = r.outcomes().get(k);
                            if (o.found()) {
                                pairs.get(k).add(new ImageData[] {faces.get(r.index()), o.counterfactual()});
                            }
                        }
                        if (r.hCombined() >= 0) {
                            combined.add(new ImageData[] {faces.get(r.index()), r.outcomes().get(r.hCombined()).counterfactual()});
                        }
                    });
                    Map<String, Double> g = metrics(ctx, cls, orc, f, attr, pairs.get(0));
                    g.put("flip_rate", sum.rate("g").flipRate());
                    gRows.add(g);
                    GcdResult.Cost cost = d.result().cost();
                    row(md, name, s, "g", g, cost);
                    Map<String, Object> src0 = new LinkedHashMap<>();
                    src0.put("g", g);
                    src0.put("rates", sum.rates());
                    src0.put("discovery_cost", cost);
                    if (dirs.size() > 1) {
                        Map<String, Double> h = metrics(ctx, cls, orc, f, attr, combined);
                        h.put("flip_rate", sum.rate("h-combined").flipRate());
                        row(md, name, s, "h combined", h, null);
                        src0.put("h_combined", h);
                    }
                    perClassifier.put("source-" + s, src0);
                    if (s == 0 && !isBiased && attributionImages > 0) {
                        Map<String, Map<String, Double>> at = attribution(ctx, a, cls, f, faces.subList(0,
                                Math.min(attributionImages, faces.size())), dirs.get(0), c);
                        perClassifier.put("attribution", at);
                        at.forEach((method, v) -> attribution.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.0f |%n",
                                name, method, v.get("sparseness"), v.get("complexity"), v.get("effective_complexity"), v.get("images"))));
                    }
                    if (isBiased && orc != null) {
                        Map<String, Double> changes = oracleChanges(ctx, orc, pairs.get(0));
                        perClassifier.put("oracle_changes", changes);
                        changes.entrySet().stream().limit(6).forEach(e -> bias.append(String.format(Locale.ROOT, "| %s | %.3f |%n",
                                e.getKey(), e.getValue())));
                    }
                }
                if (gRows.size() > 1) {
                    Map<String, double[]> ms = meanSd(gRows);
                    perClassifier.put("g_over_sources", ms);
                    spread.append("| ").append(name).append(" (").append(gRows.size()).append(" sources) |");
                    for (String k : concat("flip_rate", TABLE)) {
                        double[] v = ms.get(k);
                        spread.append(v == null ? " - |" : String.format(Locale.ROOT, " %.3f ± %.3f |", v[0], v[1]));
                    }
                    spread.append('\n');
                }
                results.put(name, perClassifier);
            }
            if (spread.length() > 0) {
                md.append("\n## g-direction over source images (mean ± sd; the paper's Table 3)\n\n| classifier | flip rate | ")
                        .append(String.join(" | ", TABLE)).append(" |\n|---|---|");
                TABLE.forEach(t -> md.append("---|"));
                md.append('\n').append(spread);
            }
            if (attribution.length() > 0) {
                md.append("\n## BB-LIG against AD and BB-IG (g-direction; means over faces with a baseline; the paper's Table 9)\n\n"
                        + "| classifier | map | sparseness (higher is better) | complexity (lower) | effective complexity (lower) | faces |\n"
                        + "|---|---|---|---|---|---|\n").append(attribution);
            }
            if (bias.length() > 0) {
                md.append("\n## What the g-direction of ").append(biased)
                        .append(" changes (oracle, mean |delta p| over flipped faces)\n\n| attribute | mean abs change |\n|---|---|\n")
                        .append(bias);
            }
        }
        results.put("config", c);
        Json.write(out.resolve("results.json"), results);
        Json.writeString(out.resolve("table.md"), md.toString());
        common.out().print(md);
        common.out().println("wrote " + out.resolve("table.md"));
        return 0;
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> l = new ArrayList<>();
        l.add(first);
        l.addAll(rest);
        return l;
    }

    private static String targetAttribute(String classifier) {
        return switch (classifier) {
            case "smile", "smile-biased", "smile-robust" -> "smiling";
            case "old" -> "old";
            case "eyeglasses" -> "eyeglasses";
            default -> null;
        };
    }

    private static void row(StringBuilder md, String name, int s, String what, Map<String, Double> m, GcdResult.Cost cost) {
        md.append("| ").append(name).append(" | ").append(s).append(" | ").append(what).append(" | ")
                .append(String.format(Locale.ROOT, "%.3f", m.get("flip_rate"))).append(" |");
        for (String k : TABLE) {
            Double v = m.get(k);
            md.append(v == null ? " - |" : String.format(Locale.ROOT, " %.3f |", v));
        }
        if (cost == null) {
            md.append(" | | |\n");
        } else {
            md.append(String.format(Locale.ROOT, " %d | %d | %.0f |%n", cost.classifierQueries(), cost.decodedImages(), cost.seconds()));
        }
    }

    private Map<String, Double> metrics(VcexContext ctx, BlackBoxClassifier cls, BlackBoxClassifier orc, ImageFeatures f,
            String attr, List<ImageData[]> pairs) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("pairs", (double) pairs.size());
        if (pairs.size() < 2) {
            return m;
        }
        Evaluation e = Evaluation.builder(ctx).setPairs(pairs.stream().map(p -> p[0]).toList(), pairs.stream().map(p -> p[1]).toList())
                .optClassifier(cls).optOracle(orc).optFeatures(f).optTargetAttribute(attr).build();
        for (Metric metric : Metrics.applicable(e)) {
            if (TABLE.contains(metric.name())) {
                MetricResult r = Metrics.compute(metric, e);
                m.put(metric.name(), r.value());
            }
        }
        return m;
    }

    private static Map<String, double[]> meanSd(List<Map<String, Double>> rows) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String k : rows.get(0).keySet()) {
            double[] v = rows.stream().filter(r -> r.containsKey(k)).mapToDouble(r -> r.get(k)).toArray();
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            double sd = Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, v.length - 1));
            out.put(k, new double[] {mean, sd});
        }
        return out;
    }

    private static Map<String, Map<String, Double>> attribution(VcexContext ctx, Anchoring a, BlackBoxClassifier cls,
            ImageFeatures f, List<ImageData> faces, Direction dir, GcdConfig c) {
        List<AttributionMetric> ms = List.of(new Sparseness(), new Complexity(), EffectiveComplexity.standard());
        String[] methods = {"BB-LIG", "AD", "BB-IG"};
        double[][] sums = new double[3][3];
        int found = 0;
        AtomicLong q = new AtomicLong();
        double[] grid = LineSearch.grid(c.transferSteps(), -c.transferMaxStep(), c.transferMaxStep());
        for (ImageData img : faces) {
            try (NDManager scope = ctx.newScope()) {
                Anchoring.Anchored an = a.anchor(scope, ImageTensors.toBatch(scope, img, ValueRange.UNIT));
                CounterfactualLoss loss = CounterfactualLoss.of(scope, cls, f, img, c.score(), c.lambda(), q);
                LineSearch.Outcome o = LineSearch.search(scope, an.generator(), an.code(), dir.vector(), grid, loss, c.decodeBatch(), false);
                double sign = o.found() && o.bestStep() < 0 ? -1 : 1;
                BbLig.Attribution at = BbLig.attribute(scope, an.generator(), an.code(), dir.vector(), sign * c.transferMaxStep(), loss, c);
                if (!at.found()) {
                    continue;
                }
                found++;
                float[][] maps = {at.bbLig(), at.absoluteDifference(), at.bbIg()};
                for (int m = 0; m < 3; m++) {
                    for (int k = 0; k < 3; k++) {
                        sums[m][k] += ms.get(k).compute(maps[m]);
                    }
                }
            }
        }
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (int m = 0; m < 3; m++) {
            Map<String, Double> v = new LinkedHashMap<>();
            for (int k = 0; k < 3; k++) {
                v.put(ms.get(k).name(), found == 0 ? Double.NaN : sums[m][k] / found);
            }
            v.put("images", (double) found);
            out.put(methods[m], v);
        }
        return out;
    }

    /** Mean |p_oracle(cf) - p_oracle(x)| per oracle output over the flipped pairs, largest first. */
    private static Map<String, Double> oracleChanges(VcexContext ctx, BlackBoxClassifier orc, List<ImageData[]> pairs) {
        List<String> names = orc.spec().classNames();
        double[] sum = new double[names.size()];
        for (int from = 0; from < pairs.size(); from += 50) {
            List<ImageData[]> part = pairs.subList(from, Math.min(pairs.size(), from + 50));
            try (NDManager scope = ctx.newScope()) {
                Scores before = orc.scores(ImageTensors.toBatch(scope, part.stream().map(p -> p[0]).toList(), ValueRange.UNIT));
                Scores after = orc.scores(ImageTensors.toBatch(scope, part.stream().map(p -> p[1]).toList(), ValueRange.UNIT));
                for (int i = 0; i < part.size(); i++) {
                    for (int k = 0; k < names.size(); k++) {
                        sum[k] += Math.abs(after.probability(i, k) - before.probability(i, k));
                    }
                }
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        Integer[] order = new Integer[names.size()];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (x, y) -> Double.compare(sum[y], sum[x]));
        for (int k : order) {
            out.put(names.get(k), pairs.isEmpty() ? 0.0 : sum[k] / pairs.size());
        }
        return out;
    }
}
