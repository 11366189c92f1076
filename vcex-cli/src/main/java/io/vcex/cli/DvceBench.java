package io.vcex.cli;

import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.core.diffusion.Denoiser;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.image.ImageData;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.provenance.Provenance;
import io.vcex.data.world.FacesWorld;
import io.vcex.data.world.WorldConfig;
import io.vcex.methods.dvce.Dvce;
import io.vcex.methods.dvce.DvceConfig;
import io.vcex.methods.dvce.DvceResult;
import io.vcex.metrics.Evaluation;
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

/**
 * {@code vcex bench dvce}: DVCE with and without the cone and the blended-diffusion baseline at
 * three fixed settings, on held-out faces, explaining the smile classifier with flipped targets
 * (DVCE paper, Table 1 and Fig. 2).
 */
@Command(name = "dvce", mixinStandardHelpOptions = true,
        description = "DVCE (with and without cone) against the fixed-coefficient baseline on held-out faces: table and report.")
final class DvceBench implements Callable<Integer> {
    /** World seed of the benchmark faces, apart from every zoo training and test seed. */
    static final long FACES_SEED = 4242;
    static final String METRICS = "flip_rate,target_confidence,l1,l1.5,l2,lpips,fid,mnac";

    @Option(names = "--count", defaultValue = "100", description = "Held-out faces (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--classifier", defaultValue = "smile", description = "Explained classifier (default ${DEFAULT-VALUE}).")
    String classifier;

    @Option(names = "--robust", defaultValue = "smile-robust", description = "Robust model for the cone (default ${DEFAULT-VALUE}).")
    String robust;

    @Option(names = "--configs", defaultValue = "dvce-cone,dvce,blended-low,blended-mid,blended-high",
            description = "Which configurations (default ${DEFAULT-VALUE}).")
    String configs;

    @Option(names = "--steps", description = "Respaced schedule length (default the paper's 200).")
    Integer steps;

    @Option(names = "--out", defaultValue = "bench/dvce", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--models", description = "Zoo models folder (default: models/ in the vcex home).")
    Path models;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--speed", description = "Instead of the table: seconds per counterfactual at batch 1 and 8, peak memory, "
            + "and where the time goes (speed.json, speed.md).")
    boolean speed;

    @Mixin
    CommonOptions common;

    /**
     * @param name a configuration name
     * @return its DVCE settings: the paper's defaults, or the baseline's fixed C_c (C_d = 0.05 on
     *     LPIPS + 10 l2, as blended diffusion weighs them)
     */
    DvceConfig config(String name) {
        DvceConfig base = new DvceConfig(steps, null, null, null, null, null, null, null, null, null, null, null, null);
        return switch (name) {
            case "dvce-cone", "dvce" -> base;
            case "blended-low" -> base.withGuidance("blended").withScales(0.3, 0.05);
            case "blended-mid" -> base.withGuidance("blended").withScales(3, 0.05);
            case "blended-high" -> base.withGuidance("blended").withScales(30, 0.05);
            default -> throw new io.vcex.core.VcexException("Unknown configuration '" + name
                    + "'; known: dvce-cone, dvce, blended-low, blended-mid, blended-high");
        };
    }

