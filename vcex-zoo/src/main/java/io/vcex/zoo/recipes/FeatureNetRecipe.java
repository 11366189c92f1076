package io.vcex.zoo.recipes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.config.Json;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.provenance.Hashing;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.provenance.Versions;
import io.vcex.data.world.FaceAttributes;
import io.vcex.data.world.FaceSampler;
import io.vcex.data.world.FacesWorld;
import io.vcex.data.world.Nuisance;
import io.vcex.data.world.WorldConfig;
import io.vcex.zoo.card.ModelCard;
import io.vcex.zoo.data.FaceTensors;
import io.vcex.zoo.models.FeatureNet;
import io.vcex.zoo.nn.FeatureBlock;
import io.vcex.zoo.nn.Net;
import io.vcex.zoo.train.Losses;
import io.vcex.zoo.train.TrainLoop;
import io.vcex.zoo.train.TrainSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The feature network (see {@link FeatureNet}), trained with NT-Xent (Chen et al. 2020) on
 * <em>identity pairs</em>: two renders of one person of the full world. A person is what stays
 * when a face is edited (skin tone, face width, hair style, hair colour and age); everything an
 * explanation may change (smile, glasses, hat, lipstick, facial hair, bangs) is drawn anew for
 * every view, as are background, pose and light. So the embedding answers "is this the same
 * person?", which face similarity and face-verification accuracy need, and the backbone learns
 * general features of faces for the Frechet and perceptual distances.
 *
 * <p>Figures: verification accuracy on held-out identities (cosine above 0.5 on balanced
 * same/different pairs), the mean cosines of both kinds of pair, and how often the perceptual
 * distance ranks a face's true one-attribute counterfactual closer than another person.
 */
public final class FeatureNetRecipe implements Recipe<FeatureNetConfig, FeatureNet> {

    /** @return the shipped feature network's recipe */
    public static FeatureNetRecipe standard() {
        return new FeatureNetRecipe();
    }

    @Override
    public String name() {
        return "feature-net";
    }

    @Override
    public String summary() {
        return "feature network: FID-like features, LPIPS-like distance, face-identity embedding (not an explained model)";
    }

    @Override
    public Class<FeatureNetConfig> configType() {
        return FeatureNetConfig.class;
    }

    @Override
    public FeatureNetConfig defaults() {
        return new FeatureNetConfig(1, 5000, 3, 500, 24, 128, 0.1, new TrainSettings(2000, 64, 2e-3, 1e-4, 0.05, 200));
    }

    @Override
    public FeatureNetConfig tiny() {
        return new FeatureNetConfig(1, 16, 2, 8, 4, 8, 0.1, new TrainSettings(4, 4, 2e-3, 1e-4, 0.25, 2));
    }

    /**
     * Renders of one person: identity kept, everything else drawn anew per view.
     *
     * @param world the full world
     * @param rng the identity's stream
     * @param views how many
     * @return the views' ground truths
     */
    static List<FaceAttributes> views(FacesWorld world, Rng rng, int views) {
        FaceSampler sampler = new FaceSampler(world.config());
        FaceAttributes person = sampler.sample(rng.derive("person"));
        List<FaceAttributes> out = new ArrayList<>(views);
        for (int v = 0; v < views; v++) {
            FaceAttributes f = sampler.sample(rng.derive(v));
            Nuisance n = f.nuisance();
            Nuisance kept = new Nuisance(n.shiftX(), n.shiftY(), n.scale(), n.rotationDeg(), n.light(), n.lightAngleDeg(),
                    person.nuisance().faceWidth(), n.mouthCurve(), person.nuisance().hairStyle());
            out.add(new FaceAttributes(f.smiling(), f.eyeglasses(), f.mustache(), f.beard(), person.old(), f.hat(),
                    f.bangs(), person.hairColor(), f.lipstick(), person.skinTone(), f.background(), f.hatColor(), kept));
        }
        return out;
    }

    private static FaceTensors identities(VcexContext ctx, long seed, int count, int views) {
        FacesWorld world = new FacesWorld(WorldConfig.full(), seed);
        Rng root = new Rng(seed).derive("identity");
        List<FaceAttributes> all = new ArrayList<>(count * views);
        for (int i = 0; i < count; i++) {
            all.addAll(views(world, root.derive(i), views));
        }
        return FaceTensors.render(world, all, ctx.progress());
    }

    private static Net network(VcexContext ctx, FeatureNetConfig c) {
        return new Net(new FeatureBlock(c.width(), c.embeddingDim()), ctx.manager(), new Rng(c.seed()).derive("init"),
                new Shape(1, 3, 64, 64));
    }

