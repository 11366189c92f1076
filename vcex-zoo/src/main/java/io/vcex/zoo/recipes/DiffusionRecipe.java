package io.vcex.zoo.recipes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.config.Json;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.diffusion.DdimSampler;
import io.vcex.core.diffusion.DdpmSampler;
import io.vcex.core.diffusion.NoiseSchedule;
import io.vcex.core.diffusion.ReverseProcess;
import io.vcex.core.diffusion.Sampler;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.provenance.Hashing;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.provenance.Versions;
import io.vcex.core.stats.FrechetDistance;
import io.vcex.data.dataset.Mnist;
import io.vcex.data.world.FacesWorld;
import io.vcex.data.world.WorldConfig;
import io.vcex.zoo.Zoo;
import io.vcex.zoo.card.ModelCard;
import io.vcex.zoo.data.FaceTensors;
import io.vcex.zoo.data.ImagePool;
import io.vcex.zoo.models.DiffusionAutoencoder;
import io.vcex.zoo.models.NetDenoiser;
import io.vcex.zoo.nn.DiffAeBlock;
import io.vcex.zoo.nn.Net;
import io.vcex.zoo.nn.UNet;
import io.vcex.zoo.train.TrainLoop;
import io.vcex.zoo.train.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Diffusion models of the zoo, trained with the simple noise-prediction loss of Ho et al. (2020,
 * eq. 14, algorithm 1): L = || eps - eps_theta(sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps, t) ||^2 with
 * t uniform on 0..T-1 and the linear schedule (beta 1e-4 to 0.02, T = 1000), fixed variances
 * (DDPM sampling uses the posterior variance beta-tilde_t, the "fixed small" choice; the variance
 * is not learned), and a moving average of the weights. Sampling from noise clips x0_hat to
 * [-1, 1] at every step (DDPM and DDIM alike, as improved-diffusion does). With {@code codeDim > 0} the UNet is conditioned on z_sem = Enc(x_0) and both are
 * trained together: a diffusion autoencoder (Preechakul et al. 2022, eq. 9).
 *
 * <p>Figures. Pixel models: FID (vcex feature network, 2x bilinear up-sampling to 64x64) of samples
 * against held-out images after 50 and 100 DDIM steps and 100 DDPM steps, with the FID of a second
 * held-out set as the floor. Autoencoders: reconstruction error of DDIM encoding then decoding at
 * 20 and 50 steps, and the effect, by the oracle, of moving z_sem along a linear probe's
 * eyeglasses direction.
 *
 * <p>MNIST ({@code mnist-diffusion}, {@code mnist-diffae}): the same figures measured by the zoo's
 * {@code mnist-net} instead of the faces' feature network and oracle: FID-like distances of its
 * pooled features (digits as they are, 28x28), the share of samples it classifies with probability
 * above 0.9 and the entropy of their classes (is every digit drawn?); for the autoencoder, the share
 * of held-out digits whose z_sem, decoded from a new random x_T, keeps its label, and probe
 * directions between digit pairs (4 to 9, 3 to 8) in z_sem, judged by its decisions, against a
 * random direction of the same length.
 */
public final class DiffusionRecipe implements Recipe<DiffusionConfig, Object> {
    /** DDIM step counts of the autoencoder's reconstruction figures. */
    static final int[] RECONSTRUCTION_STEPS = {20, 50};
    /** Digit pairs (from, to) whose z_sem probe directions the MNIST autoencoder's figures test. */
    static final int[][] DIGIT_PROBES = {{4, 9}, {3, 8}};
    /** Held-out digits of each class behind a probe figure (at most; the eval images bound it too). */
    static final int PROBE_DIGITS = 200;
    private final String name;
    private final DiffusionConfig defaults;
    private final DiffusionConfig tiny;

    private DiffusionRecipe(String name, DiffusionConfig defaults, DiffusionConfig tiny) {
        this.name = name;
        this.defaults = defaults;
        this.tiny = tiny;
    }

    /** @return the faces pixel diffusion model (for DVCE) */
    public static DiffusionRecipe faces() {
        return new DiffusionRecipe("diffusion",
                new DiffusionConfig(1, "faces", 20000, 32, 32, List.of(1, 2, 2), 0, 16, 1000, 0.999, 300,
                        new TrainSettings(6000, 32, 3e-4, 0, 0.02, 250), null),
                new DiffusionConfig(1, "faces", 16, 32, 4, List.of(1, 2), 0, 4, 1000, 0.9, 8,
                        new TrainSettings(3, 4, 1e-3, 0, 0.3, 2), 1.0));
    }

