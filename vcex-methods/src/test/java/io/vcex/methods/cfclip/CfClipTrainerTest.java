package io.vcex.methods.cfclip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.methods.testing.ToyStyleGenerator;
import io.vcex.methods.testing.ToyTextImageEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on the toy generator and the colour encoder: the edit, checkpoints, errors, memory. */
class CfClipTrainerTest {
    /** Templates the toy encoder can read (its vocabulary has no "picture", "drawing" or "cartoon"). */
    static final List<String> TEMPLATES = List.of("{}", "a photo of {}", "the image of {}");

    /**
     * The paper's losses and views, with settings for a 3-value W+ and a 30-step run: learning-rate
     * multiplier 1 and step 0.05 (the paper's 0.5 x 0.01 is tuned for 50,000 steps), no identity term.
     */
    static CfClipConfig toyConfig(String loss, boolean tem, int steps) {
        return new CfClipConfig(loss, tem, true, null, null, 0.0, null, null, 2, null, null, TEMPLATES, 0.05, null, steps, null,
                1.0, null, null, 5);
    }

    static LatentPool pool(VcexContext ctx, ToyStyleGenerator g) {
        return LatentPool.sample(ctx, g, 16, 0.5f, new Rng(3));
    }

    /** @return mean red, green and blue of the edited minus the unedited images of the pool */
    static double[] colourShift(VcexContext ctx, ToyStyleGenerator g, CfClipMapper mapper, LatentPool pool) {
        try (NDManager m = ctx.newScope()) {
            int[] all = new int[pool.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            NDArray w = pool.batch(m, all);
            NDArray before = g.synthesize(g.styles(w));
            NDArray after = g.synthesize(g.styles(mapper.edit(w)));
            float[] d = after.sub(before).transpose(1, 0, 2, 3).reshape(3, -1).mean(new int[] {1}).toFloatArray();
            return new double[] {d[0], d[1], d[2]};
        }
    }

    @Test
    void trainingForRedMakesTheToyRedder() {
        ToyStyleGenerator g = new ToyStyleGenerator();
        try (VcexContext ctx = VcexContext.builder().seed(1).build()) {
            int live = ctx.liveArrays();
            LatentPool pool = pool(ctx, g);
            // the toy encoder's embedding is the mean colour: "a red face" points to +red. CF-CLIP and its
            // baselines all move the pool's images towards red and not towards green or blue
            for (String variant : List.of("nce", "nce-no-tem", "global", "directional")) {
                CfClipConfig config = toyConfig(variant.startsWith("nce") ? "nce" : variant, !variant.endsWith("no-tem"), 30);
                CfClipTrainer trainer = new CfClipTrainer(g, new ToyTextImageEncoder(), null, config);
                try (CfClipMapper mapper = trainer.train(ctx, "a red face", pool, null)) {
                    double[] shift = colourShift(ctx, g, mapper, pool);
                    String what = variant + ": mean colour change " + java.util.Arrays.toString(shift);
                    assertTrue(shift[0] > 0.001, what);
                    assertTrue(shift[0] > 2 * Math.max(shift[1], shift[2]), what);
                    if (variant.startsWith("nce")) {
                        // CLIP-NCE's query is the direction from the source to the augmented edit: the edit grows
                        // until it outweighs what the views change (measured: +0.07 to +0.09 red, green and blue down)
                        assertTrue(shift[0] > 0.03 && shift[1] < 0 && shift[2] < 0, what);
                    }
                    TrainingReport r = mapper.card().training();
                    assertEquals(30, r.steps());
                    assertEquals(0, r.skippedSteps());
                    assertTrue(r.losses().get("latent") > 0, "the latent term measures the edit");
                    assertEquals(0.0, r.losses().get("id"), "no identity term without lambda_ID");
                }
            }
            assertEquals(live, ctx.liveArrays(), "training frees every tensor it made");
        }
    }

    private static float[] train(long seed, CfClipConfig config, Path dir, int[] resumedFrom) {
        ToyStyleGenerator g = new ToyStyleGenerator();
        try (VcexContext ctx = VcexContext.builder().seed(seed).build();
                CfClipMapper m = new CfClipTrainer(g, new ToyTextImageEncoder(), null, config).train(ctx, "a red face", pool(ctx, g),
                        dir)) {
            if (resumedFrom != null) {
                resumedFrom[0] = m.card().training().resumedFrom();
            }
            List<Float> all = new ArrayList<>();
            for (NDArray p : m.parameters()) {
                for (float v : p.toFloatArray()) {
                    all.add(v);
                }
            }
            float[] out = new float[all.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = all.get(i);
            }
            return out;
        }
    }

    @Test
    void anInterruptedRunResumesExactly(@TempDir Path dir) {
        float[] straight = train(1, toyConfig("nce", true, 8), dir.resolve("straight"), null);
        Path resumed = dir.resolve("resumed");
        train(1, toyConfig("nce", true, 3), resumed, null); // "interrupted" after 3 steps
        assertTrue(Files.isRegularFile(resumed.resolve("state.json")));
        int[] from = new int[1];
        float[] continued = train(1, toyConfig("nce", true, 8), resumed, from);
        assertEquals(3, from[0], "the second session resumed at step 3");
        assertArrayEquals(straight, continued, 0f, "weights after 3 + 5 steps equal those after 8 in one go");
        float[] fresh = train(1, toyConfig("nce", true, 8), null, null);
        assertArrayEquals(straight, fresh, 0f, "checkpoints do not change the run");

        VcexException fewer = assertThrows(VcexException.class, () -> train(1, toyConfig("nce", true, 4), resumed, null));
        assertTrue(fewer.getMessage().contains("step 8") && fewer.getMessage().contains("beyond"), fewer.getMessage());
        VcexException other = assertThrows(VcexException.class, () -> train(1, toyConfig("global", true, 9), resumed, null));
        assertTrue(other.getMessage().contains("another training run"), other.getMessage());
        VcexException seed = assertThrows(VcexException.class, () -> train(2, toyConfig("nce", true, 9), resumed, null));
        assertTrue(seed.getMessage().contains("another training run"), seed.getMessage());
    }

    /** A feature network over the toy's 8 x 8 images: identity = unit top and bottom mean colours, perceptual = mean |a - b|. */
    static final class ToyFeatures implements ImageFeatures {
        @Override
        public ModelInfo info() {
            return ModelInfo.inMemory("toy-features");
        }

        @Override
        public ImageSpec imageSpec() {
            return new ImageSpec(3, 8, 8);
        }

        @Override
        public NDArray poolFeatures(NDArray images) {
            return images.mean(new int[] {3}).mean(new int[] {2});
        }

        @Override
        public NDArray perceptualDistance(NDArray a, NDArray b) {
            return a.sub(b).abs().reshape(a.getShape().get(0), -1).mean(new int[] {1});
        }

        @Override
        public NDArray identity(NDArray images) {
            long n = images.getShape().get(0);
            NDArray top = images.get(":, :, 0:4, :").mean(new int[] {3}).mean(new int[] {2});
            NDArray bottom = images.get(":, :, 4:8, :").mean(new int[] {3}).mean(new int[] {2});
            NDArray e = top.concat(bottom, 1).reshape(n, 6);
            return e.div(e.square().sum(new int[] {1}, true).sqrt());
        }
    }

    @Test
    void identityAndPerceptualTermsUseTheFeatureNetwork() {
        ToyStyleGenerator g = new ToyStyleGenerator();
        CfClipConfig both = new CfClipConfig("nce", true, true, null, null, 0.2, 0.01, null, 2, null, null, TEMPLATES, 0.05, null,
                10, null, 1.0, null, null, null);
        try (VcexContext ctx = VcexContext.builder().seed(1).build();
                CfClipMapper m = new CfClipTrainer(g, new ToyTextImageEncoder(), new ToyFeatures(), both).train(ctx, "a red face",
                        pool(ctx, g), null)) {
            TrainingReport r = m.card().training();
            assertTrue(r.losses().get("id") > 0 && r.losses().get("perceptual") > 0, r.losses().toString());
            assertTrue(m.card().provenance().models().containsKey("toy-features"), m.card().provenance().models().toString());
            assertEquals("cfclip.train", m.card().provenance().kind());
            assertEquals("a red face", m.card().provenance().config().get("targetText").asText());
            assertEquals("nce", m.card().provenance().config().get("config").get("loss").asText());
        }
    }

    @Test
    void mistakesAreNamed() {
        ToyStyleGenerator g = new ToyStyleGenerator();
        ToyTextImageEncoder clip = new ToyTextImageEncoder();
        // the paper's facial setting needs an identity network
        VcexException id = assertThrows(VcexException.class, () -> new CfClipTrainer(g, clip, null, CfClipConfig.defaults()));
        assertTrue(id.getMessage().contains("identity loss") && id.getMessage().contains("feature network"), id.getMessage());
        CfClipConfig nonFacial = new CfClipConfig(null, null, false, null, null, null, null, null, null, null, null, TEMPLATES, null,
                null, null, null, null, null, null, null);
        assertEquals(0.0, nonFacial.idWeight());
        assertEquals(0.01, nonFacial.perceptualWeight());
        VcexException perceptual = assertThrows(VcexException.class, () -> new CfClipTrainer(g, clip, null, nonFacial));
        assertTrue(perceptual.getMessage().contains("perceptual"), perceptual.getMessage());
        VcexException loss = assertThrows(VcexException.class, () -> CfClipConfig.defaults().withLoss("cosine"));
        assertTrue(loss.getMessage().contains("'loss'") && loss.getMessage().contains("nce"), loss.getMessage());
        VcexException template = assertThrows(VcexException.class, () -> new CfClipConfig(null, null, null, null, null, null, null,
                null, null, null, null, List.of("a photo"), null, null, null, null, null, null, null, null));
        assertTrue(template.getMessage().contains("templates[0]"), template.getMessage());
        try (VcexContext ctx = VcexContext.builder().seed(1).build()) {
            int live = ctx.liveArrays();
            CfClipTrainer trainer = new CfClipTrainer(g, clip, null, toyConfig("nce", true, 2));
            VcexException word = assertThrows(VcexException.class, () -> trainer.train(ctx, "a purple face", pool(ctx, g), null));
            assertTrue(word.getMessage().contains("'purple'") && word.getMessage().contains("a purple face"), word.getMessage());
            // the default templates hold words the toy encoder does not know
            CfClipTrainer defaults = new CfClipTrainer(g, clip, null, new CfClipConfig(null, null, null, null, null, 0.0, null, null,
                    null, null, null, null, null, null, 2, null, null, null, null, null));
            VcexException tmpl = assertThrows(VcexException.class, () -> defaults.train(ctx, "a red face", pool(ctx, g), null));
            assertTrue(tmpl.getMessage().contains("picture"), tmpl.getMessage());
            LatentPool wrong = new LatentPool(new float[][] {new float[8]}, 2, 4, "wrong");
            VcexException shape = assertThrows(VcexException.class, () -> trainer.train(ctx, "a red face", wrong, null));
            assertTrue(shape.getMessage().contains("2 x 4") && shape.getMessage().contains("2 x 3"), shape.getMessage());
            assertEquals(live, ctx.liveArrays(), "failed runs free their tensors");
        }
    }

    @Test
    void applyEncodesEditsAndRendersOneForwardPass() {
        ToyStyleGenerator g = new ToyStyleGenerator();
        try (VcexContext ctx = VcexContext.builder().seed(1).build()) {
            int live = ctx.liveArrays();
            LatentPool pool = pool(ctx, g);
            List<ImageData> images = new ArrayList<>();
            try (NDManager m = ctx.newScope()) {
                images.addAll(io.vcex.core.image.ImageTensors.fromBatch(g.synthesize(g.styles(pool.batch(m, new int[] {0, 1, 2}))),
                        io.vcex.core.image.ValueRange.UNIT));
            }
            try (CfClipMapper mapper = new CfClipTrainer(g, new ToyTextImageEncoder(), null, toyConfig("nce", true, 20)).train(ctx,
                    "a red face", pool, null)) {
                List<CfClipMapper.Edit> edits = mapper.apply(ctx, g, images, 2);
                assertEquals(3, edits.size());
                for (CfClipMapper.Edit e : edits) {
                    // the toy's encoder inverts its renders exactly
                    assertArrayEquals(e.original().pixels(), e.reconstruction().pixels(), 1e-4f);
                    double red = 0;
                    for (int i = 0; i < 64; i++) {
                        red += e.edited().pixels()[i] - e.reconstruction().pixels()[i];
                    }
                    assertTrue(red > 0, "the edit reddens");
                    assertTrue(e.latentChange() > 0);
                }
            }
            assertEquals(live, ctx.liveArrays());
        }
    }
}