    @Override
    public ModelCard train(VcexContext ctx, FeatureNetConfig c, Path modelDir, Path workDir) {
        FaceTensors data = identities(ctx, c.seed(), c.identities(), c.views());
        Rng batches = new Rng(c.seed()).derive("batch");
        int b = Math.min(c.train().batch(), c.identities());
        try (Net net = network(ctx, c)) {
            TrainLoop.Outcome out = TrainLoop.run(ctx, "training feature-net", net, c.train(), workDir.resolve("checkpoint"),
                    Recipes.configHash(c), new TrainLoop.Objective<NDArray>() {
                        @Override
                        public NDArray batch(NDManager scope, int step) {
                            Rng r = batches.derive(step);
                            int[] ids = r.permutation(c.identities());
                            int[] idx = new int[2 * b];
                            for (int k = 0; k < b; k++) {
                                int first = r.nextInt(c.views());
                                int second = (first + 1 + r.nextInt(c.views() - 1)) % c.views();
                                idx[k] = ids[k] * c.views() + first;
                                idx[b + k] = ids[k] * c.views() + second;
                            }
                            return data.batch(scope, idx);
                        }

                        @Override
                        public NDArray loss(NDManager scope, int step, NDArray images) {
                            NDArray emb = net.forward(true, images).get(6);
                            return Losses.ntXent(emb, (float) c.temperature());
                        }
                    });
            long params = net.parameterCount();
            ModelCard card = Recipes.writeModel(net, modelDir, (sha, bytes) -> new ModelCard(name(), "feature-net",
                    "vcex's feature network for realism and perceptual metrics: pooled last-stage features for "
                            + "Frechet distances (FID-like), an LPIPS-like distance from channel-normalised features of all "
                            + "five stages, and a " + c.embeddingDim() + "-d face-identity embedding. Trained from scratch "
                            + "in Java with NT-Xent on identity pairs of the full faces world (a person keeps skin tone, "
                            + "face shape, hair style and colour; expression, accessories, make-up, facial hair, background, "
                            + "pose and light change between views). It is not one of the explained classifiers, not the "
                            + "published Inception-v3 or LPIPS (VGG/AlexNet), and its figures are comparable within vcex only.",
                    "FeatureBlock w=" + c.width() + ": five conv-BN-ReLU stages (w,2w,2w,4w,4w; strides 2,2,1,2,2), "
                            + "global average pool (" + 4 * c.width() + "-d), linear head to " + c.embeddingDim() + "-d",
                    params, Json.tree(c), out.seconds(), Recipes.machine(), Map.of(), Recipes.WEIGHTS, sha, bytes,
                    params + " float32 values; as small as the classifiers' backbone, a little wider for the identity task",
                    Versions.vcex(), Versions.djl()));
            ModelCard measured = card.withMetrics(evaluate(ctx, c, modelDir));
            Recipes.writeCard(modelDir, measured);
            return measured;
        }
    }

    @Override
    public FeatureNet load(VcexContext ctx, FeatureNetConfig c, Path modelDir) {
        Net net = network(ctx, c);
        net.loadForInference(modelDir.resolve(Recipes.WEIGHTS));
        return new FeatureNet(net, new ModelInfo(name(), Map.of(Recipes.WEIGHTS,
                Hashing.sha256(modelDir.resolve(Recipes.WEIGHTS)))));
    }

    @Override
    public Map<String, Double> evaluate(VcexContext ctx, FeatureNetConfig c, Path modelDir) {
        int t = c.testIdentities();
        FaceTensors test = identities(ctx, c.seed() + 1000, t, 2);
        // each person's first view with glasses toggled: its true one-attribute counterfactual
        List<FaceAttributes> edited = new ArrayList<>(t);
        for (int i = 0; i < t; i++) {
            FaceAttributes f = test.attributes(2 * i);
            edited.add(f.with("eyeglasses", Boolean.toString(!f.eyeglasses())));
        }
        FaceTensors counterfactuals = FaceTensors.render(test.world(), edited, ctx.progress());
        float[] same = new float[t];
        float[] different = new float[t];
        int closer = 0;
        try (FeatureNet fn = load(ctx, c, modelDir)) {
            for (int from = 0; from < t; from += 50) {
                int to = Math.min(t, from + 50);
                try (NDManager scope = ctx.newScope()) {
                    int n = to - from;
                    int[] first = new int[n];
                    int[] second = new int[n];
                    int[] otherPerson = new int[n];
                    for (int k = 0; k < n; k++) {
                        first[k] = 2 * (from + k);
                        second[k] = 2 * (from + k) + 1;
                        otherPerson[k] = 2 * ((from + k + 1) % t);
                    }
                    NDArray a = test.batch(scope, first);
                    NDArray ea = fn.identity(a);
                    float[] s = ea.mul(fn.identity(test.batch(scope, second))).sum(new int[] {1}).toFloatArray();
                    NDArray other = test.batch(scope, otherPerson);
                    float[] d = ea.mul(fn.identity(other)).sum(new int[] {1}).toFloatArray();
                    System.arraycopy(s, 0, same, from, n);
                    System.arraycopy(d, 0, different, from, n);
                    float[] toEdit = fn.perceptualDistance(a, counterfactuals.batch(scope, FaceTensors.range(from, to))).toFloatArray();
                    float[] toOther = fn.perceptualDistance(a, other).toFloatArray();
                    for (int k = 0; k < n; k++) {
                        closer += toEdit[k] < toOther[k] ? 1 : 0;
                    }
                }
            }
        }
        int correct = 0;
        double meanSame = 0;
        double meanDifferent = 0;
        for (int i = 0; i < t; i++) {
            correct += (same[i] > 0.5f ? 1 : 0) + (different[i] <= 0.5f ? 1 : 0);
            meanSame += same[i];
            meanDifferent += different[i];
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("verification_accuracy_cos0.5", correct / (2.0 * t));
        m.put("mean_cosine_same_person", meanSame / t);
        m.put("mean_cosine_different_person", meanDifferent / t);
        m.put("perceptual_counterfactual_closer_than_other_person", (double) closer / t);
        m.put("test_identities", (double) t);
        return m;
    }
}