    /**
     * @return the MNIST pixel diffusion model (for DVCE on digits): a UNet of 16-32-64 channels at
     *     28x28 (28, 14, 7), sized from a measurement of about 0.33 s per step of batch 32 on one
     *     thread so that it trains in about 15 minutes
     */
    public static DiffusionRecipe mnist() {
        return new DiffusionRecipe("mnist-diffusion",
                new DiffusionConfig(1, "mnist", Mnist.TRAIN_SIZE, 28, 16, List.of(1, 2, 4), 0, 16, 1000, 0.998, 300,
                        new TrainSettings(3000, 32, 5e-4, 0, 0.02, 250), 1.0),
                new DiffusionConfig(1, "mnist", 16, 28, 4, List.of(1, 2), 0, 4, 1000, 0.9, 8,
                        new TrainSettings(3, 4, 1e-3, 0, 0.3, 2), 1.0));
    }

    /** @return the MNIST diffusion autoencoder (for GCD on digits): a 32-d z_sem and the same UNet as {@link #mnist()} */
    public static DiffusionRecipe mnistAutoencoder() {
        return new DiffusionRecipe("mnist-diffae",
                new DiffusionConfig(1, "mnist", Mnist.TRAIN_SIZE, 28, 16, List.of(1, 2, 4), 32, 16, 1000, 0.998, 300,
                        new TrainSettings(2500, 32, 5e-4, 0, 0.02, 250), 1.0),
                new DiffusionConfig(1, "mnist", 16, 28, 4, List.of(1, 2), 8, 4, 1000, 0.9, 8,
                        new TrainSettings(3, 4, 1e-3, 0, 0.3, 2), 1.0));
    }

