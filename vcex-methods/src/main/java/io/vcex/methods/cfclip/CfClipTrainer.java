package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.vcex.core.VcexException;
import io.vcex.core.config.Json;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.files.AtomicFiles;
import io.vcex.core.generator.StyleGenerator;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.optim.AdamW;
import io.vcex.core.provenance.Hashing;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.provenance.Provenance;
import io.vcex.core.text.TextImageEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a CF-CLIP mapper for one target text (Yu et al. 2022, Fig. 2 and sec. 4). Each step:
 * <ol>
 * <li>draws {@code batch} codes w from the latent pool and renders I_src = G(w);</li>
 * <li>w' = w + s M(w, e^t) through the mapper ({@link TemMapper}, or {@link PlainMapper} without
 * TEM), I_edit = G(w');</li>
 * <li>I_aug = aug(I_edit), {@code views} random perspective views (eq. 3);</li>
 * <li>L = lambda_NCE L_clip + lambda_L2 mean (w' - w)^2 + lambda_ID (1 - cos(R(I_edit), R(I_src)))
 * + lambda_perc perc(I_edit, I_src) (eq. 11-13), where L_clip is CLIP-NCE (eq. 7) or a baseline
 * (eq. 1, 2) and R is the feature network's identity embedding;</li>
 * <li>one Adam step (AdamW without weight decay) on the mapper's weights (the generator and the encoders stay fixed).</li>
 * </ol>
 * The batch and the views of step s depend only on the seed and s, and checkpoints hold the
 * weights, Adam's moments and the loss history, so an interrupted run resumes exactly where it
 * stopped (and a run may be extended to more steps). A checkpoint of another text, configuration,
 * latent pool, seed or model is never resumed: that is an error naming the folder.
 *
 * <p>The perceptual term uses the feature network's differentiable perceptual distance, the same
 * function as vcex-metrics' {@code lpips} metric; the paper's is the l1 distance of VGG-19 relu5_2
 * features.
 */
public final class CfClipTrainer {
    private static final String STATE = "state.json";
    private static final int MAX_CONSECUTIVE_SKIPS = 10;

    private final StyleGenerator generator;
    private final TextImageEncoder clip;
    private final ImageFeatures features;
    private final CfClipConfig config;
    private final ClipLoss clipLoss;
    private final PerspectiveAugmentation augmentation;

    /**
     * What identifies a training run (its provenance config, and with the models and the seed its
     * checkpoint key).
     *
     * @param targetText t_tgt
     * @param config the settings
     * @param latents how the latent pool was made
     * @param latentsSha256 the pool's values' hash
     */
    public record Spec(String targetText, CfClipConfig config, String latents, String latentsSha256) {
    }

    /** What a checkpoint's JSON holds. */
    record State(int step, double seconds, int skipped, Map<String, Double> averages, List<TrainingReport.Point> history,
            String key) {
    }

    /**
     * @param generator the style generator G (fixed)
     * @param clip the text-image encoder, E_I and E_T (fixed)
     * @param features the feature network for the identity and perceptual terms; may be null when
     *     both weights are 0
     * @param config settings
     */
    public CfClipTrainer(StyleGenerator generator, TextImageEncoder clip, ImageFeatures features, CfClipConfig config) {
        this.generator = generator;
        this.clip = clip;
        this.features = features;
        this.config = config;
        if (clip.imageSpec().channels() != generator.imageSpec().channels()) {
            throw new VcexException("The text-image encoder '" + clip.info().name() + "' reads " + clip.imageSpec()
                    + " images but the generator '" + generator.info().name() + "' makes " + generator.imageSpec());
        }
        if (features == null && config.idWeight() > 0) {
            throw new VcexException("The identity loss (idWeight " + config.idWeight() + ", the paper's setting for faces) needs a "
                    + "feature network; give one, or set idWeight to 0");
        }
        if (features == null && config.perceptualWeight() > 0) {
            throw new VcexException("The perceptual loss (perceptualWeight " + config.perceptualWeight() + ") needs a feature "
                    + "network; give one, or set perceptualWeight to 0");
        }
        if (features != null && features.imageSpec().channels() != generator.imageSpec().channels()) {
            throw new VcexException("The feature network '" + features.info().name() + "' reads " + features.imageSpec()
                    + " images but the generator makes " + generator.imageSpec());
        }
        this.clipLoss = ClipLoss.of(config.loss(), config.temperature());
        this.augmentation = new PerspectiveAugmentation(config.views(), config.distortion());
    }

    /** @return the settings */
    public CfClipConfig config() {
        return config;
    }

    /**
     * @param ctx scopes, seed (stream "cfclip") and progress
     * @param targetText t_tgt, over the encoder's vocabulary
     * @param pool the latent codes to train on
     * @param checkpointDir where checkpoints go (created; reused to resume), or null for none
     * @return the trained mapper, with its card (report and provenance); close it when done
     */
    public CfClipMapper train(VcexContext ctx, String targetText, LatentPool pool, Path checkpointDir) {
        if (pool.numWs() != generator.numWs() || pool.wDim() != generator.wDim()) {
            throw new VcexException("The latent pool holds " + pool.numWs() + " x " + pool.wDim() + " codes but the generator '"
                    + generator.info().name() + "' uses " + generator.numWs() + " x " + generator.wDim());
        }
        PromptEmbeddings prompts;
        try (NDManager scope = ctx.newScope()) {
            prompts = PromptEmbeddings.embed(scope, clip, targetText, config.sourceText(), config.templates());
        }
        Spec spec = new Spec(prompts.targetText(), config, pool.origin(), pool.sha256());
        List<ModelInfo> models = new ArrayList<>(List.of(generator.info(), clip.info()));
        if (features != null && (config.idWeight() > 0 || config.perceptualWeight() > 0)) {
            models.add(features.info());
        }
        String key = Hashing.sha256(Json.write(List.of(new Spec(spec.targetText(), config.withoutLength(), spec.latents(),
                spec.latentsSha256()), models, ctx.seed())).getBytes(StandardCharsets.UTF_8));
        Rng rng = ctx.rng("cfclip");
        MapperArchitecture arch = MapperArchitecture.of(config, generator.numWs(), generator.wDim(), clip.embeddingDim());
        CfClipMapper mapper = CfClipMapper.create(ctx.manager(), arch, prompts.targetText(), prompts.targetRaw(),
                rng.derive("init"));
        try {
            TrainingReport report = loop(ctx, mapper, prompts, pool, checkpointDir, key, rng);
            mapper.setCard(new CfClipMapper.Card(CfClipMapper.FORMAT, arch, prompts.targetText(), prompts.targetRaw(),
                    mapper.params().names(), mapper.parameterCount(), null, generator.info(), clip.info(), report,
                    Provenance.ofModels("cfclip.train", spec, ctx.seed(), models)));
            return mapper;
        } catch (RuntimeException e) {
            mapper.close();
            throw e;
        }
    }

    private TrainingReport loop(VcexContext ctx, CfClipMapper mapper, PromptEmbeddings prompts, LatentPool pool, Path dir,
            String key, Rng rng) {
        List<NDArray> params = mapper.parameters();
        try (AdamW adam = new AdamW(ctx.manager(), params, 0.9, 0.999, 1e-8)) {
            int start = 0;
            double seconds = 0;
            int skipped = 0;
            Map<String, Double> avg = new LinkedHashMap<>();
            List<TrainingReport.Point> history = new ArrayList<>();
            State saved = dir == null ? null : readState(dir);
            if (saved != null) {
                if (!saved.key().equals(key)) {
                    throw new VcexException("The checkpoint in " + dir + " is of another training run (a different text, "
                            + "configuration, latent pool, seed or model); choose another output folder or delete it");
                }
                if (saved.step() > config.steps()) {
                    throw new VcexException("The checkpoint in " + dir + " is at step " + saved.step() + ", beyond the "
                            + config.steps() + " steps asked for; ask for at least " + saved.step());
                }
                mapper.params().decode(read(dir.resolve("params.ndlist")), dir.resolve("params.ndlist").toString());
                try (NDManager m = ctx.newScope()) {
                    adam.restore(NDList.decode(m, read(dir.resolve("adam.ndlist"))));
                }
                start = saved.step();
                seconds = saved.seconds();
                skipped = saved.skipped();
                avg.putAll(saved.averages());
                history.addAll(saved.history());
            }
            int recordEvery = Math.max(1, config.steps() / 200);
            int consecutive = 0;
            long sessionStart = System.nanoTime();
            long lastSave = sessionStart;
            String label = String.format(Locale.ROOT, "CF-CLIP '%s' (%s, %s)", prompts.targetText(), config.loss(),
                    config.tem() ? "TEM" : "no TEM");
            try (Progress.Task task = ctx.progress().start(label, config.steps())) {
                task.step(start);
                for (int s = start; s < config.steps(); s++) {
                    double[] terms;
                    try (NDManager scope = ctx.newScope()) {
                        terms = step(ctx, scope, mapper, params, prompts, pool, s, rng);
                        boolean finite = Double.isFinite(terms[0]) && finiteGradients(scope, params);
                        if (finite) {
                            adam.update(scope, params, config.learningRate(), 0);
                            consecutive = 0;
                        } else {
                            skipped++;
                            if (++consecutive > MAX_CONSECUTIVE_SKIPS) {
                                throw new VcexException(label + ": the loss or its gradients were not finite at " + consecutive
                                        + " steps in a row (the last " + s + "); lower the learning rate");
                            }
                        }
                    }
                    if (Double.isFinite(terms[0])) {
                        String[] names = {"total", "clip", "latent", "id", "perceptual"};
                        for (int k = 0; k < names.length; k++) {
                            double value = terms[k];
                            avg.merge(names[k], value, (a, b) -> 0.98 * a + 0.02 * b);
                        }
                        if ((s + 1) % recordEvery == 0 || s + 1 == config.steps() || s == 0) {
                            history.add(new TrainingReport.Point(s + 1, terms[0], terms[1], terms[2], terms[3], terms[4]));
                        }
                    }
                    task.step();
                    task.status(String.format(Locale.ROOT, "loss %.4f (%s %.4f, latent %.2g%s)", avg.getOrDefault("total", 0.0),
                            config.loss(), avg.getOrDefault("clip", 0.0), avg.getOrDefault("latent", 0.0),
                            config.idWeight() > 0 ? String.format(Locale.ROOT, ", id %.3f", avg.getOrDefault("id", 0.0)) : ""));
                    long now = System.nanoTime();
                    boolean last = s + 1 == config.steps();
                    if (dir != null && (last || (s + 1) % config.checkpointEvery() == 0 || now - lastSave > 60_000_000_000L)) {
                        double total = seconds + (now - sessionStart) / 1e9;
                        save(ctx, dir, mapper, adam, new State(s + 1, total, skipped, avg, history, key));
                        lastSave = now;
                    }
                }
            }
            double total = seconds + (System.nanoTime() - sessionStart) / 1e9;
            return new TrainingReport(config.steps(), start, total, skipped, avg, history);
        }
    }

    /**
     * One forward and backward pass.
     *
     * @return the weighted total, then the unweighted clip, latent, id and perceptual terms
     */
    private double[] step(VcexContext ctx, NDManager scope, CfClipMapper mapper, List<NDArray> params, PromptEmbeddings prompts,
            LatentPool pool, int s, Rng rng) {
        int[] rows = new int[config.batch()];
        Rng pick = rng.derive("batch").derive(s);
        for (int i = 0; i < rows.length; i++) {
            rows[i] = pick.nextInt(pool.size());
        }
        NDArray w = pool.batch(scope, rows);
        // the unedited side is constant: I_src = G(w), E_I(I_src), R(I_src)
        NDArray source = render(w);
        NDArray sourceEmbedding = clip.embedImage(resize(source, clip.imageSpec()));
        boolean id = config.idWeight() > 0;
        boolean perceptual = config.perceptualWeight() > 0;
        NDArray sourceForFeatures = id || perceptual ? resize(source, features.imageSpec()) : null;
        NDArray sourceIdentity = id ? features.identity(sourceForFeatures) : null;
        AdamW.zeroGradients(scope, params);
        double[] terms = new double[5];
        try (GradientCollector gc = ctx.manager().getEngine().newGradientCollector()) {
            NDArray edited = mapper.edit(w); // w' (eq. 10)
            NDArray image = render(edited); // I_edit = G(w')
            NDArray views = augmentation.apply(image, rng.derive("augment").derive(s)); // eq. 3
            NDArray lClip = clipLoss.loss(clip.embedImage(resize(views, clip.imageSpec())), sourceEmbedding, prompts);
            NDArray lLatent = edited.sub(w).square().mean(); // L_L2
            NDArray total = lClip.mul(config.clipWeight().floatValue()).add(lLatent.mul(config.latentWeight().floatValue()));
            terms[1] = lClip.getFloat();
            terms[2] = lLatent.getFloat();
            if (id || perceptual) {
                NDArray forFeatures = resize(image, features.imageSpec());
                if (id) {
                    // eq. 11: 1 - cos(R(I_edit), R(I_src)); identity embeddings are unit length
                    NDArray lId = features.identity(forFeatures).mul(sourceIdentity).sum(new int[] {1}).neg().add(1f).mean();
                    total = total.add(lId.mul(config.idWeight().floatValue()));
                    terms[3] = lId.getFloat();
                }
                if (perceptual) {
                    NDArray lPerc = features.perceptualDistance(forFeatures, sourceForFeatures).mean(); // eq. 12
                    total = total.add(lPerc.mul(config.perceptualWeight().floatValue()));
                    terms[4] = lPerc.getFloat();
                }
            }
            terms[0] = total.getFloat();
            if (Double.isFinite(terms[0])) {
                gc.backward(total);
            }
        }
        return terms;
    }

    private NDArray render(NDArray wPlus) {
        return generator.synthesize(generator.styles(wPlus));
    }

    private static NDArray resize(NDArray images, ImageSpec spec) {
        return BilinearSampler.resize(images, spec.height(), spec.width());
    }

    private static State readState(Path dir) {
        Path f = dir.resolve(STATE);
        return Files.isRegularFile(f) ? Json.read(f, State.class) : null;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new VcexException("Cannot read checkpoint file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param scope the step's scope
     * @param params the parameters
     * @return whether every gradient is finite (no update is made otherwise)
     */
    private static boolean finiteGradients(NDManager scope, List<NDArray> params) {
        NDArray total = null;
        for (NDArray p : params) {
            NDArray g = p.getGradient();
            g.attach(scope);
            NDArray sum = g.abs().sum();
            total = total == null ? sum : total.add(sum);
        }
        return total == null || Float.isFinite(total.getFloat()); // one read-back instead of one per array
    }

    private static void save(VcexContext ctx, Path dir, CfClipMapper mapper, AdamW adam, State state) {
        AtomicFiles.replaceDirectory(dir, STATE, tmp -> {
            Files.write(tmp.resolve("params.ndlist"), mapper.params().encode());
            try (NDManager m = ctx.newScope()) {
                Files.write(tmp.resolve("adam.ndlist"), adam.state(m).encode());
            }
            Json.write(tmp.resolve(STATE), state);
        });
    }
}
