package io.vcex.methods.zoom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.config.Json;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.generator.StyleCode;
import io.vcex.core.generator.StyleGenerator;
import io.vcex.core.generator.StyleLayer;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.provenance.Hashing;
import io.vcex.core.provenance.Provenance;
import io.vcex.core.text.TextImageEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures StyleCLIP's channel relevance (Patashnik et al. 2021, sec. 6, "global directions"), the
 * part of ZOOM's edit directions that depends on the models only, and caches it per (generator,
 * encoder, settings).
 *
 * <ol>
 * <li>sigma_c: the standard deviation of style channel c over {@code stdSamples} codes sampled
 * without truncation;</li>
 * <li>for each of {@code samples} images (styles s, truncation psi) and each channel c, the two
 * images G(s +/- k sigma_c e_c) are embedded and made unit length (i+, i-);</li>
 * <li>R_c = mean over images of unit(i+ - i-): where the encoder's space moves when c moves.</li>
 * </ol>
 * It costs 2 x samples x channels generator and encoder passes, so it is done once and saved.
 */
public final class ChannelRelevance {
    private static final int STD_BLOCK = 64;

    private ChannelRelevance() {
    }

    /**
     * @param ctx scopes, seed and progress (the codes come from the config's seed, not the context's)
     * @param generator the style generator
     * @param encoder the text-image encoder
     * @param config settings
     * @return the relevance matrix
     */
    public static RelevanceMatrix compute(VcexContext ctx, StyleGenerator generator, TextImageEncoder encoder,
            RelevanceConfig config) {
        long start = System.nanoTime();
        int factor = StyleEdits.factor(generator.imageSpec(), encoder.imageSpec(), "text-image encoder '" + encoder.info().name() + "'");
        List<StyleLayer> layers = generator.styleLayers();
        int total = StyleEdits.channels(layers);
        Rng rng = new Rng(config.seed()).derive("zoom.relevance");
        float[] std = standardDeviations(ctx, generator, config, rng.derive("std"));
        boolean varies = false;
        for (float v : std) {
            varies |= v > 0;
        }
        if (!varies) {
            throw new VcexException("The style generator '" + generator.info().name() + "' samples codes whose styles do not vary "
                    + "(every style channel has standard deviation 0 over " + config.stdSamples() + " samples); its sampling "
                    + "prior is missing or degenerate, so no channel relevance can be measured");
        }
        int n = config.samples();
        int d = encoder.embeddingDim();
        double[][] sum = new double[total][d];
        // a generator call takes up to `batch` rows: with few images several channels share a call (each
        // channel's images +/- its move), with many images one channel's images are split over calls
        int chunk = Math.max(1, Math.min(n, config.batch() / 2));
        int perCall = Math.max(1, config.batch() / (2 * chunk));
        int[] layerOf = new int[total];
        int[] indexInLayer = new int[total];
        for (int l = 0, c = 0; l < layers.size(); l++) {
            for (int k = 0; k < layers.get(l).channels(); k++, c++) {
                layerOf[c] = l;
                indexInLayer[c] = k;
            }
        }
        try (NDManager scope = ctx.newScope();
                Progress.Task task = ctx.progress().start("channel relevance (" + total + " channels x " + n + " images)",
                        total)) {
            NDArray w = generator.sampleWPlus(scope, rng.derive("images"), n, config.truncation().floatValue());
            StyleCode base = generator.styles(w);
            for (int first = 0; first < total; first += perCall) {
                int[] channels = new int[Math.min(perCall, total - first)];
                float[] moves = new float[channels.length];
                for (int j = 0; j < channels.length; j++) {
                    channels[j] = first + j;
                    moves[j] = (float) (config.k() * std[first + j]);
                }
                for (int from = 0; from < n; from += chunk) {
                    int m = Math.min(chunk, n - from);
                    try (NDManager step = scope.newSubManager()) {
                        accumulate(step, generator, encoder, factor, base, from, m, channels, layerOf, indexInLayer, moves, sum);
                    }
                }
                task.step(channels.length);
            }
        }
        float[][] relevance = new float[total][d];
        for (int c = 0; c < total; c++) {
            for (int j = 0; j < d; j++) {
                relevance[c][j] = (float) (sum[c][j] / n);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Provenance provenance = Provenance.ofModels("zoom.relevance", config, config.seed(), List.of(generator.info(), encoder.info()));
        return new RelevanceMatrix(generator.info(), encoder.info(), config, layers, std, relevance, seconds, provenance);
    }

    /**
     * Adds, for each given channel, the sum over one chunk of images of unit(i+ - i-). Rows of the
     * call: for channel j, the m images moved by +move_j, then the same images moved by -move_j.
     */
    private static void accumulate(NDManager step, StyleGenerator generator, TextImageEncoder encoder, int factor,
            StyleCode base, int from, int m, int[] channels, int[] layerOf, int[] indexInLayer, float[] moves, double[][] into) {
        int k = channels.length;
        int rows = 2 * m * k;
        List<NDArray> edited = new ArrayList<>();
        for (int l = 0; l < base.layers().size(); l++) {
            NDArray part = base.layers().get(l).get(from + ":" + (from + m));
            part.attach(step);
            int width = Math.toIntExact(part.getShape().get(1));
            ai.djl.ndarray.NDList copies = new ai.djl.ndarray.NDList();
            for (int r = 0; r < 2 * k; r++) {
                copies.add(part);
            }
            NDArray tiled = k == 1 ? part.concat(part, 0) : ai.djl.ndarray.NDArrays.concat(copies, 0);
            float[] shift = null;
            for (int j = 0; j < k; j++) {
                if (layerOf[channels[j]] != l) {
                    continue;
                }
                shift = shift == null ? new float[rows * width] : shift;
                for (int i = 0; i < m; i++) {
                    shift[(2 * m * j + i) * width + indexInLayer[channels[j]]] = moves[j];
                    shift[(2 * m * j + m + i) * width + indexInLayer[channels[j]]] = -moves[j];
                }
            }
            edited.add(shift == null ? tiled : tiled.add(step.create(shift).reshape(rows, width)));
        }
        NDArray images = StyleEdits.adapt(generator.synthesize(new StyleCode(edited)), factor);
        float[][] e = ImageTensors.rows(StyleEdits.unitRows(encoder.embedImage(images)));
        for (int j = 0; j < k; j++) {
            double[] acc = into[channels[j]];
            for (int i = 0; i < m; i++) {
                float[] plus = e[2 * m * j + i];
                float[] minus = e[2 * m * j + m + i];
                double norm = 0;
                for (int q = 0; q < plus.length; q++) {
                    double v = plus[q] - minus[q];
                    norm += v * v;
                }
                norm = Math.max(Math.sqrt(norm), 1e-12);
                for (int q = 0; q < plus.length; q++) {
                    acc[q] += (plus[q] - minus[q]) / norm;
                }
            }
        }
    }

    /** sigma_c over codes sampled at truncation 1, in double precision. */
    static float[] standardDeviations(VcexContext ctx, StyleGenerator generator, RelevanceConfig config, Rng rng) {
        int total = StyleEdits.channels(generator.styleLayers());
        double[] s1 = new double[total];
        double[] s2 = new double[total];
        int n = config.stdSamples();
        // codes are drawn in fixed blocks (not batch-sized ones), so the statistics do not depend on the batch
        for (int from = 0, part = 0; from < n; from += STD_BLOCK, part++) {
            int m = Math.min(STD_BLOCK, n - from);
            try (NDManager scope = ctx.newScope()) {
                NDArray w = generator.sampleWPlus(scope, rng.derive(part), m, 1f);
                for (float[] row : StyleEdits.flatten(generator.styles(w))) {
                    for (int c = 0; c < total; c++) {
                        s1[c] += row[c];
                        s2[c] += (double) row[c] * row[c];
                    }
                }
            }
        }
        float[] std = new float[total];
        for (int c = 0; c < total; c++) {
            double mean = s1[c] / n;
            std[c] = (float) Math.sqrt(Math.max(0, s2[c] / n - mean * mean));
        }
        return std;
    }

    /**
     * @param dir the cache folder
     * @param generator the style generator
     * @param encoder the text-image encoder
     * @param config settings
     * @return the file the relevance of this combination is cached in: the models' names and a hash
     *     of their file hashes and the settings
     */
    public static Path cacheFile(Path dir, StyleGenerator generator, TextImageEncoder encoder, RelevanceConfig config) {
        String key = Json.writeLine(List.of(generator.info(), encoder.info(), config.key(), generator.styleLayers()));
        String hash = Hashing.sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        return dir.resolve(String.format(Locale.ROOT, "relevance-%s-%s-%s.json", safe(generator.info().name()),
                safe(encoder.info().name()), hash));
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * The relevance shipped beside a generator: the first file in {@code dir} (sorted by name) named
     * like a {@link #cacheFile} of these two models that was measured on exactly them, with whatever
     * settings it records (a zoo can ship one measured on fewer images than the default, saying so
     * in its config).
     *
     * @param dir a model folder, may not exist
     * @param generator the style generator
     * @param encoder the text-image encoder
     * @return the matrix, or null when none there matches
     */
    public static RelevanceMatrix shipped(Path dir, StyleGenerator generator, TextImageEncoder encoder) {
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        String prefix = String.format(Locale.ROOT, "relevance-%s-%s-", safe(generator.info().name()), safe(encoder.info().name()));
        List<Path> files;
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(".json"))
                    .sorted().toList();
        } catch (java.io.IOException e) {
            throw new VcexException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
        for (Path f : files) {
            RelevanceMatrix m = RelevanceMatrix.read(f);
            if (m.matchesModels(generator.info(), encoder.info(), generator.styleLayers())) {
                return m;
            }
        }
        return null;
    }

    /**
     * The relevance from the cache when a file there matches the models (their names and file
     * hashes), the layers and the settings; otherwise measured and written to the cache.
     *
     * @param ctx scopes and progress
     * @param generator the style generator
     * @param encoder the text-image encoder
     * @param config settings
     * @param cacheDir the cache folder (created when missing)
     * @return the matrix
     */
    public static RelevanceMatrix cached(VcexContext ctx, StyleGenerator generator, TextImageEncoder encoder,
            RelevanceConfig config, Path cacheDir) {
        Path file = cacheFile(cacheDir, generator, encoder, config);
        if (Files.isRegularFile(file)) {
            RelevanceMatrix m;
            try {
                m = RelevanceMatrix.read(file);
            } catch (VcexException e) {
                m = null; // damaged or from an older layout: measured again below and overwritten
            }
            if (m != null && m.matches(generator.info(), encoder.info(), config, generator.styleLayers())) {
                return m;
            }
        }
        RelevanceMatrix m = compute(ctx, generator, encoder, config);
        m.write(file);
        return m;
    }
}