    /** @return the faces diffusion autoencoder (for GCD) */
    public static DiffusionRecipe facesAutoencoder() {
        return new DiffusionRecipe("diffae",
                new DiffusionConfig(1, "faces", 20000, 32, 32, List.of(1, 2, 2), 64, 16, 1000, 0.999, 300,
                        new TrainSettings(4000, 32, 2e-4, 0, 0.02, 250), 1.0),
                new DiffusionConfig(1, "faces", 16, 32, 4, List.of(1, 2), 8, 4, 1000, 0.9, 8,
                        new TrainSettings(3, 4, 1e-3, 0, 0.3, 2), 1.0));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String summary() {
        return defaults.autoencoder()
                ? "diffusion autoencoder (" + defaults.codeDim() + "-d z_sem, DDIM encode/decode) of " + what(defaults) + ", for GCD"
                : "pixel diffusion model (UNet, T=" + defaults.timesteps() + ", DDPM/DDIM) of " + what(defaults) + ", for DVCE";
    }

    private static String what(DiffusionConfig c) {
        return ("faces".equals(c.data()) ? "in-prior faces" : "MNIST digits") + " at " + c.side() + "x" + c.side();
    }

    @Override
    public Class<DiffusionConfig> configType() {
        return DiffusionConfig.class;
    }

    @Override
    public DiffusionConfig defaults() {
        return defaults;
    }

    @Override
    public DiffusionConfig tiny() {
        return tiny;
    }

    /** @return the training schedule */
    static NoiseSchedule schedule(DiffusionConfig c) {
        return NoiseSchedule.linear(c.timesteps());
    }

    static ImageSpec spec(DiffusionConfig c) {
        return new ImageSpec(c.channels(), c.side(), c.side());
    }

    /**
     * @param ctx progress
     * @param c the config
     * @param heldOut false for the training images; true for the evaluation images (another world
     *     seed, or MNIST's test set)
     * @param count how many
     * @return the images at the model's side
     */
    static ImagePool images(VcexContext ctx, DiffusionConfig c, boolean heldOut, int count) {
        if ("mnist".equals(c.data())) {
            return heldOut ? ImagePool.of(Mnist.test(), 0, Math.min(count, Mnist.TEST_SIZE))
                    : ImagePool.of(Mnist.train(), 0, Math.min(count, Mnist.TRAIN_SIZE));
        }
        FacesWorld world = new FacesWorld(WorldConfig.inPrior(), heldOut ? c.seed() + 1000 : c.seed());
        return ImagePool.of(FaceTensors.render(world, 0, count, ctx.progress()), c.side());
    }

    static Net network(VcexContext ctx, DiffusionConfig c) {
        Shape x = new Shape(1, c.channels(), c.side(), c.side());
        Rng init = new Rng(c.seed()).derive("init");
        Net net = c.autoencoder()
                ? new Net(new DiffAeBlock(c.channels(), c.base(), c.levels(), c.encoderBase(), c.codeDim()), ctx.manager(), init,
                        x, new Shape(1), new Shape(1, c.codeDim()))
                : new Net(new UNet(c.channels(), c.base(), c.levels(), 0), ctx.manager(), init, x, new Shape(1));
        // each residual branch and the output start at zero (improved DDPM's zero_module)
        return net.zeroWeights("conv2_weight", "convOut_weight");
    }

    /** One step's data: clean images x_0 in [-1, 1], timesteps, and the noise. */
    record Batch(NDArray x0, int[] t, NDArray noise) {
    }

    @Override
    public ModelCard train(VcexContext ctx, DiffusionConfig c, Path modelDir, Path workDir) {
        ImagePool data = images(ctx, c, false, c.trainImages());
        NoiseSchedule schedule = schedule(c);
        double[] abar = schedule.alphasCumprod();
        Rng batches = new Rng(c.seed()).derive("batch");
        int b = c.train().batch();
        try (Net net = network(ctx, c)) {
            TrainLoop.Outcome out = TrainLoop.run(ctx, "training " + name, net, c.train(), workDir.resolve("checkpoint"),
                    Recipes.configHash(c), c.emaDecay(), c.gradClip(), new TrainLoop.Objective<Batch>() {
                        @Override
                        public Batch batch(NDManager scope, int step) {
                            Rng r = batches.derive(step);
                            int[] idx = new int[b];
                            int[] t = new int[b];
                            for (int k = 0; k < b; k++) {
                                idx[k] = r.nextInt(data.size());
                                t[k] = r.nextInt(c.timesteps());
                            }
                            NDArray x0 = data.batch(scope, idx).mul(2f).sub(1f);
                            return new Batch(x0, t, r.derive("noise").normal(scope, x0.getShape()));
                        }

                        @Override
                        public NDArray loss(NDManager scope, int step, Batch batch) {
                            float[] signal = new float[b];
                            float[] noiseScale = new float[b];
                            float[] tf = new float[b];
                            for (int k = 0; k < b; k++) {
                                signal[k] = (float) Math.sqrt(abar[batch.t()[k]]);
                                noiseScale[k] = (float) Math.sqrt(1 - abar[batch.t()[k]]);
                                tf[k] = batch.t()[k];
                            }
                            Shape perSample = new Shape(b, 1, 1, 1);
                            NDArray xt = batch.x0().mul(scope.create(signal).reshape(perSample))
                                    .add(batch.noise().mul(scope.create(noiseScale).reshape(perSample)));
                            NDArray times = scope.create(tf);
                            NDArray eps = c.autoencoder()
                                    ? net.forward(true, xt, times, net.forward1(true, batch.x0())).singletonOrThrow()
                                    : net.forward(true, xt, times).singletonOrThrow();
                            return eps.sub(batch.noise()).square().mean();
                        }
                    });
            long params = net.parameterCount();
            ModelCard card = Recipes.writeModel(net, modelDir, (sha, bytes) -> new ModelCard(name,
                    c.autoencoder() ? "diffusion-autoencoder" : "diffusion", description(c), architecture(c), params,
                    Json.tree(c), out.seconds(), Recipes.machine(), Map.of(), Recipes.WEIGHTS, sha, bytes,
                    params + " float32 values (the moving average of the weights); sized to train in about "
                            + ("faces".equals(c.data()) ? "an hour on 2 CPU cores" : "15 minutes on one CPU thread"),
                    Versions.vcex(), Versions.djl()));
            ModelCard measured = card.withMetrics(evaluate(ctx, c, modelDir));
            Recipes.writeCard(modelDir, measured);
            return measured;
        }
    }

    private static String description(DiffusionConfig c) {
        String data = "faces".equals(c.data())
                ? "the in-prior faces world (" + c.trainImages() + " renders, area-reduced from 64x64 to " + c.side() + "x"
                        + c.side() + "; explanations reduce 64x64 images the same way and up-sample results bilinearly)"
                : "the first " + c.trainImages() + " MNIST training digits";
        String common = " Trained from scratch in Java on " + data + " with the noise-prediction loss of Ho et al. (2020), a linear "
                + "schedule of T=" + c.timesteps() + " steps and fixed variances; the shipped weights are the moving average (decay "
                + c.emaDecay() + ").";
        return c.autoencoder()
                ? "Diffusion autoencoder (Preechakul et al. 2022): a semantic encoder to a " + c.codeDim()
                        + "-d code z_sem and a z_sem-conditioned UNet denoiser; DDIM encodes an image to x_T and decodes (z_sem, x_T)."
                        + common
                : "Pixel diffusion model: an unconditional UNet noise predictor, sampled with DDPM or DDIM on a respaced schedule."
                        + common;
    }

    private static String architecture(DiffusionConfig c) {
        StringBuilder levels = new StringBuilder();
        for (int m : c.levels()) {
            levels.append(levels.length() == 0 ? "" : "-").append(m * c.base());
        }
        String unet = "UNet " + levels + " channels (one residual block per level, GroupNorm, SiLU, AdaGN time embedding, "
                + "avg-pool down, nearest up, two middle blocks), input " + c.channels() + "x" + c.side() + "x" + c.side()
                + " in [-1, 1]";
        return c.autoencoder() ? unet + ", conditioned per block by a channel scale from z_sem; semantic encoder: conv-GN-SiLU "
                + c.encoderBase() + "-" + 2 * c.encoderBase() + "-" + 4 * c.encoderBase() + "-" + 4 * c.encoderBase()
                + " (strides 1,2,2,2), global pool, linear to " + c.codeDim() : unet;
    }

    @Override
    public Object load(VcexContext ctx, DiffusionConfig c, Path modelDir) {
        Net net = network(ctx, c);
        net.loadForInference(modelDir.resolve(Recipes.WEIGHTS));
        ModelInfo info = new ModelInfo(name, Map.of(Recipes.WEIGHTS, Hashing.sha256(modelDir.resolve(Recipes.WEIGHTS))));
        NetDenoiser denoiser = new NetDenoiser(net, c.codeDim(), spec(c), schedule(c), info);
        return c.autoencoder() ? new DiffusionAutoencoder(denoiser) : denoiser;
    }

    @Override
    public Map<String, Double> evaluate(VcexContext ctx, DiffusionConfig c, Path modelDir) {
        Object model = load(ctx, c, modelDir);
        try {
            return c.autoencoder() ? evaluateAutoencoder(ctx, c, (DiffusionAutoencoder) model, modelDir)
                    : evaluateSamples(ctx, c, (NetDenoiser) model, modelDir);
        } finally {
            close(model);
        }
    }

    private static void close(Object model) {
        if (model instanceof AutoCloseable a) {
            try {
                a.close();
            } catch (Exception e) {
                throw new VcexException("Cannot free the model: " + e.getMessage(), e);
            }
        }
    }

    /** The zoo a model folder sits in if it has the feature network and oracle, else the shipped zoo. */
    static Zoo zooBeside(Path modelDir) {
        return zooBeside(modelDir, List.of("feature-net", "oracle"));
    }

    /**
     * @param modelDir a model folder
     * @param c its config
     * @return the zoo the folder sits in if it has the measuring models of the config's data
     *     ({@link #measures}), else the shipped zoo
     */
    static Zoo zooBeside(Path modelDir, DiffusionConfig c) {
        return zooBeside(modelDir, measures(c));
    }

    private static Zoo zooBeside(Path modelDir, List<String> needed) {
        Path parent = modelDir.toAbsolutePath().getParent();
        if (parent != null && needed.stream().allMatch(m -> Files.isRegularFile(parent.resolve(m).resolve(Recipes.CARD)))) {
            return new Zoo(parent);
        }
        return Zoo.builtIn();
    }

    /** @return the zoo models that measure a model of the config's data: feature-net and oracle, or mnist-net */
    static List<String> measures(DiffusionConfig c) {
        return "faces".equals(c.data()) ? List.of("feature-net", "oracle") : List.of(MnistNetRecipe.NAME);
    }

    /**
     * @param ctx the context that will own it
     * @param c a config
     * @param modelDir the model's folder
     * @return the feature network of the config's data (feature-net, or mnist-net for digits)
     */
    static ImageFeatures featuresFor(VcexContext ctx, DiffusionConfig c, Path modelDir) {
        return zooBeside(modelDir, c).features(ctx, measures(c).get(0));
    }

    /**
     * @param c a config
     * @param x NCHW in [0, 1] at the model's side
     * @return what the data's feature network reads: faces up-sampled to 64x64, digits as they are
     */
    static NDArray forFeatures(DiffusionConfig c, NDArray x) {
        return "faces".equals(c.data()) ? to64(x) : x;
    }

    /**
     * @param x NCHW in [0, 1] at the model's side
     * @return the same at 64x64 (bilinear 2x steps), 3 channels
     */
    static NDArray to64(NDArray x) {
        NDArray y = x;
        while (y.getShape().get(2) < 64) {
            y = ImageTensors.upsample2x(y);
        }
        return y.getShape().get(1) == 1 ? y.repeat(1, 3) : y;
    }

    /**
     * Features, and for a feature network that is also a classifier (mnist-net) class
     * probabilities, of a set of images.
     *
     * @param features N x d
     * @param probabilities N x classes, or null
     */
    record Measured(float[][] features, float[][] probabilities) {
        Measured slice(int from, int to) {
            return new Measured(java.util.Arrays.copyOfRange(features, from, to),
                    probabilities == null ? null : java.util.Arrays.copyOfRange(probabilities, from, to));
        }
    }

    private static void measure(DiffusionConfig c, ImageFeatures fn, NDArray images, Measured into, int from) {
        NDArray x = forFeatures(c, images);
        float[][] f = ImageTensors.rows(fn.poolFeatures(x));
        System.arraycopy(f, 0, into.features(), from, f.length);
        if (into.probabilities() != null) {
            float[][] p = ((BlackBoxClassifier) fn).scores(x).probabilities();
            System.arraycopy(p, 0, into.probabilities(), from, p.length);
        }
    }

    private static Measured empty(ImageFeatures fn, int n) {
        return new Measured(new float[n][], fn instanceof BlackBoxClassifier ? new float[n][] : null);
    }

    private static Measured features(VcexContext ctx, DiffusionConfig c, ImageFeatures fn, ImagePool pool, int count) {
        Measured out = empty(fn, count);
        for (int from = 0; from < count; from += 100) {
            int to = Math.min(count, from + 100);
            try (NDManager scope = ctx.newScope()) {
                measure(c, fn, pool.batch(scope, FaceTensors.range(from, to)), out, from);
            }
        }
        return out;
    }

    /**
     * Digit figures of a set of images by mnist-net: the share it classifies with probability above
     * 0.9, and the entropy (nats) of its predicted classes' histogram (ln 10 = 2.303 when every digit
     * is as frequent).
     */
    private static void digitFigures(Map<String, Double> m, String suffix, float[][] probabilities) {
        int confident = 0;
        int[] counts = new int[probabilities[0].length];
        for (float[] p : probabilities) {
            int best = 0;
            for (int k = 1; k < p.length; k++) {
                best = p[k] > p[best] ? k : best;
            }
            counts[best]++;
            confident += p[best] > 0.9f ? 1 : 0;
        }
        double entropy = 0;
        for (int k : counts) {
            if (k > 0) {
                double q = (double) k / probabilities.length;
                entropy -= q * Math.log(q);
            }
        }
        m.put("digits_confident_" + suffix, (double) confident / probabilities.length);
        m.put("digits_class_entropy_" + suffix, entropy);
    }

    private Map<String, Double> evaluateSamples(VcexContext ctx, DiffusionConfig c, NetDenoiser denoiser, Path modelDir) {
        int n = c.evalImages();
        Map<String, Double> m = new LinkedHashMap<>();
        ImagePool real = images(ctx, c, true, 2 * n);
        ImageFeatures fn = featuresFor(ctx, c, modelDir); // owned by the context
        {
            Measured all = features(ctx, c, fn, real, 2 * n);
            Measured first = all.slice(0, n);
            m.put("fid_floor_heldout_vs_heldout", FrechetDistance.between(first.features(), all.slice(n, 2 * n).features()));
            if (first.probabilities() != null) {
                digitFigures(m, "heldout", first.probabilities());
            }
            NoiseSchedule schedule = denoiser.schedule();
            Sampler[] samplers = {new DdimSampler(schedule.respace(50), 0, true), new DdimSampler(schedule.respace(100), 0, true),
                DdpmSampler.of(schedule.respace(100))};
            String[] names = {"ddim50", "ddim100", "ddpm100"};
            for (int s = 0; s < samplers.length; s++) {
                Measured f = sampleFeatures(ctx, c, denoiser, samplers[s], fn, n, new Rng(c.seed()).derive("eval-samples"),
                        "fid_" + names[s]);
                m.put("fid_" + names[s], FrechetDistance.between(first.features(), f.features()));
                if (f.probabilities() != null) {
                    digitFigures(m, names[s], f.probabilities());
                }
            }
        }
        m.put("eval_images", (double) n);
        return m;
    }

    private static Measured sampleFeatures(VcexContext ctx, DiffusionConfig c, NetDenoiser denoiser, Sampler sampler,
            ImageFeatures fn, int n, Rng rng, String label) {
        Measured out = empty(fn, n);
        ImageSpec spec = denoiser.imageSpec();
        int batch = 100;
        try (Progress.Task task = ctx.progress().start("sampling for " + label, (long) n * sampler.schedule().steps())) {
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                try (NDManager scope = ctx.newScope()) {
                    Rng r = rng.derive(from);
                    NDArray xT = r.derive("xT").normal(scope, new Shape(to - from, spec.channels(), spec.height(), spec.width()));
                    NDArray x0 = ReverseProcess.run(denoiser, sampler, xT, sampler.schedule().steps() - 1, null, r.derive("steps"));
                    measure(c, fn, x0.clip(-1f, 1f).add(1f).div(2f), out, from);
                }
                task.step((long) (to - from) * sampler.schedule().steps());
            }
        }
        return out;
    }

