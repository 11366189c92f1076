package io.vcex.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.autograd.Gradients;
import io.vcex.core.config.ConfigException;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.core.provenance.Hashing;
import io.vcex.data.world.FaceAttributes;
import io.vcex.data.world.FacesWorld;
import io.vcex.data.world.WorldConfig;
import io.vcex.zoo.card.ModelCard;
import io.vcex.zoo.data.FaceTensors;
import io.vcex.zoo.models.MiniClip;
import io.vcex.zoo.nn.MiniClipBlock;
import io.vcex.zoo.recipes.MiniClipConfig;
import io.vcex.zoo.recipes.MiniClipRecipe;
import io.vcex.zoo.text.CaptionTokenizer;
import io.vcex.zoo.train.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MiniClipTest {
    private static final MiniClipRecipe RECIPE = MiniClipRecipe.standard();

    @TempDir
    Path dir;

    private static float[] row(NDArray x, int i) {
        return x.get(i).toFloatArray();
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void contrastiveLossMatchesHandComputedValues() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            // images e1, e2; texts e1 and 2 e2 (normalised: e1, e2); scale ln 3: logits diag(ln 3),
            // every row and column has softmax 3/4 on its target, so the loss is -ln(3/4)
            NDArray images = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            NDArray texts = m.create(new float[] {1, 0, 0, 2}, new Shape(2, 2));
            float l1 = MiniClip.contrastiveLoss(images, texts, m.create(new float[] {(float) Math.log(3)})).getFloat();
            assertEquals(Math.log(4.0 / 3.0), l1, 1e-6);

            // texts e1 and (1, 1) (normalised: (r, r), r = 1/sqrt 2), scale 1: logits [[1, r], [0, r]]
            double r = 1 / Math.sqrt(2);
            double rows = -Math.log(Math.exp(1) / (Math.exp(1) + Math.exp(r))) - Math.log(Math.exp(r) / (1 + Math.exp(r)));
            double cols = -Math.log(Math.exp(1) / (Math.exp(1) + 1)) + Math.log(2);
            float l2 = MiniClip.contrastiveLoss(images, m.create(new float[] {1, 0, 1, 1}, new Shape(2, 2)),
                    m.create(new float[] {1f})).getFloat();
            assertEquals((rows + cols) / 4, l2, 1e-6);
            assertEquals(0.49116, l2, 1e-4, "the same value worked out on paper");

            var e = assertThrows(VcexException.class, () -> MiniClip.contrastiveLoss(images,
                    m.create(new float[] {1, 0, 0}, new Shape(1, 3)), m.create(new float[] {1f})));
            assertTrue(e.getMessage().contains("(1, 3)"), e.getMessage());
        }
    }

    @Test
    void textEmbeddingsDependOnWordOrderButNotOnPadding() {
        try (VcexContext ctx = VcexContext.builder().build(); MiniClip clip = RECIPE.untrained(ctx, RECIPE.tiny());
                NDManager m = ctx.newScope()) {
            String a = "a face with glasses and without a hat";
            String b = "a face without glasses and with a hat";
            assertEquals(CaptionTokenizer.words(a).stream().sorted().toList(), CaptionTokenizer.words(b).stream().sorted().toList(),
                    "the same words");
            NDArray e = clip.embedText(m, List.of(a, b, "a face", a));
            assertTrue(maxAbsDiff(row(e, 0), row(e, 1)) > 1e-3, "word order changes the embedding");
            assertEquals(0f, maxAbsDiff(row(e, 0), row(e, 3)), "the same text gives the same embedding");
            NDArray alone = clip.embedText(m, List.of("a face"));
            assertEquals(0f, maxAbsDiff(row(alone, 0), row(e, 2)), 1e-6f, "padding after a text does not change it");
        }
    }

    @Test
    void embeddingsHaveTheDocumentedShapesAndLeaveNoArraysBehind() {
        MiniClipConfig tiny = RECIPE.tiny();
        try (VcexContext ctx = VcexContext.builder().build(); MiniClip clip = RECIPE.untrained(ctx, tiny)) {
            assertEquals(tiny.embeddingDim(), clip.embeddingDim());
            assertEquals("3x64x64", clip.imageSpec().toString());
            assertEquals(1 / 0.07, clip.logitScale(), 1e-4);
            FaceTensors faces = FaceTensors.render(new FacesWorld(WorldConfig.full(), 4), 0, 2, ctx.progress());
            int before = ctx.liveArrays();
            try (NDManager m = ctx.newScope()) {
                NDArray t = clip.embedText(m, List.of("a smiling face", "a face with green hair and wearing a hat", "a face"));
                assertEquals(new Shape(3, tiny.embeddingDim()), t.getShape());
                assertEquals(before + 1, ctx.liveArrays(), "only the result of embedText stays alive");
                NDArray i = clip.embedImage(faces.batch(m, FaceTensors.range(0, 2)));
                assertEquals(new Shape(2, tiny.embeddingDim()), i.getShape());
                assertEquals(new Shape(0, tiny.embeddingDim()), clip.embedText(m, List.of()).getShape());
                var unknown = assertThrows(VcexException.class, () -> clip.embedText(m, List.of("a face", "a face with a tiara")));
                assertTrue(unknown.getMessage().contains("'tiara'") && unknown.getMessage().contains("'a face with a tiara'"),
                        unknown.getMessage());
                var shape = assertThrows(VcexException.class, () -> clip.embedImage(m.zeros(new Shape(2, 3, 32, 32))));
                assertTrue(shape.getMessage().contains("(2, 3, 32, 32)") && shape.getMessage().contains("3x64x64"),
                        shape.getMessage());
            }
            assertEquals(before, ctx.liveArrays(), "nothing outlives the caller's scope");
        }
    }

    @Test
    void imageEmbeddingGradientsReachTheInputOnly() {
        try (VcexContext ctx = VcexContext.builder().build(); MiniClip clip = RECIPE.untrained(ctx, RECIPE.tiny());
                NDManager m = ctx.newScope()) {
            FaceTensors faces = FaceTensors.render(new FacesWorld(WorldConfig.full(), 2), 0, 1, ctx.progress());
            NDArray x = faces.batch(m, new int[] {0});
            float[] d = new float[clip.embeddingDim()];
            for (int i = 0; i < d.length; i++) {
                d[i] = (i % 3) - 1 + 0.25f * i;
            }
            NDArray direction = m.create(d, new Shape(1, d.length));
            java.util.function.Function<NDArray, NDArray> f = v -> clip.embedImage(v).mul(direction).sum();
            NDArray g = Gradients.of(m, x, f);
            assertEquals(x.getShape(), g.getShape());
            float norm = g.norm().getFloat();
            assertTrue(norm > 0 && Float.isFinite(norm), "gradient norm " + norm);
            float h = 1e-2f / norm;
            float plus = f.apply(x.add(g.mul(h))).getFloat();
            float minus = f.apply(x.sub(g.mul(h))).getFloat();
            float expected = 2 * h * g.square().sum().getFloat();
            assertEquals(expected, plus - minus, 0.05f * Math.abs(expected), "directional finite difference");
            assertTrue(clip.net().trainable().isEmpty(), "the weights are frozen");
        }
    }

    @Test
    void theLogitScaleIsSavedWithTheWeightsAndClippedAt100() {
        MiniClipConfig tiny = RECIPE.tiny();
        Path weights = dir.resolve("w.params");
        try (VcexContext ctx = VcexContext.builder().build()) {
            try (MiniClip a = RECIPE.untrained(ctx, tiny)) {
                var logScale = a.net().block().getParameters().get("log_logit_scale").getArray();
                logScale.set(new float[] {(float) Math.log(20)});
                assertEquals(20f, a.logitScale(), 1e-3f);
                a.net().save(weights);
                logScale.set(new float[] {(float) Math.log(500)});
                assertEquals(100f, a.logitScale(), 1e-3f, "clipped at 100");
                try (NDManager m = ctx.newScope()) {
                    MiniClipBlock block = (MiniClipBlock) a.net().block();
                    NDArray s = block.logitScale(new ai.djl.training.ParameterStore(m, false), m, false);
                    assertEquals(100f, s.getFloat(), 1e-3f);
                }
            }
            try (MiniClip b = RECIPE.untrained(ctx, tiny)) {
                assertEquals(1 / 0.07, b.logitScale(), 1e-4);
                b.net().load(weights);
                assertEquals(20f, b.logitScale(), 1e-3f);
            }
        }
    }

    @Test
    void tinyRecipeTrainsWritesACardWhoseHashMatchesAndLoads() throws Exception {
        MiniClipConfig tiny = RECIPE.tiny();
        Path models = dir.resolve("models");
        try (VcexContext ctx = VcexContext.builder().seed(1).build()) {
            ModelCard card = RECIPE.train(ctx, tiny, models.resolve("miniclip"), dir.resolve("work"));
            assertEquals("miniclip", card.name());
            assertEquals("text-image-encoder", card.kind());
            Path weights = models.resolve("miniclip").resolve(card.weightsFile());
            assertEquals(Hashing.sha256(weights), card.weightsSha256());
            assertEquals(Files.size(weights), card.weightsBytes());
            assertTrue(card.trainingSeconds() > 0 && card.parameters() > 0);
            Map<String, Double> metrics = card.metrics();
            List<String> expected = new ArrayList<>();
            for (String a : FaceAttributes.BINARY) {
                expected.add("zero_shot_accuracy[" + a + "]");
            }
            expected.addAll(List.of("zero_shot_mean", "zero_shot_accuracy[hair_color]", "recall@1_text_to_image_of24",
                    "recall@5_text_to_image_of24", "recall@1_image_to_text_of24", "recall@5_image_to_text_of24",
                    "precision@5_held_out[hair_color=green+hat]", "precision@5_held_out[lipstick_color=purple+beard]",
                    "positives_held_out[hair_color=green+hat]", "precision@5_seen[hair_color=blonde+eyeglasses]"));
            for (String k : expected) {
                assertTrue(metrics.containsKey(k), k + " in " + metrics.keySet());
                if (!k.startsWith("positives")) {
                    assertTrue(metrics.get(k) >= 0 && metrics.get(k) <= 1, k + " = " + metrics.get(k));
                }
            }
            assertEquals(24.0, metrics.get("test_count"));
            assertTrue(metrics.get("recall@5_text_to_image_of24") >= metrics.get("recall@1_text_to_image_of24"));

            // the card describes the model: its config (vocabulary included) comes back from it
            ModelCard read = Json.read(models.resolve("miniclip/card.json"), ModelCard.class);
            MiniClipConfig recorded = Zoo.configOf(RECIPE, read, "card");
            assertEquals(tiny, recorded);
            assertEquals(CaptionTokenizer.standardVocabulary(), recorded.vocabulary());

            int before = ctx.liveArrays();
            try (MiniClip clip = RECIPE.load(ctx, recorded, models.resolve("miniclip"))) {
                assertEquals(card.weightsSha256(), clip.info().fileSha256().get("weights.params"));
                assertNotEquals(1 / 0.07, clip.logitScale(), 1e-5, "the temperature was trained and saved");
                assertTrue(clip.net().trainable().isEmpty(), "loaded weights are frozen");
                try (NDManager m = ctx.newScope()) {
                    assertEquals(new Shape(1, tiny.embeddingDim()), clip.embedText(m, List.of("an old face")).getShape());
                }
            }
            assertEquals(before, ctx.liveArrays(), "closing the model frees its weights");
        }
    }

    @Test
    void interruptedTrainingResumesToTheSameWeights() {
        MiniClipConfig c = RECIPE.tiny().withTrain(new TrainSettings(4, 8, 1e-3, 1e-4, 0.25, 2));
        try (VcexContext ctx = VcexContext.builder().build()) {
            RECIPE.train(ctx, c, dir.resolve("straight"), dir.resolve("work-a"));
        }
        Path work = dir.resolve("work-b");
        try (VcexContext ctx = VcexContext.builder().optProgress(Interrupt.after(2)).build()) {
            assertThrows(IllegalStateException.class, () -> RECIPE.train(ctx, c, dir.resolve("resumed"), work));
        }
        assertFalse(Files.exists(dir.resolve("resumed")));
        try (VcexContext ctx = VcexContext.builder().build()) {
            RECIPE.train(ctx, c, dir.resolve("resumed"), work);
        }
        assertEquals(Hashing.sha256(dir.resolve("straight/weights.params")), Hashing.sha256(dir.resolve("resumed/weights.params")),
                "batches and captions depend on (seed, step) only");
    }

    @Test
    void configsRoundTripThroughJsonAndBadValuesNameTheField() {
        MiniClipConfig d = RECIPE.defaults();
        assertEquals(d, Json.parse(Json.write(d), MiniClipConfig.class, "test"));
        assertEquals("miniclip", RECIPE.name());
        assertEquals(20_000, d.trainCount());
        assertEquals(128, d.train().batch());
        assertEquals(24, d.width());
        assertEquals(2, d.heldOut().size());
        var batch = assertThrows(ConfigException.class, () -> d.withTrain(new TrainSettings(10, 30_000, 1e-3, 0, 0.1, 5)));
        assertEquals("train.batch", batch.field());
        var prompt = assertThrows(ConfigException.class, () -> new MiniClipConfig(1, null, 100, 10, 4, 8, 8, 8, 48, null, 0.6, 0.3,
                List.of(new MiniClipConfig.Composition("hat", "beard", "a face with a hat and a goatee")), null,
                new TrainSettings(2, 4, 1e-3, 0, 0.1, 1)));
        assertEquals("heldOut[0].prompt", prompt.field());
        assertTrue(prompt.getMessage().contains("goatee"), prompt.getMessage());
        var target = assertThrows(ConfigException.class, () -> new MiniClipConfig.Composition("hair_color=teal", "hat", "a face"));
        assertEquals("first", target.field());
    }

    @Test
    void heldOutCompositionsAreRecognisedAndEveryZeroShotPromptIsInTheVocabulary() {
        MiniClipConfig d = RECIPE.defaults();
        FacesWorld world = new FacesWorld(WorldConfig.full(), 9);
        int both = 0;
        int hatOnly = 0;
        for (int i = 0; i < 3000; i++) {
            FaceAttributes a = world.attributes(i);
            boolean green = a.hairColor().word().equals("green");
            assertEquals(green && a.hat(), d.heldOut().get(0).holds(a));
            both += green && a.hat() ? 1 : 0;
            hatOnly += !green && a.hat() ? 1 : 0;
        }
        assertTrue(both > 10 && hatOnly > 100, "the full world has both, and each part alone: " + both + ", " + hatOnly);
        CaptionTokenizer tok = d.tokenizer();
        List<String> prompts = new ArrayList<>();
        MiniClipRecipe.zeroShotPrompts().values().forEach(p -> {
            prompts.addAll(p.presentPrompts());
            prompts.addAll(p.absent());
        });
        MiniClipRecipe.hairColorPrompts().values().forEach(prompts::addAll);
        MiniClipRecipe.lipstickColorPrompts().values().forEach(prompts::addAll);
        assertEquals(FaceAttributes.BINARY, new ArrayList<>(MiniClipRecipe.zeroShotPrompts().keySet()));
        assertEquals(9, MiniClipRecipe.hairColorPrompts().size());
        assertEquals(6, MiniClipRecipe.lipstickColorPrompts().size());
        for (String p : prompts) {
            assertTrue(tok.encode(p).length > 0, p);
        }
    }
}
