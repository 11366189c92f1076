package io.vcex.zoo.recipes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.Scores;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.config.Json;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.generator.StyleCode;
import io.vcex.core.generator.StyleLayer;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import io.vcex.core.provenance.Hashing;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.provenance.Versions;
import io.vcex.core.stats.FrechetDistance;
import io.vcex.data.world.FaceAttributes;
import io.vcex.data.world.FacesWorld;
import io.vcex.data.world.WorldConfig;
import io.vcex.zoo.card.ModelCard;
import io.vcex.zoo.data.FaceTensors;
import io.vcex.zoo.data.ImagePool;
import io.vcex.zoo.models.StyleNet;
import io.vcex.zoo.nn.Net;
import io.vcex.zoo.nn.StyleNetBlock;
import io.vcex.zoo.train.TrainLoop;
import io.vcex.zoo.train.TrainSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * The zoo's style generator (for ZOOM and CF-CLIP): a StyleGAN2-like synthesis network with an
 * editable StyleSpace and an encoder into W+ ({@link StyleNetBlock}), trained together as an
 * autoencoder on the in-prior faces world: L = |G(E(x)) - x|_1 + lambda_delta mean(delta^2)
 * [+ lambda_p perceptual(G(E(x)), x)].
 *
 * <p>New latents come from a fitted prior: a Gaussian with full covariance over the flattened W+
 * codes of the training images, instead of a GAN's mapping network. Why: adversarial training of a
 * StyleGAN is unstable and needs far more steps than two CPU cores give in the zoo's budget, while
 * the autoencoder trains stably, gives ZOOM and CF-CLIP the encoder they need by construction (the
 * e4e role), and its codes are what the prior models. The cost is realism: samples are smoother than
 * renders, and the recipe measures by how much (FID of samples and of reconstructions against
 * held-out renders, with the floor of two held-out sets).
 *
 * <p>Figures: reconstruction l1 on held-out renders; how often the oracle's binary attributes agree
 * between a render and its reconstruction; FIDs; the mean and standard deviation of every style
 * channel over prior samples (what ZOOM's channel relevance moves channels by) are summarised.
 */
public final class StyleGenRecipe implements Recipe<StyleGenConfig, StyleNet> {
    /** Truncation for the sample figures (ZOOM's default is 0.7; 1 is the prior itself). */
    static final float[] SAMPLE_TRUNCATIONS = {1f, 0.7f};

    @Override
    public String name() {
        return "stylegen";
    }

    @Override
    public String summary() {
        return "style generator (StyleGAN2-like, StyleSpace, W+ encoder, fitted prior) of in-prior faces at 64x64, for ZOOM and CF-CLIP";
    }

    @Override
    public Class<StyleGenConfig> configType() {
        return StyleGenConfig.class;
    }

    @Override
    public StyleGenConfig defaults() {
        return new StyleGenConfig(1, 20000, List.of(128, 128, 64, 32, 16), 64, 32, 0.1, 0.1, 4000, 300, 0.999,
                new TrainSettings(5000, 16, 2e-3, 0, 0.02, 250));
    }

    @Override
    public StyleGenConfig tiny() {
        return new StyleGenConfig(1, 16, List.of(8, 8, 8, 4, 4), 4, 4, 0.1, 0, 16, 8, 0.9, new TrainSettings(3, 4, 1e-3, 0, 0.3, 2));
    }

    static Net network(VcexContext ctx, StyleGenConfig c) {
        return new Net(new StyleNetBlock(c.widths(), c.wDim(), c.encoderHead()), ctx.manager(), new Rng(c.seed()).derive("init"),
                new Shape(1, 3, 64, 64));
    }

    static ImagePool images(VcexContext ctx, StyleGenConfig c, boolean heldOut, int count) {
        FacesWorld world = new FacesWorld(WorldConfig.inPrior(), heldOut ? c.seed() + 1000 : c.seed());
        return ImagePool.of(FaceTensors.render(world, 0, count, ctx.progress()), 64);
    }

    @Override
    public ModelCard train(VcexContext ctx, StyleGenConfig c, Path modelDir, Path workDir) {
        ImagePool data = images(ctx, c, false, c.trainImages());
        ImageFeatures perceptual = c.perceptualWeight() > 0 ? DiffusionRecipe.zooBeside(modelDir).features(ctx, "feature-net") : null;
        Rng batches = new Rng(c.seed()).derive("batch");
        int b = c.train().batch();
        try (Net net = network(ctx, c)) {
            TrainLoop.Outcome out = TrainLoop.run(ctx, "training stylegen", net, c.train(), workDir.resolve("checkpoint"),
                    Recipes.configHash(c), c.emaDecay(), 0, new TrainLoop.Objective<NDArray>() {
                        @Override
                        public NDArray batch(NDManager scope, int step) {
                            Rng r = batches.derive(step);
                            int[] idx = new int[b];
                            for (int k = 0; k < b; k++) {
                                idx[k] = r.nextInt(data.size());
                            }
                            return data.batch(scope, idx).mul(2f).sub(1f);
                        }

                        @Override
                        public NDArray loss(NDManager scope, int step, NDArray x) {
                            NDList code = net.forward(true, x);
                            NDList styles = net.forward(true, code.get(0));
                            NDArray y = net.forward(true, styles.toArray(new NDArray[0])).singletonOrThrow();
                            NDArray loss = y.sub(x).abs().mean().add(code.get(1).square().mean().mul((float) c.offsetWeight()));
                            if (perceptual != null) {
                                NDArray d = perceptual.perceptualDistance(y.add(1f).div(2f), x.add(1f).div(2f));
                                loss = loss.add(d.mean().mul((float) c.perceptualWeight()));
                            }
                            return loss;
                        }
                    });
            fitPrior(ctx, c, net, data);
            long params = net.parameterCount();
            ModelCard card = Recipes.writeModel(net, modelDir, (sha, bytes) -> new ModelCard(name(), "style-generator",
                    description(c), architecture(c, (StyleNetBlock) net.block()), params, Json.tree(c), out.seconds(),
                    Recipes.machine(), Map.of(), Recipes.WEIGHTS, sha, bytes,
                    params + " float32 values (weights' moving average, and the prior's mean and Cholesky factor over "
                            + ((StyleNetBlock) net.block()).numWs() * c.wDim() + "-d W+); sized to train in about an hour on 2 CPU cores",
                    Versions.vcex(), Versions.djl()));
            ModelCard measured = card.withMetrics(evaluate(ctx, c, modelDir));
            Recipes.writeCard(modelDir, measured);
            return measured;
        }
    }

    /**
     * Fits N(mu, Sigma) to the W+ codes of the first {@code priorImages} training images and stores
     * mu and the Cholesky factor of Sigma (with 1e-4 of the mean variance added to the diagonal, so
     * a short run's rank-deficient covariance still factors) in the network.
     */
    static void fitPrior(VcexContext ctx, StyleGenConfig c, Net net, ImagePool data) {
        StyleNetBlock block = (StyleNetBlock) net.block();
        int d = block.numWs() * c.wDim();
        int n = Math.min(c.priorImages(), data.size());
        double[] mean = new double[d];
        DMatrixRMaj codes = new DMatrixRMaj(n, d);
        try (Progress.Task task = ctx.progress().start("fitting the W+ prior", n)) {
            for (int from = 0; from < n; from += 100) {
                int to = Math.min(n, from + 100);
                try (NDManager scope = ctx.newScope()) {
                    NDArray w = net.forward(false, data.batch(scope, FaceTensors.range(from, to)).mul(2f).sub(1f)).get(0);
                    float[][] rows = ImageTensors.rows(w.reshape(to - from, d));
                    for (int i = 0; i < rows.length; i++) {
                        for (int k = 0; k < d; k++) {
                            codes.set(from + i, k, rows[i][k]);
                            mean[k] += rows[i][k] / n;
                        }
                    }
                }
                task.step(to - from);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                codes.add(i, k, -mean[k]);
            }
        }
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(codes, codes, cov);
        CommonOps_DDRM.scale(1.0 / Math.max(1, n - 1), cov);
        double meanVar = 0;
        for (int k = 0; k < d; k++) {
            meanVar += cov.get(k, k) / d;
        }
        for (int k = 0; k < d; k++) {
            cov.add(k, k, 1e-4 * meanVar + 1e-8);
        }
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
        if (!chol.decompose(cov)) {
            throw new VcexException("The covariance of the W+ codes is not positive definite; the training diverged");
        }
        DMatrixRMaj lower = chol.getT(null);
        float[] m = new float[d];
        float[] l = new float[d * d];
        for (int k = 0; k < d; k++) {
            m[k] = (float) mean[k];
            for (int j = 0; j < d; j++) {
                l[k * d + j] = (float) lower.get(k, j);
            }
        }
        block.priorMean().getArray().set(m);
        block.priorFactor().getArray().set(l);
    }

    private static String description(StyleGenConfig c) {
        return "Style generator trained from scratch in Java as an autoencoder on " + c.trainImages() + " renders of the in-prior "
                + "faces world (64x64): the encoder maps an image to W+, the synthesis network maps W+ through per-layer affine "
                + "style channels (StyleSpace) to the image; loss l1 + " + c.offsetWeight() + " x mean squared W+ offset"
                + (c.perceptualWeight() > 0 ? " + " + c.perceptualWeight() + " x perceptual distance (feature-net)" : "")
                + ". New codes are drawn from a Gaussian fitted to the W+ codes of " + c.priorImages()
                + " training images (a fitted prior instead of a GAN mapping network). The shipped weights are the moving "
                + "average (decay " + c.emaDecay() + ").";
    }

    private static String architecture(StyleGenConfig c, StyleNetBlock block) {
        return "StyleGAN2-like skip generator: 4x4 constant, modulated/demodulated 3x3 convolutions with widths " + c.widths()
                + " at 4..64, bilinear up-sampling, leaky ReLU, modulated 1x1 toRGB per resolution, no noise inputs; "
                + block.layers().size() + " style layers, W+ of " + block.numWs() + " x " + c.wDim() + "; encoder: conv-GN-leaky "
                + "stages (stride 2) to 4x4, 1x1 to " + c.encoderHead() + ", linear to w + one offset per W+ index";
    }

    @Override
    public StyleNet load(VcexContext ctx, StyleGenConfig c, Path modelDir) {
        Net net = network(ctx, c);
        net.loadForInference(modelDir.resolve(Recipes.WEIGHTS));
        return new StyleNet(net, new ModelInfo(name(), Map.of(Recipes.WEIGHTS, Hashing.sha256(modelDir.resolve(Recipes.WEIGHTS)))));
    }

    @Override
    public Map<String, Double> evaluate(VcexContext ctx, StyleGenConfig c, Path modelDir) {
        int n = c.evalImages();
        Map<String, Double> m = new LinkedHashMap<>();
        FacesWorld world = new FacesWorld(WorldConfig.inPrior(), c.seed() + 1000);
        FaceTensors faces = FaceTensors.render(world, 0, 2 * n, ctx.progress());
        ImagePool real = ImagePool.of(faces, 64);
        var zoo = DiffusionRecipe.zooBeside(modelDir);
        ImageFeatures fn = zoo.features(ctx, "feature-net"); // owned by the context
        WhiteBoxClassifier oracle = zoo.classifier(ctx, "oracle");
        try (StyleNet g = load(ctx, c, modelDir)) {
            float[][] first = new float[n][];
            float[][] second = new float[n][];
            float[][] recon = new float[n][];
            double l1 = 0;
            int agree = 0;
            int compared = 0;
            List<String> binary = FaceAttributes.BINARY;
            try (Progress.Task task = ctx.progress().start("stylegen reconstructions", 2L * n)) {
                for (int from = 0; from < 2 * n; from += 100) {
                    int to = Math.min(2 * n, from + 100);
                    try (NDManager scope = ctx.newScope()) {
                        NDArray x = real.batch(scope, FaceTensors.range(from, to));
                        float[][] f = ImageTensors.rows(fn.poolFeatures(x));
                        for (int i = from; i < to; i++) {
                            if (i < n) {
                                first[i] = f[i - from];
                            } else {
                                second[i - n] = f[i - from];
                            }
                        }
                        if (from < n) {
                            int end = Math.min(to, n);
                            NDArray xs = x.get((0) + ":" + (end - from));
                            NDArray y = g.generate(g.encode(xs));
                            l1 += y.sub(xs).abs().mean().getFloat() * (end - from);
                            float[][] fr = ImageTensors.rows(fn.poolFeatures(y));
                            System.arraycopy(fr, 0, recon, from, end - from);
                            Scores so = oracle.scores(xs);
                            Scores sr = oracle.scores(y);
                            for (int k = 0; k < end - from; k++) {
                                for (String a : binary) {
                                    int ci = oracle.spec().classIndex(a);
                                    agree += (so.probability(k, ci) > 0.5f) == (sr.probability(k, ci) > 0.5f) ? 1 : 0;
                                    compared++;
                                }
                            }
                        }
                    }
                    task.step(to - from);
                }
            }
            m.put("reconstruction_l1", l1 / n);
            m.put("reconstruction_oracle_attribute_agreement", (double) agree / Math.max(1, compared));
            m.put("fid_floor_heldout_vs_heldout", FrechetDistance.between(first, second));
            m.put("fid_reconstructions", FrechetDistance.between(first, recon));
            for (float psi : SAMPLE_TRUNCATIONS) {
                float[][] s = new float[n][];
                try (NDManager scope = ctx.newScope()) {
                    Rng r = new Rng(c.seed()).derive("eval-samples");
                    for (int from = 0; from < n; from += 100) {
                        int to = Math.min(n, from + 100);
                        NDArray w = g.sampleWPlus(scope, r.derive(from), to - from, psi);
                        float[][] f = ImageTensors.rows(fn.poolFeatures(g.generate(w)));
                        System.arraycopy(f, 0, s, from, to - from);
                    }
                }
                m.put("fid_samples_psi" + psi, FrechetDistance.between(first, s));
            }
            m.putAll(styleStatistics(ctx, g, c.seed(), 1000));
        }
        m.put("eval_images", (double) n);
        return m;
    }

    /**
     * @return the number of style channels, and the mean over channels of their standard deviation
     *     over {@code count} prior samples (the unit ZOOM's channel relevance moves channels by)
     */
    static Map<String, Double> styleStatistics(VcexContext ctx, StyleNet g, long seed, int count) {
        Map<String, Double> m = new LinkedHashMap<>();
        List<StyleLayer> layers = g.styleLayers();
        int channels = layers.stream().mapToInt(StyleLayer::channels).sum();
        double stdSum = 0;
        try (NDManager scope = ctx.newScope()) {
            StyleCode s = g.styles(g.sampleWPlus(scope, new Rng(seed).derive("style-stats"), count, 1f));
            for (NDArray layer : s.layers()) {
                NDArray centred = layer.sub(layer.mean(new int[] {0}, true));
                float[] std = centred.square().mean(new int[] {0}).sqrt().toFloatArray();
                for (float v : std) {
                    stdSum += v;
                }
            }
        }
        m.put("style_channels", (double) channels);
        m.put("style_channel_std_mean", stdSum / channels);
        return m;
    }

    /**
     * What a person looks at to judge the generator: prior samples at truncation 1 and 0.7, and
     * held-out renders with their reconstructions.
     *
     * @param ctx scopes, seed and progress
     * @param c the model's config
     * @param modelDir the model folder
     * @param count images of each kind
     * @return the sheet
     */
    public DiffusionRecipe.SampleSheet sampleSheet(VcexContext ctx, StyleGenConfig c, Path modelDir, int count) {
        ImagePool real = images(ctx, c, true, count);
        try (StyleNet g = load(ctx, c, modelDir); NDManager scope = ctx.newScope()) {
            NDArray x = real.batch(scope, FaceTensors.range(0, count));
            List<ImageData> samples = new ArrayList<>(ImageTensors.fromBatch(
                    g.generate(g.sampleWPlus(scope, ctx.rng("samples"), count, 1f)), ValueRange.UNIT));
            samples.addAll(ImageTensors.fromBatch(g.generate(g.sampleWPlus(scope, ctx.rng("samples-truncated"), count, 0.7f)),
                    ValueRange.UNIT));
            return new DiffusionRecipe.SampleSheet(samples, ImageTensors.fromBatch(x, ValueRange.UNIT),
                    ImageTensors.fromBatch(g.generate(g.encode(x)), ValueRange.UNIT));
        }
    }
}