    private Map<String, Double> evaluateAutoencoder(VcexContext ctx, DiffusionConfig c, DiffusionAutoencoder ae, Path modelDir) {
        int n = c.evalImages();
        Map<String, Double> m = new LinkedHashMap<>();
        ImagePool real = images(ctx, c, true, n);
        for (int steps : RECONSTRUCTION_STEPS) {
            double l1 = 0;
            double mse = 0;
            try (Progress.Task task = ctx.progress().start("DDIM-" + steps + " reconstruction", n)) {
                for (int from = 0; from < n; from += 100) {
                    int to = Math.min(n, from + 100);
                    try (NDManager scope = ctx.newScope()) {
                        NDArray x = real.batch(scope, FaceTensors.range(from, to));
                        NDArray z = ae.encode(x);
                        NDArray xT = ae.encodeNoise(x, z, steps);
                        NDArray back = ae.decode(z, xT, steps);
                        NDArray d = back.sub(x);
                        l1 += d.abs().mean().getFloat() * (to - from);
                        mse += d.square().mean().getFloat() * (to - from);
                    }
                    task.step(to - from);
                }
            }
            m.put("reconstruction_l1_ddim" + steps, l1 / n);
            m.put("reconstruction_mse_ddim" + steps, mse / n);
        }
        if ("faces".equals(c.data())) {
            m.putAll(probeEffect(ctx, c, ae, modelDir));
        } else {
            m.put("digit_kept_by_zsem_with_random_xT", digitKeptByCode(ctx, c, ae, modelDir, real));
            for (int[] pair : DIGIT_PROBES) {
                m.putAll(digitProbe(ctx, c, ae, modelDir, pair[0], pair[1]));
            }
        }
        m.put("eval_images", (double) n);
        return m;
    }