    @Override
    public Integer call() {
        if (speed) {
            return speed();
        }
        List<String> names = List.of(configs.split(","));
        names.forEach(this::config); // unknown names fail before any work
        FacesWorld world = new FacesWorld(WorldConfig.inPrior(), FACES_SEED);
        List<ImageData> faces = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            faces.add(world.render(world.attributes(i)));
        }
        Zoo zoo = ZooCommand.zoo(models);
        Map<String, Object> results = new LinkedHashMap<>();
        HtmlReport page = new HtmlReport("DVCE benchmark: " + classifier + ", " + count + " held-out faces");
        List<List<String>> rows = new ArrayList<>();
        List<String> metricNames = List.of(METRICS.split(","));
        try (VcexContext ctx = VcexContext.builder().seed(seed).optProgress(common.progress()).build()) {
            WhiteBoxClassifier clf = Models.whiteBox(ctx, zoo, classifier);
            WhiteBoxClassifier rob = Models.whiteBox(ctx, zoo, robust);
            WhiteBoxClassifier oracle = zoo.classifier(ctx, "oracle");
            ImageFeatures features = zoo.features(ctx, "feature-net");
            Denoiser denoiser = Models.denoiser(ctx, zoo, "diffusion");
            for (String name : names) {
                DvceConfig config = config(name);
                Dvce dvce = new Dvce(denoiser, clf, name.equals("dvce-cone") ? rob : null, features, config);
                long start = System.nanoTime();
                List<DvceResult> rs;
                try {
                    rs = dvce.explain(ctx, faces, "flip");
                } catch (io.vcex.core.VcexException e) {
                    // fixed coefficients can drive the diffusion out of range: that is a result of the comparison
                    results.put(name, Map.of("failed", e.getMessage()));
                    List<String> cells = new ArrayList<>(List.of(name));
                    metricNames.forEach(m -> cells.add("-"));
                    cells.add("diverged: " + e.getMessage());
                    rows.add(cells);
                    continue;
                }
                double seconds = (System.nanoTime() - start) / 1e9 / count;
                List<ImageData> cfs = rs.stream().map(DvceResult::counterfactual).toList();
                int[] targets = rs.stream().mapToInt(DvceResult::targetClass).toArray();
                Evaluation e = Evaluation.builder(ctx).setPairs(faces, cfs).optClassifier(clf).optTargets(targets)
                        .optOracle(oracle).optFeatures(features).optTargetAttribute("smiling").build();
                Map<String, Object> row = new LinkedHashMap<>();
                List<String> cells = new ArrayList<>(List.of(name));
                for (String m : metricNames) {
                    MetricResult r = Metrics.compute(Metrics.get(m), e);
                    row.put(m, r.value());
                    cells.add(String.format(Locale.ROOT, m.startsWith("l") && !m.equals("lpips") ? "%.1f" : "%.3f", r.value()));
                }
                row.put("seconds_per_image", seconds);
                row.put("unguided_steps", rs.stream().mapToInt(DvceResult::unguidedSteps).sum());
                cells.add(String.format(Locale.ROOT, "%.1f", seconds));
                List<ModelInfo> used = new ArrayList<>(List.of(clf.info(), denoiser.info(), oracle.info(), features.info()));
                if (dvce.usesCone()) {
                    used.add(rob.info());
                }
                row.put("provenance", Provenance.ofModels("dvce-bench", config, seed, used));
                results.put(name, row);
                rows.add(cells);
                List<ImageData> strip = new ArrayList<>();
                List<String> captions = new ArrayList<>();
                for (int i = 0; i < Math.min(8, count); i++) {
                    DvceResult r = rs.get(i);
                    strip.add(r.original());
                    strip.add(r.counterfactual());
                    captions.add(String.format(Locale.ROOT, "p=%.2f", r.originalProbabilities()[r.targetClass()]));
                    captions.add(String.format(Locale.ROOT, "p=%.2f", r.counterfactualProbabilities()[r.targetClass()]));
                }
                page.figure(Pictures.strip(strip, captions), name + ": originals and counterfactuals (p of the flipped class)");
            }
        }
        List<String> headers = new ArrayList<>(List.of("configuration"));
        headers.addAll(metricNames);
        headers.add("s/image");
        page.section("Table").table(headers, rows);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", "./vcex bench dvce --count " + count + " --classifier " + classifier + " --robust " + robust
                + (steps != null ? " --steps " + steps : "") + " --configs " + configs);
        json.put("faces", Map.of("world", "in-prior", "seed", FACES_SEED, "count", count));
        json.put("results", results);
        Json.write(out.resolve("results.json"), json);
        StringBuilder md = new StringBuilder("| " + String.join(" | ", headers) + " |\n|");
        headers.forEach(h -> md.append("---|"));
        md.append('\n');
        rows.forEach(r -> md.append("| ").append(String.join(" | ", r)).append(" |\n"));
        Json.writeString(out.resolve("results.md"), md.toString());
        page.provenance(json);
        page.write(out.resolve("report.html"));
        common.out().print(md);
        common.out().println("wrote " + out.resolve("results.json") + ", results.md and report.html");
        return 0;
    }


    /** Wall time spent inside a model's forward calls. */
    static final class Stopwatch {
        long nanos;

        <T> T time(java.util.function.Supplier<T> call) {
            long t = System.nanoTime();
            try {
                return call.get();
            } finally {
                nanos += System.nanoTime() - t;
            }
        }
    }

    private int speed() {
        Zoo zoo = ZooCommand.zoo(models);
        FacesWorld world = new FacesWorld(WorldConfig.inPrior(), FACES_SEED);
        Map<String, Object> json = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder("| batch | images | s/counterfactual | denoiser forward | classifier forward | "
                + "backward passes and the rest | peak RSS (MB) |\n|---|---|---|---|---|---|---|\n");
        try (VcexContext ctx = VcexContext.builder().seed(seed).optProgress(common.progress()).build()) {
            WhiteBoxClassifier clf = Models.whiteBox(ctx, zoo, classifier);
            Denoiser denoiser = Models.denoiser(ctx, zoo, "diffusion");
            Stopwatch denoiserTime = new Stopwatch();
            Stopwatch classifierTime = new Stopwatch();
            Denoiser timedDenoiser = new Denoiser() {
                @Override
                public ModelInfo info() {
                    return denoiser.info();
                }

                @Override
                public io.vcex.core.image.ImageSpec imageSpec() {
                    return denoiser.imageSpec();
                }

                @Override
                public io.vcex.core.diffusion.NoiseSchedule schedule() {
                    return denoiser.schedule();
                }

                @Override
                public ai.djl.ndarray.NDArray predictNoise(ai.djl.ndarray.NDArray xt, ai.djl.ndarray.NDArray t,
                        ai.djl.ndarray.NDArray condition) {
                    return denoiserTime.time(() -> denoiser.predictNoise(xt, t, condition));
                }
            };
            WhiteBoxClassifier timedClassifier = new WhiteBoxClassifier() {
                @Override
                public io.vcex.core.classifier.ClassifierSpec spec() {
                    return clf.spec();
                }

                @Override
                public ModelInfo info() {
                    return clf.info();
                }

                @Override
                public ai.djl.ndarray.NDArray logits(ai.djl.ndarray.NDArray images) {
                    return classifierTime.time(() -> clf.logits(images));
                }
            };
            for (int batch : new int[] {1, 8}) {
                int n = batch == 1 ? 2 : 8;
                List<ImageData> faces = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    faces.add(world.render(world.attributes(i)));
                }
                DvceConfig config = new DvceConfig(steps, null, null, null, null, null, null, null, null, null, null, null, batch);
                denoiserTime.nanos = 0;
                classifierTime.nanos = 0;
                long start = System.nanoTime();
                new Dvce(timedDenoiser, timedClassifier, null, null, config).explain(ctx, faces, "flip");
                double total = (System.nanoTime() - start) / 1e9;
                double d = denoiserTime.nanos / 1e9;
                double c = classifierTime.nanos / 1e9;
                long rss = peakRssKb();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("images", n);
                row.put("seconds_per_counterfactual", total / n);
                row.put("share_denoiser_forward", d / total);
                row.put("share_classifier_forward", c / total);
                row.put("share_backward_and_rest", (total - d - c) / total);
                row.put("peak_rss_mb", rss / 1024.0);
                json.put("batch_" + batch, row);
                md.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %.0f%% | %.0f%% | %.0f%% | %.0f |%n", batch, n, total / n,
                        100 * d / total, 100 * c / total, 100 * (total - d - c) / total, rss / 1024.0));
            }
            json.put("config", new DvceConfig(steps, null, null, null, null, null, null, null, null, null, null, null, null));
            json.put("machine", Runtime.getRuntime().availableProcessors() + " cores, threads " + ctx.threads());
            json.put("command", "./vcex bench dvce --speed" + (steps != null ? " --steps " + steps : ""));
        }
        Json.write(out.resolve("speed.json"), json);
        Json.writeString(out.resolve("speed.md"), md.toString());
        common.out().print(md);
        common.out().println("wrote " + out.resolve("speed.json") + " and speed.md (peak RSS is the process's high-water mark "
                + "so far: the batch-8 row includes everything before it)");
        return 0;
    }

    /** @return the process's peak resident memory in KB (VmHWM), or -1 where /proc is missing */
    static long peakRssKb() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
