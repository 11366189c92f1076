package io.vcex.zoo.recipes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.config.Json;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.provenance.Hashing;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.provenance.Versions;
import io.vcex.core.image.ImageTensors;
import io.vcex.data.world.Captioner;
import io.vcex.data.world.FacesWorld;
import io.vcex.data.world.HairColor;
import io.vcex.data.world.LipstickColor;
import io.vcex.zoo.card.ModelCard;
import io.vcex.zoo.data.FaceTensors;
import io.vcex.zoo.models.MiniClip;
import io.vcex.zoo.nn.MiniClipBlock;
import io.vcex.zoo.nn.Net;
import io.vcex.zoo.text.CaptionTokenizer;
import io.vcex.zoo.train.TrainLoop;
import io.vcex.zoo.train.TrainSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * MiniCLIP (zoo name {@code miniclip}): a small CLIP (Radford et al. 2021, "Learning
 * Transferable Visual Models From Natural Language Supervision") trained from scratch in Java on
 * faces of the full world and their captions, for text-driven counterfactuals and text-based
 * metrics. See {@link MiniClipBlock} for the network and {@link MiniClip#contrastiveLoss} for
 * the loss.
 *
 * <p>Data: the training faces are rendered once; faces showing a held-out composition (by
 * default green hair with a hat, purple lipstick with a beard) are dropped, so those pairs are
 * never seen together while each part is. Every step draws a batch of distinct faces and
 * captions them afresh with a captioner that names absent attributes more often than the data
 * sets' (negation 0.3 instead of 0.15); both draws come from streams derived from (seed, step),
 * so an interrupted run resumes exactly. The faces of a batch are distinct (a face twice in one
 * batch would be its own false negative). As in every zoo recipe, {@link io.vcex.zoo.train.TrainLoop}'s
 * AdamW decays every parameter, biases and the temperature included (CLIP exempts them); with
 * decay 1e-4 and learning rate 1e-3 the pull is a factor 1 - 1e-7 a step, negligible here.
 *
 * <p>Figures, on {@code testCount} faces of the same world with seed + 1000:
 * <ul>
 *   <li>{@code zero_shot_accuracy[A]} for every binary attribute A: the face is predicted to have
 *       A when its mean cosine similarity with the prompts saying A is present (see
 *       {@link #zeroShotPrompts()}) exceeds that with the prompts saying it is absent. Where
 *       "present" is a union of distinct classes (lipstick: one class per colour), each class's
 *       prompts are averaged and the best class counts, as CLIP classifies among classes: the
 *       binary answer is a 7-way zero-shot classification (no lipstick or one of six colours)
 *       collapsed to present/absent. Averaging over different colours instead would score a
 *       red-lipstick face against five wrong colours. Also
 *       {@code zero_shot_balanced_accuracy[A]} (mean of the accuracies on faces with and without
 *       A, since the always-absent guess already scores 1 - p(A)) and {@code zero_shot_mean};</li>
 *   <li>{@code zero_shot_accuracy[hair_color]} (9-way; also on counterfactual colours alone) and
 *       {@code zero_shot_accuracy[lipstick_color]} (6-way, faces wearing lipstick only);</li>
 *   <li>image-text retrieval with one fresh caption per face, within consecutive blocks of 100
 *       faces (a fixed task size; recall falls as the pool grows), text to image and image to
 *       text, recall at 1 and 5: {@code recall@1_text_to_image_of100} and so on (blocks are
 *       smaller only when there are fewer test faces, and then the name says so; faces after the
 *       last full block are left out);</li>
 *   <li>for each held-out and each seen composition, the share of the 5 test faces whose images
 *       are closest to its prompt that have both parts: {@code precision@5_held_out[...]} and
 *       {@code precision@5_seen[...]}, with {@code positives_...[...]}, the number of test faces
 *       that have both (when under 5, precision@5 cannot reach 1).</li>
 * </ul>
 */
public final class MiniClipRecipe implements Recipe<MiniClipConfig, MiniClip> {
    /** The zoo name. */
    public static final String NAME = "miniclip";
    /** Faces per retrieval block. */
    static final int RETRIEVAL_BLOCK = 100;
    private static final List<String> SUBJECTS = List.of("a face", "a photo of a person", "a picture of a cartoon face");

    private final MiniClipConfig defaults;

    private MiniClipRecipe(MiniClipConfig defaults) {
        this.defaults = defaults;
    }

    /** @return the recipe of the shipped MiniCLIP */
    public static MiniClipRecipe standard() {
        return new MiniClipRecipe(MiniClipConfig.defaults());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "text-image encoder: small CLIP trained contrastively on full-world faces and captions";
    }

    @Override
    public Class<MiniClipConfig> configType() {
        return MiniClipConfig.class;
    }

    @Override
    public MiniClipConfig defaults() {
        return defaults;
    }

    @Override
    public MiniClipConfig tiny() {
        MiniClipConfig d = defaults;
        return new MiniClipConfig(d.seed(), d.world(), 64, 24, 4, 16, 16, 16, d.maxTokens(), d.vocabulary(),
                d.mention(), d.negation(), d.heldOut(), d.seenCompositions(), new TrainSettings(6, 8, 1e-3, 1e-4, 0.2, 3));
    }

    /**
     * The prompts of zero-shot classification, as present / absent pairs. Phrase attributes are
     * put after three subjects ("a face", "a photo of a person", "a picture of a cartoon face").
     * The captioner never says "with lipstick" without a colour, so the lipstick side has one kind
     * of presence per colour C ("wearing C lipstick"); within a kind, the mean cosine over the
     * subjects is CLIP's prompt ensembling, and the best kind counts.
     *
     * @return binary attribute to its prompts
     */
    public static Map<String, PromptPair> zeroShotPrompts() {
        Map<String, PromptPair> m = new LinkedHashMap<>();
        m.put("smiling", new PromptPair(List.of(List.of("a smiling face", "a photo of a happy person",
                "a picture of a grinning cartoon face")), List.of("a serious face", "a photo of a neutral person",
                "a picture of a serious cartoon face")));
        m.put("eyeglasses", phrases(List.of("with glasses", "wearing glasses"), List.of("without glasses", "with no glasses")));
        m.put("mustache", phrases(List.of("with a mustache", "with a moustache"), List.of("without a mustache")));
        m.put("beard", phrases(List.of("with a beard", "with a full beard"), List.of("without a beard", "clean-shaven")));
        m.put("old", new PromptPair(List.of(List.of("an old face", "a photo of an elderly person",
                "a picture of an old cartoon face")),
                List.of("a young face", "a photo of a young person", "a picture of a young cartoon face")));
        m.put("hat", phrases(List.of("wearing a hat", "with a hat"), List.of("without a hat", "with no hat")));
        m.put("bangs", phrases(List.of("with bangs", "with a fringe"), List.of("without bangs")));
        List<List<String>> colours = new ArrayList<>();
        for (LipstickColor c : LipstickColor.values()) {
            colours.add(withSubjects(List.of("wearing " + c.word() + " lipstick")));
        }
        m.put("lipstick", new PromptPair(colours, withSubjects(List.of("without lipstick", "with no lipstick"))));
        return m;
    }

    /**
     * @return hair colour word to its prompts, in {@link HairColor} order
     */
    public static Map<String, List<String>> hairColorPrompts() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (HairColor c : HairColor.values()) {
            m.put(c.word(), withSubjects(List.of("with " + c.word() + " hair")));
        }
        return m;
    }

    /**
     * @return lipstick colour word to its prompts, in {@link LipstickColor} order
     */
    public static Map<String, List<String>> lipstickColorPrompts() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (LipstickColor c : LipstickColor.values()) {
            m.put(c.word(), withSubjects(List.of("wearing " + c.word() + " lipstick", "with " + c.word() + " lips")));
        }
        return m;
    }

    private static PromptPair phrases(List<String> present, List<String> absent) {
        return new PromptPair(List.of(withSubjects(present)), withSubjects(absent));
    }

    private static List<String> withSubjects(List<String> phrases) {
        List<String> out = new ArrayList<>();
        for (String s : SUBJECTS) {
            for (String p : phrases) {
                out.add(s + " " + p);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Prompts saying an attribute is present, and absent.
     *
     * @param present prompts for "has it": one list of templates per kind of presence (one kind for
     *     most attributes; one per colour for lipstick); a face's "present" score is its best kind's
     *     mean cosine
     * @param absent prompts for "has it not"
     */
    public record PromptPair(List<List<String>> present, List<String> absent) {

        /** @return every "present" prompt */
        public List<String> presentPrompts() {
            return present.stream().flatMap(List::stream).toList();
        }
    }

    /**
     * @param ctx the context whose root scope owns the weights
     * @param c the config
     * @return the network, freshly initialised from the config's seed
     */
    static Net network(VcexContext ctx, MiniClipConfig c) {
        return new Net(new MiniClipBlock(c.width(), c.vocabulary().size(), c.tokenDim(), c.textChannels(), c.embeddingDim()),
                ctx.manager(), new Rng(c.seed()).derive("init"), new Shape(1, 3, 64, 64), new Shape(1, c.maxTokens()));
    }

    /**
     * @param c the config
     * @param net an initialised or trained network of this config
     * @param info name and hashes
     * @return the network as a text-image encoder
     */
    static MiniClip wrap(MiniClipConfig c, Net net, ModelInfo info) {
        return new MiniClip(net, c.tokenizer(), c.embeddingDim(), info);
    }

    /**
     * @param ctx the context whose root scope owns the weights
     * @param c a config
     * @return an untrained MiniCLIP of that config (weights from its seed), frozen; for tests and
     *     for checking a pipeline before training
     */
    public MiniClip untrained(VcexContext ctx, MiniClipConfig c) {
        return wrap(c, network(ctx, c).freeze(), ModelInfo.inMemory(NAME + "-untrained"));
    }

    /** The batch of a step: images, their captions' word ids. */
    private record Batch(NDArray images, NDArray ids) {
    }

    @Override
    public ModelCard train(VcexContext ctx, MiniClipConfig c, Path modelDir, Path workDir) {
        FaceTensors data = FaceTensors.render(new FacesWorld(c.world(), c.seed()), 0, c.trainCount(), ctx.progress());
        int[] allowed = data.where(a -> c.heldOut().stream().noneMatch(k -> k.holds(a)));
        if (allowed.length < c.train().batch()) {
            throw new io.vcex.core.config.ConfigException("trainCount", c.trainCount(), "leaves " + allowed.length
                    + " faces after the held-out compositions are dropped, fewer than a batch (" + c.train().batch() + ")");
        }
        Captioner captioner = new Captioner(c.mention(), c.negation());
        CaptionTokenizer tokenizer = c.tokenizer();
        Rng batches = new Rng(c.seed()).derive("batch");
        Rng captions = new Rng(c.seed()).derive("caption");
        try (Net net = network(ctx, c)) {
            TrainLoop.Outcome out = TrainLoop.run(ctx, "training " + NAME, net, c.train(), workDir.resolve("checkpoint"),
                    Recipes.configHash(c), new TrainLoop.Objective<Batch>() {
                        @Override
                        public Batch batch(NDManager scope, int step) {
                            int[] idx = distinct(batches.derive(step), allowed, c.train().batch());
                            Rng r = captions.derive(step);
                            List<String> texts = new ArrayList<>(idx.length);
                            for (int b = 0; b < idx.length; b++) {
                                texts.add(captioner.caption(data.attributes(idx[b]), r.derive(b)));
                            }
                            return new Batch(data.batch(scope, idx), MiniClip.wordIds(scope, tokenizer.encode(texts)));
                        }

                        @Override
                        public NDArray loss(NDManager scope, int step, Batch b) {
                            NDList o = net.forward(true, b.images(), b.ids());
                            return MiniClip.contrastiveLoss(o.get(0), o.get(1), o.get(2));
                        }
                    });
            long params = net.parameterCount();
            int dropped = c.trainCount() - allowed.length;
            ModelCard card = Recipes.writeModel(net, modelDir, (sha, bytes) -> new ModelCard(NAME, "text-image-encoder",
                    description(c, dropped), architecture(c), params, Json.tree(c), out.seconds(), Recipes.machine(),
                    Map.of(), Recipes.WEIGHTS, sha, bytes,
                    params + " float32 values: the faces world's closed vocabulary and drawn faces need only a small "
                            + "encoder on each side; its zero-shot and retrieval figures are in the metrics",
                    Versions.vcex(), Versions.djl()));
            ModelCard measured = card.withMetrics(evaluate(ctx, c, modelDir));
            Recipes.writeCard(modelDir, measured);
            return measured;
        }
    }

    /** @return k distinct entries of pool, drawn uniformly from rng */
    static int[] distinct(Rng rng, int[] pool, int k) {
        Set<Integer> seen = new HashSet<>();
        int[] out = new int[k];
        for (int n = 0; n < k;) {
            int i = rng.nextInt(pool.length);
            if (seen.add(i)) {
                out[n++] = pool[i];
            }
        }
        return out;
    }

    private static String architecture(MiniClipConfig c) {
        return "image: conv backbone w=" + c.width() + " (5 conv-BN-ReLU layers, strides 2,2,1,2,2; channels w,2w,2w,4w,4w),"
                + " global average pool, linear to " + c.embeddingDim() + "; text: one-hot words (" + c.vocabulary().size()
                + " ids, at most " + c.maxTokens() + " words) times a linear map to " + c.tokenDim() + ", two Conv1d (kernel 3, "
                + c.textChannels() + " channels, ReLU), max-pool over words (padding masked), linear to " + c.embeddingDim()
                + "; learnable logit scale exp(min(t, log 100)), t from log(1/0.07); input 3x64x64 in [0, 1]";
    }

    private static String description(MiniClipConfig c, int dropped) {
        List<String> held = c.heldOut().stream().map(MiniClipConfig.Composition::label).toList();
        return "A small CLIP trained from scratch in Java with the symmetric InfoNCE loss on " + (c.trainCount() - dropped)
                + " rendered faces of the full world (counterfactual hair and lipstick colours included) and captions made "
                + "afresh every step (mention " + c.mention() + ", negation " + c.negation() + "). Faces with the held-out "
                + "compositions " + held + " were dropped from training (" + dropped + " faces), so those pairs were never "
                + "seen together. It knows only the " + (c.vocabulary().size() - 1) + " words of faces-world captions "
                + "(listed in the recipe) and 64x64 drawn faces; it is not a general-purpose CLIP. Test figures use "
                + c.testCount() + " faces of the same world (seed " + (c.seed() + 1000) + ").";
    }

    @Override
    public MiniClip load(VcexContext ctx, MiniClipConfig c, Path modelDir) {
        Net net = network(ctx, c);
        net.loadForInference(modelDir.resolve(Recipes.WEIGHTS));
        ModelInfo info = new ModelInfo(NAME, Map.of(Recipes.WEIGHTS, Hashing.sha256(modelDir.resolve(Recipes.WEIGHTS))));
        return wrap(c, net, info);
    }

    @Override
    public Map<String, Double> evaluate(VcexContext ctx, MiniClipConfig c, Path modelDir) {
        FaceTensors test = FaceTensors.render(new FacesWorld(c.world(), c.seed() + 1000), 0, c.testCount(), ctx.progress());
        try (MiniClip model = load(ctx, c, modelDir)) {
            return measure(ctx, c, model, test);
        }
    }

    /**
     * @param ctx scopes and progress
     * @param c the config (captioner, compositions)
     * @param model the model
     * @param test the test faces
     * @return the figures described in the class comment
     */
    static Map<String, Double> measure(VcexContext ctx, MiniClipConfig c, MiniClip model, FaceTensors test) {
        Map<String, Double> m = new LinkedHashMap<>();
        int n = test.size();
        float[][] images = imageUnits(ctx, model, test);
        // every prompt is embedded once, in batches (few engine calls: each has a fixed cost)
        Set<String> prompts = new LinkedHashSet<>();
        zeroShotPrompts().values().forEach(p -> {
            prompts.addAll(p.presentPrompts());
            prompts.addAll(p.absent());
        });
        hairColorPrompts().values().forEach(prompts::addAll);
        lipstickColorPrompts().values().forEach(prompts::addAll);
        c.heldOut().forEach(k -> prompts.add(k.prompt()));
        c.seenCompositions().forEach(k -> prompts.add(k.prompt()));
        List<String> promptList = new ArrayList<>(prompts);
        float[][] promptUnits = textUnits(ctx, model, promptList);
        Map<String, float[]> byPrompt = new HashMap<>();
        for (int i = 0; i < promptList.size(); i++) {
            byPrompt.put(promptList.get(i), promptUnits[i]);
        }
        Function<List<String>, float[][]> text = t -> t.stream().map(byPrompt::get).toArray(float[][]::new);

        double sum = 0;
        for (Map.Entry<String, PromptPair> e : zeroShotPrompts().entrySet()) {
            String attribute = e.getKey();
            float[] yes = null;
            for (List<String> kind : e.getValue().present()) {
                float[] k = meanCosines(images, text.apply(kind));
                if (yes == null) {
                    yes = k;
                } else {
                    for (int i = 0; i < k.length; i++) {
                        yes[i] = Math.max(yes[i], k[i]);
                    }
                }
            }
            float[] no = meanCosines(images, text.apply(e.getValue().absent()));
            int ok = 0;
            int pos = 0;
            int truePos = 0;
            int trueNeg = 0;
            for (int i = 0; i < n; i++) {
                boolean truth = test.attributes(i).flag(attribute);
                boolean said = yes[i] > no[i];
                ok += said == truth ? 1 : 0;
                pos += truth ? 1 : 0;
                truePos += truth && said ? 1 : 0;
                trueNeg += !truth && !said ? 1 : 0;
            }
            double acc = (double) ok / n;
            m.put("zero_shot_accuracy[" + attribute + "]", acc);
            if (pos > 0 && pos < n) {
                m.put("zero_shot_balanced_accuracy[" + attribute + "]",
                        0.5 * ((double) truePos / pos + (double) trueNeg / (n - pos)));
            }
            sum += acc;
        }
        m.put("zero_shot_mean", sum / zeroShotPrompts().size());

        int[] hair = classify(images, hairColorPrompts(), text);
        List<String> hairWords = new ArrayList<>(hairColorPrompts().keySet());
        int hairOk = 0;
        int cfOk = 0;
        int cf = 0;
        for (int i = 0; i < n; i++) {
            HairColor truth = test.attributes(i).hairColor();
            boolean right = hairWords.get(hair[i]).equals(truth.word());
            hairOk += right ? 1 : 0;
            if (!truth.inPrior()) {
                cf++;
                cfOk += right ? 1 : 0;
            }
        }
        m.put("zero_shot_accuracy[hair_color]", (double) hairOk / n);
        if (cf > 0) {
            m.put("zero_shot_accuracy[hair_color,counterfactual]", (double) cfOk / cf);
        }
        int[] lipFaces = test.where(a -> a.lipstick() != null);
        if (lipFaces.length > 0) {
            float[][] lipImages = new float[lipFaces.length][];
            for (int k = 0; k < lipFaces.length; k++) {
                lipImages[k] = images[lipFaces[k]];
            }
            int[] lip = classify(lipImages, lipstickColorPrompts(), text);
            List<String> lipWords = new ArrayList<>(lipstickColorPrompts().keySet());
            int lipOk = 0;
            for (int k = 0; k < lipFaces.length; k++) {
                lipOk += lipWords.get(lip[k]).equals(test.attributes(lipFaces[k]).lipstick().word()) ? 1 : 0;
            }
            m.put("zero_shot_accuracy[lipstick_color]", (double) lipOk / lipFaces.length);
        }
        m.put("lipstick_faces", (double) lipFaces.length);

        retrieval(m, c, test, images, t -> textUnits(ctx, model, t));

        for (MiniClipConfig.Composition k : c.heldOut()) {
            composition(m, "held_out", k, test, images, text);
        }
        for (MiniClipConfig.Composition k : c.seenCompositions()) {
            composition(m, "seen", k, test, images, text);
        }
        m.put("test_count", (double) n);
        return m;
    }

    /** Recall at 1 and 5 both ways, within consecutive blocks of faces, one caption per face. */
    private static void retrieval(Map<String, Double> m, MiniClipConfig c, FaceTensors test, float[][] images,
            Function<List<String>, float[][]> text) {
        int n = test.size();
        int block = Math.min(RETRIEVAL_BLOCK, n);
        int blocks = n / block;
        Captioner captioner = new Captioner(c.mention(), c.negation());
        Rng rng = new Rng(c.seed() + 1000).derive("eval-caption");
        int[] t2i = new int[2];
        int[] i2t = new int[2];
        for (int b = 0; b < blocks; b++) {
            List<String> captions = new ArrayList<>(block);
            for (int i = b * block; i < (b + 1) * block; i++) {
                captions.add(captioner.caption(test.attributes(i), rng.derive(test.worldIndex(i))));
            }
            float[][] t = text.apply(captions);
            float[][] sim = new float[block][block]; // sim[image][caption]
            for (int i = 0; i < block; i++) {
                for (int j = 0; j < block; j++) {
                    sim[i][j] = dot(images[b * block + i], t[j]);
                }
            }
            for (int a = 0; a < block; a++) {
                int rankText = 0; // images closer to caption a than its own image
                int rankImage = 0; // captions closer to image a than its own caption
                for (int o = 0; o < block; o++) {
                    rankText += sim[o][a] > sim[a][a] ? 1 : 0;
                    rankImage += sim[a][o] > sim[a][a] ? 1 : 0;
                }
                t2i[0] += rankText < 1 ? 1 : 0;
                t2i[1] += rankText < 5 ? 1 : 0;
                i2t[0] += rankImage < 1 ? 1 : 0;
                i2t[1] += rankImage < 5 ? 1 : 0;
            }
        }
        double total = (double) blocks * block;
        String of = "_of" + block;
        m.put("recall@1_text_to_image" + of, t2i[0] / total);
        m.put("recall@5_text_to_image" + of, t2i[1] / total);
        m.put("recall@1_image_to_text" + of, i2t[0] / total);
        m.put("recall@5_image_to_text" + of, i2t[1] / total);
    }

    /** Precision at 5 of text-to-image retrieval over every test face, and how many faces qualify. */
    private static void composition(Map<String, Double> m, String kind, MiniClipConfig.Composition k, FaceTensors test,
            float[][] images, Function<List<String>, float[][]> text) {
        float[] prompt = text.apply(List.of(k.prompt()))[0];
        int n = test.size();
        Integer[] order = new Integer[n];
        float[] score = new float[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            score[i] = dot(images[i], prompt);
        }
        java.util.Arrays.sort(order, (x, y) -> Float.compare(score[y], score[x]));
        int top = Math.min(5, n);
        int hits = 0;
        for (int r = 0; r < top; r++) {
            hits += k.holds(test.attributes(order[r])) ? 1 : 0;
        }
        m.put("precision@5_" + kind + "[" + k.label() + "]", (double) hits / top);
        m.put("positives_" + kind + "[" + k.label() + "]", (double) test.where(k::holds).length);
    }

    /** @return for each image, the index of the class whose prompts have the highest mean cosine */
    private static int[] classify(float[][] images, Map<String, List<String>> prompts,
            Function<List<String>, float[][]> text) {
        List<float[]> perClass = new ArrayList<>();
        for (List<String> p : prompts.values()) {
            perClass.add(meanCosines(images, text.apply(p)));
        }
        int[] out = new int[images.length];
        for (int i = 0; i < images.length; i++) {
            int best = 0;
            for (int k = 1; k < perClass.size(); k++) {
                if (perClass.get(k)[i] > perClass.get(best)[i]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** @return for each image, its mean cosine similarity with the texts (all unit vectors) */
    private static float[] meanCosines(float[][] images, float[][] texts) {
        float[] out = new float[images.length];
        for (int i = 0; i < images.length; i++) {
            double s = 0;
            for (float[] t : texts) {
                s += dot(images[i], t);
            }
            out[i] = (float) (s / texts.length);
        }
        return out;
    }

    private static float dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return (float) s;
    }

    /** @return unit image embeddings of every test face, computed in batches of 100 */
    private static float[][] imageUnits(VcexContext ctx, MiniClip model, FaceTensors test) {
        float[][] out = new float[test.size()][];
        try (var task = ctx.progress().start("embedding test faces", test.size())) {
            for (int from = 0; from < test.size(); from += 100) {
                int to = Math.min(test.size(), from + 100);
                try (NDManager scope = ctx.newScope()) {
                    float[][] rows = ImageTensors.rows(MiniClip.unit(model.embedImage(test.batch(scope, FaceTensors.range(from, to)))));
                    System.arraycopy(rows, 0, out, from, rows.length);
                }
                task.step(to - from);
            }
        }
        return out;
    }

    /** @return unit text embeddings, computed in batches of 128 */
    private static float[][] textUnits(VcexContext ctx, MiniClip model, List<String> texts) {
        float[][] out = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += 128) {
            int to = Math.min(texts.size(), from + 128);
            try (NDManager scope = ctx.newScope()) {
                float[][] rows = ImageTensors.rows(MiniClip.unit(model.embedText(scope, texts.subList(from, to))));
                System.arraycopy(rows, 0, out, from, rows.length);
            }
        }
        return out;
    }
}