    /**
     * A linear probe for eyeglasses on z_sem (least squares on half the held-out faces), then every
     * face of the other half without glasses moved along the probe's unit direction until the probe
     * predicts glasses with margin, decoded with its own x_T; the oracle judges before and after.
     */
    private static Map<String, Double> probeEffect(VcexContext ctx, DiffusionConfig c, DiffusionAutoencoder ae, Path modelDir) {
        int n = c.evalImages();
        FacesWorld world = new FacesWorld(WorldConfig.inPrior(), c.seed() + 1000);
        FaceTensors faces = FaceTensors.render(world, 0, n, ctx.progress());
        ImagePool pool = ImagePool.of(faces, c.side());
        int d = c.codeDim();
        float[][] z = new float[n][];
        for (int from = 0; from < n; from += 100) {
            int to = Math.min(n, from + 100);
            try (NDManager scope = ctx.newScope()) {
                float[][] f = ImageTensors.rows(ae.encode(pool.batch(scope, FaceTensors.range(from, to))));
                System.arraycopy(f, 0, z, from, to - from);
            }
        }
        int half = n / 2;
        double[] y = new double[half];
        for (int i = 0; i < half; i++) {
            y[i] = faces.attributes(i).eyeglasses() ? 1 : -1;
        }
        double[] w = LinearProbe.fit(java.util.Arrays.copyOfRange(z, 0, half), y, 1e-3);
        double bias = w[d];
        double norm = 0;
        for (int k = 0; k < d; k++) {
            norm += w[k] * w[k];
        }
        norm = Math.sqrt(norm);
        java.util.List<Integer> targets = new java.util.ArrayList<>();
        int probeCorrect = 0;
        for (int i = half; i < n; i++) {
            double s = bias;
            for (int k = 0; k < d; k++) {
                s += w[k] * z[i][k];
            }
            probeCorrect += (s > 0) == faces.attributes(i).eyeglasses() ? 1 : 0;
            if (!faces.attributes(i).eyeglasses()) {
                targets.add(i);
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("probe_eyeglasses_accuracy", (double) probeCorrect / (n - half));
        int steps = RECONSTRUCTION_STEPS[0];
        int gained = 0;
        double before = 0;
        double after = 0;
        double smileChange = 0;
        WhiteBoxClassifier oracle = zooBeside(modelDir, c).classifier(ctx, "oracle"); // owned by the context
        {
            int glasses = oracle.spec().classIndex("eyeglasses");
            int smiling = oracle.spec().classIndex("smiling");
            for (int from = 0; from < targets.size(); from += 100) {
                int to = Math.min(targets.size(), from + 100);
                int[] idx = targets.subList(from, to).stream().mapToInt(Integer::intValue).toArray();
                try (NDManager scope = ctx.newScope()) {
                    NDArray x = pool.batch(scope, idx);
                    NDArray code = ae.encode(x);
                    NDArray xT = ae.encodeNoise(x, code, steps);
                    // move each code to probe score +1 (the training label of "glasses"), at least one unit
                    float[][] moved = ImageTensors.rows(code);
                    for (float[] row : moved) {
                        double s = bias;
                        for (int k = 0; k < d; k++) {
                            s += w[k] * row[k];
                        }
                        double alpha = Math.max(1.0 / norm, (1 - s) / norm);
                        for (int k = 0; k < d; k++) {
                            row[k] += (float) (alpha * w[k] / norm);
                        }
                    }
                    NDArray edited = ae.decode(scope.create(moved), xT, steps);
                    NDArray reconstructed = ae.decode(code, xT, steps);
                    io.vcex.core.classifier.Scores sb = oracle.scores(to64(reconstructed));
                    io.vcex.core.classifier.Scores sa = oracle.scores(to64(edited));
                    for (int k = 0; k < idx.length; k++) {
                        float pBefore = sb.probability(k, glasses);
                        float pAfter = sa.probability(k, glasses);
                        before += pBefore;
                        after += pAfter;
                        gained += pAfter > 0.5f && pBefore <= 0.5f ? 1 : 0;
                        smileChange += Math.abs(sa.probability(k, smiling) - sb.probability(k, smiling));
                    }
                }
            }
        }
        int t = Math.max(1, targets.size());
        m.put("probe_move_faces", (double) targets.size());
        m.put("probe_move_oracle_eyeglasses_before", before / t);
        m.put("probe_move_oracle_eyeglasses_after", after / t);
        m.put("probe_move_gained_eyeglasses_rate", (double) gained / t);
        m.put("probe_move_mean_abs_change_smiling", smileChange / t);
        return m;
    }

    /**
     * Does z_sem hold the digit? A linear probe separates digits {@code from} and {@code to} in
     * z_sem (least squares on half of the first held-out test digits of each class); every
     * {@code from} digit of the other half is then moved along the probe's unit direction until
     * the probe says {@code to} with margin (at least one unit), and decoded with its own x_T
     * (DDIM, 20 steps). mnist-net judges the reconstruction and the edit; as a control, the same
     * digits are moved as far along a random unit direction.
     */
    private static Map<String, Double> digitProbe(VcexContext ctx, DiffusionConfig c, DiffusionAutoencoder ae, Path modelDir,
            int from, int to) {
        io.vcex.data.dataset.IdxDataset test = Mnist.test();
        int per = Math.min(PROBE_DIGITS, c.evalImages());
        List<Integer> a = new java.util.ArrayList<>();
        List<Integer> b = new java.util.ArrayList<>();
        for (int i = 0; i < test.size() && (a.size() < per || b.size() < per); i++) {
            int digit = Integer.parseInt(test.labels(i).get(io.vcex.data.dataset.IdxDataset.LABEL));
            if (digit == from && a.size() < per) {
                a.add(i);
            } else if (digit == to && b.size() < per) {
                b.add(i);
            }
        }
        int half = per / 2;
        List<Integer> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        ImagePool pool = ImagePool.of(test.subset(all.stream().mapToInt(Integer::intValue).toArray()), 0, all.size());
        float[][] z = new float[all.size()][];
        for (int s = 0; s < all.size(); s += 100) {
            int e = Math.min(all.size(), s + 100);
            try (NDManager scope = ctx.newScope()) {
                float[][] f = ImageTensors.rows(ae.encode(pool.batch(scope, FaceTensors.range(s, e))));
                System.arraycopy(f, 0, z, s, e - s);
            }
        }
        // rows 0..per-1 are `from` digits, per..2per-1 `to` digits; the first half of each fits the probe
        float[][] fitRows = new float[2 * half][];
        double[] y = new double[2 * half];
        for (int i = 0; i < half; i++) {
            fitRows[i] = z[i];
            y[i] = -1;
            fitRows[half + i] = z[per + i];
            y[half + i] = 1;
        }
        int d = c.codeDim();
        double[] w = LinearProbe.fit(fitRows, y, 1e-3);
        double norm = 0;
        for (int k = 0; k < d; k++) {
            norm += w[k] * w[k];
        }
        norm = Math.sqrt(norm);
        int correct = 0;
        for (int i = half; i < per; i++) {
            correct += score(w, z[i]) < 0 ? 1 : 0;
            correct += score(w, z[per + i]) > 0 ? 1 : 0;
        }
        String key = "probe_" + from + "to" + to + "_";
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(key + "accuracy", (double) correct / (2 * (per - half)));
        int[] moved = FaceTensors.range(half, per);
        Rng random = new Rng(c.seed()).derive("probe-random").derive(from * 10 + to);
        double[] u = new double[d];
        double un = 0;
        for (int k = 0; k < d; k++) {
            u[k] = random.nextGaussian();
            un += u[k] * u[k];
        }
        un = Math.sqrt(un);
        int before = 0;
        int after = 0;
        int sourceAfter = 0;
        int randomAfter = 0;
        double distance = 0;
        WhiteBoxClassifier judge = zooBeside(modelDir, c).classifier(ctx, MnistNetRecipe.NAME); // owned by the context
        int steps = RECONSTRUCTION_STEPS[0];
        for (int s = 0; s < moved.length; s += 100) {
            int[] idx = java.util.Arrays.copyOfRange(moved, s, Math.min(moved.length, s + 100));
            try (NDManager scope = ctx.newScope()) {
                NDArray x = pool.batch(scope, idx);
                NDArray code = ae.encode(x);
                NDArray xT = ae.encodeNoise(x, code, steps);
                float[][] edit = ImageTensors.rows(code);
                float[][] control = new float[idx.length][d];
                for (int r = 0; r < idx.length; r++) {
                    double alpha = Math.max(1.0 / norm, (1 - score(w, edit[r])) / norm);
                    distance += alpha;
                    for (int k = 0; k < d; k++) {
                        control[r][k] = (float) (edit[r][k] + alpha * u[k] / un);
                        edit[r][k] += (float) (alpha * w[k] / norm);
                    }
                }
                io.vcex.core.classifier.Scores pb = judge.scores(ae.decode(code, xT, steps));
                io.vcex.core.classifier.Scores pa = judge.scores(ae.decode(scope.create(edit), xT, steps));
                io.vcex.core.classifier.Scores pr = judge.scores(ae.decode(scope.create(control), xT, steps));
                for (int r = 0; r < idx.length; r++) {
                    before += pb.predicted(r) == to ? 1 : 0;
                    after += pa.predicted(r) == to ? 1 : 0;
                    sourceAfter += pa.predicted(r) == from ? 1 : 0;
                    randomAfter += pr.predicted(r) == to ? 1 : 0;
                }
            }
        }
        double n = Math.max(1, moved.length);
        m.put(key + "moved", (double) moved.length);
        m.put(key + "mean_move_length", distance / n);
        m.put(key + "target_rate_reconstruction", before / n);
        m.put(key + "target_rate_after_move", after / n);
        m.put(key + "source_rate_after_move", sourceAfter / n);
        m.put(key + "target_rate_after_random_move", randomAfter / n);
        return m;
    }

    /**
     * How much of a digit z_sem alone holds: each held-out digit's z_sem decoded (DDIM, 20 steps)
     * from a new random x_T; the share that mnist-net reads as the original's label.
     */
    private static double digitKeptByCode(VcexContext ctx, DiffusionConfig c, DiffusionAutoencoder ae, Path modelDir,
            ImagePool real) {
        io.vcex.data.dataset.IdxDataset test = Mnist.test();
        WhiteBoxClassifier judge = zooBeside(modelDir, c).classifier(ctx, MnistNetRecipe.NAME); // owned by the context
        Rng rng = new Rng(c.seed()).derive("random-xT");
        ImageSpec spec = spec(c);
        int kept = 0;
        for (int from = 0; from < real.size(); from += 100) {
            int to = Math.min(real.size(), from + 100);
            try (NDManager scope = ctx.newScope()) {
                NDArray z = ae.encode(real.batch(scope, FaceTensors.range(from, to)));
                NDArray xT = rng.derive(from).normal(scope, new Shape(to - from, spec.channels(), spec.height(), spec.width()));
                io.vcex.core.classifier.Scores s = judge.scores(ae.decode(z, xT, RECONSTRUCTION_STEPS[0]));
                for (int i = from; i < to; i++) {
                    kept += s.predicted(i - from) == Integer.parseInt(test.labels(i).get(io.vcex.data.dataset.IdxDataset.LABEL)) ? 1 : 0;
                }
            }
        }
        return (double) kept / real.size();
    }

    private static double score(double[] w, float[] z) {
        double s = w[z.length];
        for (int k = 0; k < z.length; k++) {
            s += w[k] * z[k];
        }
        return s;
    }

    /**
     * What a person looks at to judge a diffusion model: random samples, and pairs of held-out
     * images with their DDIM encode-then-decode reconstructions.
     *
     * @param samples random samples (pixel model: from noise; autoencoder: held-out z_sem with new
     *     random x_T, which shows what z_sem alone keeps)
     * @param originals held-out images
     * @param reconstructions their reconstructions (DDIM inversion then decoding; for the
     *     autoencoder with their own z_sem)
     */
    public record SampleSheet(List<io.vcex.core.image.ImageData> samples, List<io.vcex.core.image.ImageData> originals,
            List<io.vcex.core.image.ImageData> reconstructions) {
    }

    /**
     * @param ctx scopes, seed and progress
     * @param c the model's config
     * @param modelDir the model folder
     * @param count images of each kind
     * @param steps DDIM steps
     * @return the sheet, every image at 64x64 (bilinear) for viewing
     */
    public SampleSheet sampleSheet(VcexContext ctx, DiffusionConfig c, Path modelDir, int count, int steps) {
        Object model = load(ctx, c, modelDir);
        NetDenoiser denoiser = model instanceof DiffusionAutoencoder ae ? (NetDenoiser) ae.denoiser() : (NetDenoiser) model;
        DdimSampler sampler = new DdimSampler(denoiser.schedule().respace(steps), 0);
        ImagePool real = images(ctx, c, true, count);
        ImageSpec spec = spec(c);
        try (NDManager scope = ctx.newScope()) {
            NDArray x = real.batch(scope, FaceTensors.range(0, count));
            NDArray noise = ctx.rng("samples").normal(scope, new Shape(count, spec.channels(), spec.height(), spec.width()));
            NDArray samples;
            NDArray reconstructions;
            if (model instanceof DiffusionAutoencoder ae) {
                NDArray z = ae.encode(x);
                samples = ae.decode(z, noise, steps);
                reconstructions = ae.decode(z, ae.encodeNoise(x, z, steps), steps);
            } else {
                samples = ReverseProcess.run(denoiser, new DdimSampler(sampler.schedule(), 0, true), noise, steps - 1, null,
                        ctx.rng("samples-steps"))
                        .clip(-1f, 1f).add(1f).div(2f);
                NDArray xT = ReverseProcess.encode(denoiser, sampler, x.mul(2f).sub(1f), null);
                reconstructions = ReverseProcess.run(denoiser, sampler, xT, steps - 1, null, ctx.rng("samples-steps"))
                        .clip(-1f, 1f).add(1f).div(2f);
            }
            return new SampleSheet(view(samples), view(x), view(reconstructions));
        } finally {
            close(model);
        }
    }

    private static List<io.vcex.core.image.ImageData> view(NDArray x) {
        return ImageTensors.fromBatch(to64(x).clip(0f, 1f), io.vcex.core.image.ValueRange.UNIT);
    }
}
