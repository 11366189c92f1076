package io.vcex.cli;

import ai.djl.pytorch.jni.JniUtils;
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
            + "and where the time goes (speed.json, speed.md), then the same with the same algorithm in Python on the same "
            + "exported networks, where python3 with torch is installed.")
    boolean speed;

    @Option(names = "--python", defaultValue = "auto", description = "With --speed: the Python interpreter (with torch) "
            + "for the same algorithm in PyTorch (tools/python/dvce_speed.py), 'auto' (python3 on the PATH, then /usr/bin/python3) "
            + "or 'none' (default ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--threads", description = "With --speed: engine intra-op thread counts to measure, for example 2,1 "
            + "(default: the engine's setting, VCEX_THREADS or 2).")
    String threads;

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
            // the paper's C_c = 0.1 flips only about half of the faces with the 32x32 model (bench/dvce/README.md)
            case "dvce-cc0.3" -> base.withScales(0.3, base.distanceScale());
            case "blended-low" -> base.withGuidance("blended").withScales(0.3, 0.05);
            case "blended-mid" -> base.withGuidance("blended").withScales(3, 0.05);
            case "blended-high" -> base.withGuidance("blended").withScales(30, 0.05);
            default -> throw new io.vcex.core.VcexException("Unknown configuration '" + name
                    + "'; known: dvce-cone, dvce, dvce-cc0.3, blended-low, blended-mid, blended-high");
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
        List<String> rows = new ArrayList<>();
        List<String> ratios = new ArrayList<>();
        String equivalence = null;
        Map<String, String> load = new LinkedHashMap<>();
        load.put("start", PythonSpeed.loadAverage());
        int[][] runs = {{1, 2}, {8, 8}}; // batch size, images
        int respaced = steps == null ? 200 : steps;
        List<ImageData> faces = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            faces.add(world.render(world.attributes(i)));
        }
        try (VcexContext ctx = VcexContext.builder().seed(seed).optProgress(common.progress()).build()) {
            WhiteBoxClassifier clf = Models.whiteBox(ctx, zoo, classifier);
            Denoiser denoiser = Models.denoiser(ctx, zoo, "diffusion");
            int engineThreads = JniUtils.getNumThreads();
            List<Integer> threadCounts;
            try {
                threadCounts = threads == null ? List.of(engineThreads)
                        : java.util.Arrays.stream(threads.split(",")).map(String::trim).map(Integer::valueOf).toList();
            } catch (NumberFormatException e) {
                threadCounts = List.of();
            }
            if (threadCounts.isEmpty() || threadCounts.stream().anyMatch(t -> t < 1 || t > 256)) {
                throw new io.vcex.core.VcexException("--threads needs thread counts of 1..256, for example 2 or 2,1; got " + threads);
            }
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
            String javaLabel = "Java (DJL " + ai.djl.engine.Engine.getDjlVersion() + ", libtorch "
                    + ai.djl.engine.Engine.getEngine("PyTorch").getVersion() + ")";
            List<Object> blocks = new ArrayList<>();
            try (PythonSpeed.Session py = PythonSpeed.prepare(ctx, zoo, classifier, clf, denoiser, faces, runs, respaced, seed,
                    python)) {
                for (int th : threadCounts) {
                    JniUtils.setNumThreads(th);
                    Map<String, Object> java = new LinkedHashMap<>();
                    // warm-up, untimed: two reverse steps at each batch size (first-call costs of the JVM and the engine)
                    for (int[] run : runs) {
                        new Dvce(denoiser, clf, null, null, new DvceConfig(respaced, 2, null, null, null, null, null, null, null,
                                null, null, null, run[0])).explain(ctx, faces.subList(0, run[0]), "flip");
                    }
                    List<PythonSpeed.Outcome> parts = new ArrayList<>();
                    for (int[] run : runs) {
                        int batch = run[0];
                        int n = run[1];
                        load.put(th + " thread(s), batch " + batch, PythonSpeed.loadAverage());
                        DvceConfig config = new DvceConfig(steps, null, null, null, null, null, null, null, null, null, null, null,
                                batch);
                        denoiserTime.nanos = 0;
                        classifierTime.nanos = 0;
                        long cpu0 = PythonSpeed.processCpuNanos();
                        long start = System.nanoTime();
                        List<DvceResult> rs = new Dvce(timedDenoiser, timedClassifier, null, null, config).explain(ctx,
                                faces.subList(0, n), "flip");
                        double total = (System.nanoTime() - start) / 1e9;
                        double cpu = (PythonSpeed.processCpuNanos() - cpu0) / 1e9;
                        double d = denoiserTime.nanos / 1e9;
                        double c = classifierTime.nanos / 1e9;
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("images", n);
                        row.put("seconds_per_counterfactual", total / n);
                        row.put("cpu_seconds_per_counterfactual", cpu / n);
                        row.put("share_denoiser_forward", d / total);
                        row.put("share_classifier_forward", c / total);
                        row.put("share_backward_and_rest", (total - d - c) / total);
                        row.put("peak_rss_mb", peakRssKb() / 1024.0);
                        row.put("flipped", rs.stream().filter(DvceResult::flipped).count());
                        java.put("batch_" + batch, row);
                        rows.add(PythonSpeed.row(th, javaLabel, batch, row));
                        // the same row in Python right after, so both see about the same load
                        PythonSpeed.Outcome part = py.run(th, batch, n);
                        rows.add(part.row(th, batch, n));
                        parts.add(part);
                    }
                    load.put(th + " thread(s), end", PythonSpeed.loadAverage());
                    PythonSpeed.Outcome out = PythonSpeed.merge(parts);
                    if (equivalence == null || out.reason() == null && equivalence.startsWith("- Python: not")) {
                        equivalence = PythonSpeed.equivalence(out);
                    }
                    String r = PythonSpeed.ratios(th, java, out);
                    if (r != null) {
                        ratios.add(r);
                    }
                    Map<String, Object> block = new LinkedHashMap<>();
                    block.put("threads", th);
                    block.put("java", java);
                    block.put("python", out.json());
                    blocks.add(block);
                }
            } finally {
                JniUtils.setNumThreads(engineThreads);
            }
            json.put("runs", blocks);
            json.put("config", new DvceConfig(steps, null, null, null, null, null, null, null, null, null, null, null, null));
            json.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
            json.put("load_average", load);
            json.put("warmup", "untimed: Java 2 reverse steps at batch 1 and at batch 8 per thread count; Python 2 reverse steps at "
                    + "the row's batch size in each subprocess");
            json.put("command", command());
        }
        StringBuilder md = new StringBuilder(PythonSpeed.table(rows)).append('\n');
        md.append(equivalence);
        if (!ratios.isEmpty()) {
            md.append("- Java / Python time per counterfactual (below 1: Java faster): ").append(String.join("; ", ratios))
                    .append(".\n");
        }
        md.append("- Load average (1, 5, 15 min) of this shared machine (").append(json.get("machine")).append("): ")
                .append(String.join("; ", load.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList()))
                .append(". Wall times stretch with the load; CPU time (all threads of the process) less so.\n");
        md.append("- Same run: each Java row, then the same row by ").append(PythonSpeed.SCRIPT)
                .append(" in a fresh subprocess on the same exported networks (zoo export) and the same faces, with "
                        + "torch.set_num_threads equal to the Java engine's intra-op threads and 1 inter-op thread in both. "
                        + "Untimed warm-ups first: Java 2 reverse steps at batch 1 and at batch 8 per thread count, Python 2 "
                        + "reverse steps at the row's batch size.\n");
        md.append("- Configuration: DVCE defaults (").append(respaced).append(" respaced steps, start at step ").append(respaced / 2 - 1)
                .append(", C_c 0.1, C_d 0.15, l1 distance, adaptive with ||mu||), no cone, 1 augmentation copy, target flip of '")
                .append(classifier).append("'; 2 images at batch 1, 8 at batch 8. Shares are of wall time; \"backward passes and "
                        + "the rest\" includes the sampler arithmetic. Peak RSS is each process's high-water mark so far (VmHWM): "
                        + "Java's later rows include everything before them (one process), Python's are per row. Flipped: counterfactuals classified as the target.\n");
        md.append("- Command: `").append(json.get("command")).append("`\n");
        Json.write(out.resolve("speed.json"), json);
        Json.writeString(out.resolve("speed.md"), md.toString());
        common.out().print(md);
        common.out().println("wrote " + out.resolve("speed.json") + " and speed.md");
        return 0;
    }

    private String command() {
        return "./vcex bench dvce --speed" + (steps != null ? " --steps " + steps : "")
                + (classifier.equals("smile") ? "" : " --classifier " + classifier) + (seed == 1 ? "" : " --seed " + seed)
                + (threads == null ? "" : " --threads " + threads) + (python.equals("auto") ? "" : " --python " + python);
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
