package io.vcex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcex.core.VcexHome;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.core.diffusion.Denoiser;
import io.vcex.core.files.AtomicFiles;
import io.vcex.core.image.ImageData;
import io.vcex.zoo.Zoo;
import io.vcex.zoo.export.TensorArchive;
import io.vcex.zoo.export.ZooExport;
import io.vcex.zoo.models.NetClassifier;
import io.vcex.zoo.models.NetDenoiser;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Python half of {@code vcex bench dvce --speed} (issue 6): the networks are exported
 * ({@link ZooExport}) with the benchmark's faces to a temporary folder, and
 * {@code tools/python/dvce_speed.py}, the same DVCE loop in PyTorch, runs on them as a subprocess
 * with the Java run's thread count; it checks its networks against the exporter's reference
 * outputs before timing. Where no interpreter with torch is found, the table says so.
 */
final class PythonSpeed {
    static final String SCRIPT = "tools/python/dvce_speed.py";
    static final long TIMEOUT_MINUTES = 60;

    private PythonSpeed() {
    }

    /**
     * @param json the script's result, or a map with "available": false and the reason
     * @param reason why there are no Python rows, or null
     * @param label the implementation's name in the table
     */
    record Outcome(Map<String, Object> json, String reason, String label) {
        @SuppressWarnings("unchecked")
        String row(int threads, int batch, int images) {
            Object r = json.get("batch_" + batch);
            if (reason != null || !(r instanceof Map)) {
                return "| " + threads + " | " + label + " | " + batch + " | " + images + " | not measured: "
                        + (reason == null ? "no result" : reason) + " | | | | | | |";
            }
            return PythonSpeed.row(threads, label, batch, (Map<String, Object>) r);
        }

