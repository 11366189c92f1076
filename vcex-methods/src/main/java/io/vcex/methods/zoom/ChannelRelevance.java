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
        int n = config.samples();
        int d = encoder.embeddingDim();
        double[][] sum = new double[total][d];
        int chunk = Math.max(1, config.batch() / 2);
        try (NDManager scope = ctx.newScope();
                Progress.Task task = ctx.progress().start("channel relevance (" + total + " channels x " + n + " images)",
                        total)) {
            NDArray w = generator.sampleWPlus(scope, rng.derive("images"), n, config.truncation().floatValue());
            StyleCode base = generator.styles(w);
            int channel = 0;
            for (int l = 0; l < layers.size(); l++) {
                int width = layers.get(l).channels();
                for (int c = 0; c < width; c++, channel++) {
                    float move = (float) (config.k() * std[channel]);
                    for (int from = 0; from < n; from += chunk) {
                        int m = Math.min(chunk, n - from);
                        try (NDManager step = scope.newSubManager()) {
                            accumulate(step, generator, encoder, factor, base, from, m, l, c, width, move, sum[channel]);
                        }
                    }
                    task.step();
                }
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

    /** Adds sum over images of unit(i+ - i-) for one channel and one chunk of images. */
    private static void accumulate(NDManager step, StyleGenerator generator, TextImageEncoder encoder, int factor,
            StyleCode base, int from, int m, int layer, int channel, int width, float move, double[] into) {
        List<NDArray> plus = new ArrayList<>();
        for (int l = 0; l < base.layers().size(); l++) {
            NDArray part = base.layers().get(l).get(from + ":" + (from + m));
            part.attach(step);
            NDArray both = part.concat(part, 0);
            if (l == layer) {
                float[] shift = new float[2 * m * width];
                for (int i = 0; i < m; i++) {
                    shift[i * width + channel] = move;
                    shift[(m + i) * width + channel] = -move;
                }
                both = both.add(step.create(shift).reshape(2 * m, width));
            }
            plus.add(both);
        }
        NDArray images = StyleEdits.adapt(generator.synthesize(new StyleCode(plus)), factor);
        NDArray e = StyleEdits.unitRows(encoder.embedImage(images));
        NDArray diff = StyleEdits.unitRows(e.get("0:" + m).sub(e.get(m + ":" + 2 * m)));
        float[][] rows = ImageTensors.rows(diff);
        for (float[] r : rows) {
            for (int j = 0; j < r.length; j++) {
                into[j] += r[j];
            }
        }
    }

    /** sigma_c over codes sampled at truncation 1, in double precision. */
    static float[] standardDeviations(VcexContext ctx, StyleGenerator generator, RelevanceConfig config, Rng rng) {
        int total = StyleEdits.channels(generator.styleLayers());
        double[] s1 = new double[total];
        double[] s2 = new double[total];
        int n = config.stdSamples();
        for (int from = 0, part = 0; from < n; from += config.batch(), part++) {
            int m = Math.min(config.batch(), n - from);
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