        static Outcome missing(String reason) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("available", false);
            json.put("reason", reason);
            return new Outcome(json, reason, "Python");
        }
    }

    /**
     * @param parts the outcomes of one thread count's rows
     * @return one outcome with every row's result (the reason only when no row ran)
     */
    static Outcome merge(List<Outcome> parts) {
        Map<String, Object> json = new LinkedHashMap<>();
        String label = "Python";
        String reason = null;
        boolean any = false;
        for (Outcome o : parts) {
            if (o.reason() == null) {
                json.putAll(o.json());
                label = o.label();
                any = true;
            } else {
                reason = o.reason();
            }
        }
        if (!any) {
            return Outcome.missing(reason == null ? "no rows" : reason);
        }
        return new Outcome(json, null, label);
    }

    /** @return now and the 1, 5 and 15 minute load averages, or "unknown" */
    static String loadAverage() {
        String time = LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss"));
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return time + " load " + f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return time + " load unknown";
        }
    }

    /** @return CPU time of this process (all threads), in nanoseconds, or -1 */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** @return a table row from a result row (keys as speed.json's) */
    static String row(int threads, String label, int batch, Map<String, Object> r) {
        return String.format(Locale.ROOT, "| %d | %s | %d | %d | %.2f | %.2f | %.0f%% | %.0f%% | %.0f%% | %.0f | %d/%d |", threads,
                label, batch, num(r, "images").intValue(), num(r, "seconds_per_counterfactual").doubleValue(),
                num(r, "cpu_seconds_per_counterfactual").doubleValue(), 100 * num(r, "share_denoiser_forward").doubleValue(),
                100 * num(r, "share_classifier_forward").doubleValue(), 100 * num(r, "share_backward_and_rest").doubleValue(),
                num(r, "peak_rss_mb").doubleValue(), num(r, "flipped").intValue(), num(r, "images").intValue());
    }

    static Number num(Map<?, ?> r, String key) {
        return r != null && r.get(key) instanceof Number n ? n : Double.NaN;
    }

    static String table(List<String> rows) {
        return "| threads | implementation | batch | images | s/counterfactual | CPU s/counterfactual | denoiser forward "
                + "| classifier forward | backward passes and the rest | peak RSS (MB) | flipped |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n" + String.join("\n", rows) + "\n";
    }

    /**
     * @param threads the thread count of a block of rows
     * @param java the Java rows (batch_1, batch_8)
     * @param py the Python outcome
     * @return "threads N: batch 1 r (CPU time rc), ..." or null without Python rows
     */
    static String ratios(int threads, Map<String, Object> java, Outcome py) {
        if (py.reason() != null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String key : List.of("batch_1", "batch_8")) {
            if (java.get(key) instanceof Map<?, ?> j && py.json().get(key) instanceof Map<?, ?> p) {
                out.add(String.format(Locale.ROOT, "%s %.2f (CPU time %.2f)", key.replace('_', ' '),
                        num(j, "seconds_per_counterfactual").doubleValue() / num(p, "seconds_per_counterfactual").doubleValue(),
                        num(j, "cpu_seconds_per_counterfactual").doubleValue()
                                / num(p, "cpu_seconds_per_counterfactual").doubleValue()));
            }
        }
        return threads + " thread(s): " + String.join(", ", out);
    }

    /** @return the equivalence line of the script's check */
    static String equivalence(Outcome py) {
        if (py.reason() != null || !(py.json().get("equivalence") instanceof Map<?, ?> eq)) {
            return "- Python: not measured (" + py.reason() + ").\n";
        }
        return String.format(Locale.ROOT, "- Equivalence, checked by the script before timing (tolerance 1e-4) on the exporter's "
                + "reference inputs: eps max |Python - Java| = %.1e (|eps| up to %.1f), logits %.1e (|logit| up to %.1f); "
                + "input gradients max relative difference %.1e (denoiser), %.1e (classifier).%n",
                num(eq, "eps_max_abs_diff").doubleValue(), num(eq, "eps_max_abs").doubleValue(),
                num(eq, "logits_max_abs_diff").doubleValue(), num(eq, "logits_max_abs").doubleValue(),
                num(eq, "denoiser_grad_max_rel_diff").doubleValue(), num(eq, "classifier_grad_max_rel_diff").doubleValue());
    }

    /**
     * A prepared comparison: the interpreter found, the networks and faces exported to a
     * temporary folder (deleted on close), or the reason why there will be no Python rows.
     */
    static final class Session implements AutoCloseable {
        private final String python;
        private final Path dir;
        private final int steps;
        private final long seed;
        private final String reason;

        private Session(String python, Path dir, int steps, long seed, String reason) {
            this.python = python;
            this.dir = dir;
            this.steps = steps;
            this.seed = seed;
            this.reason = reason;
        }

        /**
         * Runs the script for one row, in a fresh process (equivalence check, untimed warm-up, then
         * the timed run).
         *
         * @param threads torch intra-op threads (the Java run's)
         * @param batch the batch size
         * @param images the number of images
         * @return its row, or the reason there is none
         */
        Outcome run(int threads, int batch, int images) {
            if (reason != null) {
                return Outcome.missing(reason);
            }
            String runs = batch + ":" + images;
            Path result = dir.resolve("python-" + threads + "-" + batch + ".json");
            Path log = dir.resolve("python-" + threads + "-" + batch + ".log");
            List<String> cmd = List.of(python, VcexHome.resolve(SCRIPT).toString(), "--diffusion", dir.resolve("diffusion").toString(),
                    "--classifier", dir.resolve("classifier").toString(), "--faces", dir.resolve("faces").toString(), "--runs", runs,
                    "--threads", Integer.toString(threads), "--steps", Integer.toString(steps), "--seed", Long.toString(seed),
                    "--json", result.toString());
            System.err.println("bench: running " + SCRIPT + " with " + python + ", " + threads + " thread(s)...");
            try {
                Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
                if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    return Outcome.missing(SCRIPT + " did not finish within " + TIMEOUT_MINUTES + " minutes");
                }
                String err = Files.readString(log, StandardCharsets.UTF_8);
                System.err.print(err);
                if (p.exitValue() != 0 || !Files.isRegularFile(result)) {
                    String[] lines = err.strip().split("\n");
                    return Outcome.missing(SCRIPT + " failed (exit " + p.exitValue() + "): " + lines[lines.length - 1]);
                }
                JsonNode node = Json.mapper().readTree(result.toFile());
                @SuppressWarnings("unchecked")
                Map<String, Object> json = Json.mapper().convertValue(node, Map.class);
                json.put("available", true);
                json.put("interpreter", python);
                return new Outcome(json, null, "Python (torch " + node.path("torch").asText() + ", Python "
                        + node.path("python").asText() + ")");
            } catch (IOException e) {
                return Outcome.missing("could not run " + SCRIPT + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.missing("interrupted");
            }
        }

        @Override
        public void close() {
            if (dir != null) {
                try {
                    AtomicFiles.deleteTree(dir);
                } catch (IOException e) {
                    System.err.println("bench: could not delete " + dir + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * Finds the interpreter and exports the networks and faces.
     *
     * @param ctx the context (for the export's reference computations)
     * @param zoo the zoo
     * @param classifierName the classifier's zoo name
     * @param clf the loaded classifier
     * @param denoiser the loaded denoiser
     * @param faces the benchmark's faces (at least as many as the largest run)
     * @param runs batch size and image count per run
     * @param steps respaced steps
     * @param seed the seed
     * @param pythonOption "auto", "none" or an interpreter
     * @return the session (close it)
     */
    static Session prepare(VcexContext ctx, Zoo zoo, String classifierName, WhiteBoxClassifier clf, Denoiser denoiser,
            List<ImageData> faces, int[][] runs, int steps, long seed, String pythonOption) {
        int max = 0;
        for (int[] r : runs) {
            max = Math.max(max, r[1]);
        }
        if ("none".equals(pythonOption)) {
            return new Session(null, null, steps, seed, "skipped with --python none");
        }
        if (!(clf instanceof NetClassifier) || !(denoiser instanceof NetDenoiser)) {
            return new Session(null, null, steps, seed, "the Python script rebuilds the zoo's own networks only; '"
                    + classifierName + "' is not one");
        }
        if (!Files.isRegularFile(VcexHome.resolve(SCRIPT))) {
            return new Session(null, null, steps, seed, VcexHome.resolve(SCRIPT) + " is missing");
        }
        List<String> tried = new ArrayList<>();
        String python = null;
        for (String candidate : "auto".equals(pythonOption) ? List.of("python3", "/usr/bin/python3") : List.of(pythonOption)) {
            if (probe(candidate) != null) {
                python = candidate;
                break;
            }
            tried.add(candidate);
        }
        if (python == null) {
            return new Session(null, null, steps, seed, "no Python with torch: tried " + String.join(", ", tried)
                    + "; install Debian's python3-torch or give --python");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("vcex-dvce-speed");
            ZooExport.export(ctx, zoo.card("diffusion"), denoiser, tmp.resolve("diffusion"));
            ZooExport.export(ctx, zoo.card(classifierName), clf, tmp.resolve("classifier"));
            writeFaces(tmp.resolve("faces"), faces.subList(0, max));
            return new Session(python, tmp, steps, seed, null);
        } catch (IOException | RuntimeException e) {
            Session failed = new Session(null, tmp, steps, seed, "could not export the networks: " + e.getMessage());
            return failed;
        }
    }

    /** @return {torch version} when the interpreter imports torch, else null */
    static String[] probe(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch; print(torch.__version__)").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String[] {out} : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void writeFaces(Path dir, List<ImageData> faces) {
        ImageData first = faces.get(0);
        int per = first.pixels().length;
        float[] all = new float[per * faces.size()];
        for (int i = 0; i < faces.size(); i++) {
            System.arraycopy(faces.get(i).pixels(), 0, all, i * per, per);
        }
        TensorArchive.write(dir, "faces", Map.of("range", "[0, 1]", "world", "in-prior", "seed", DvceBench.FACES_SEED),
                List.of(new TensorArchive.Tensor("faces", new long[] {faces.size(), first.channels(), first.height(), first.width()},
                        all)));
    }
}
