package io.vcex.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.autograd.Gradients;
import io.vcex.core.classifier.Scores;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.VcexContext;
import io.vcex.core.provenance.Hashing;
import io.vcex.data.world.FacesWorld;
import io.vcex.data.world.WorldConfig;
import io.vcex.zoo.card.ModelCard;
import io.vcex.zoo.data.FaceTensors;
import io.vcex.zoo.recipes.ClassifierConfig;
import io.vcex.zoo.recipes.ClassifierRecipe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierRecipeTest {
    @TempDir
    Path dir;

    @Test
    void tinyRecipeTrainsShipsACardAndLoadsAfterTheHashCheck() throws Exception {
        ClassifierRecipe recipe = ClassifierRecipe.smileBiased();
        try (VcexContext ctx = VcexContext.builder().seed(1).build()) {
            ModelCard card = recipe.train(ctx, recipe.tiny(), dir.resolve("models/smile-biased"), dir.resolve("work"));
            assertEquals("smile-biased", card.name());
            assertEquals(Hashing.sha256(dir.resolve("models/smile-biased/weights.params")), card.weightsSha256());
            assertTrue(card.metrics().containsKey("test_accuracy"));
            assertTrue(card.metrics().containsKey("accuracy_bias_conflicting[smiling!=eyeglasses]"), card.metrics().toString());
            assertTrue(card.trainingSeconds() > 0);
            Zoo zoo = new Zoo(dir.resolve("models"));
            assertEquals(1, zoo.cards().size());
            int before = ctx.liveArrays();
            WhiteBoxClassifier c = zoo.classifier(ctx, "smile-biased");
            assertEquals(2, c.spec().classNames().size());
            try (NDManager m = ctx.newScope()) {
                FaceTensors faces = FaceTensors.render(new FacesWorld(WorldConfig.inPrior(), 5), 0, 3, ctx.progress());
                Scores s = c.scores(faces.batch(m, FaceTensors.range(0, 3)));
                assertEquals(3, s.size());
                assertEquals(1f, s.probabilities()[0][0] + s.probabilities()[0][1], 1e-6f);
            }
            ((AutoCloseable) c).close();
            assertEquals(before, ctx.liveArrays(), "closing the classifier frees its weights");
        }
    }

    @Test
    void missingCorruptAndUnknownModelsAreClearErrors() throws Exception {
        ClassifierRecipe recipe = ClassifierRecipe.smile();
        Path models = dir.resolve("models");
        try (VcexContext ctx = VcexContext.builder().build()) {
            recipe.train(ctx, recipe.tiny(), models.resolve("smile"), dir.resolve("work"));
            Zoo zoo = new Zoo(models);
            var unknown = assertThrows(VcexException.class, () -> zoo.card("smiley"));
            assertTrue(unknown.getMessage().contains("No zoo model named 'smiley'") && unknown.getMessage().contains("smile-biased"),
                    unknown.getMessage());
            var absent = assertThrows(VcexException.class, () -> zoo.card("old"));
            assertTrue(absent.getMessage().contains("./vcex zoo train old"), absent.getMessage());
            Path weights = models.resolve("smile/weights.params");
            byte[] good = Files.readAllBytes(weights);
            byte[] bad = good.clone();
            bad[bad.length / 2] ^= 1;
            Files.write(weights, bad);
            var corrupt = assertThrows(VcexException.class, () -> zoo.classifier(ctx, "smile"));
            assertTrue(corrupt.getMessage().contains("corrupt") && corrupt.getMessage().contains(weights.toString()),
                    corrupt.getMessage());
            Files.delete(weights);
            var missing = assertThrows(VcexException.class, () -> zoo.classifier(ctx, "smile"));
            assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
        }
    }

    @Test
    void interruptedTrainingResumesFromItsCheckpointToTheSameWeights() throws Exception {
        ClassifierRecipe recipe = ClassifierRecipe.smile();
        ClassifierConfig c = recipe.tiny();
        try (VcexContext ctx = VcexContext.builder().build()) {
            recipe.train(ctx, c, dir.resolve("straight"), dir.resolve("work-a"));
        }
        Path work = dir.resolve("work-b");
        try (VcexContext ctx = VcexContext.builder().optProgress(Interrupt.after(4)).build()) {
            assertThrows(IllegalStateException.class, () -> recipe.train(ctx, c, dir.resolve("resumed"), work));
        }
        assertFalse(Files.exists(dir.resolve("resumed")), "no model is written by an interrupted run");
        String state = Files.readString(work.resolve("checkpoint/state.json"));
        assertTrue(state.contains("\"step\" : 3"), "checkpoint after step 3 of 6: " + state);
        try (VcexContext ctx = VcexContext.builder().build()) {
            recipe.train(ctx, c, dir.resolve("resumed"), work);
        }
        assertEquals(Hashing.sha256(dir.resolve("straight/weights.params")),
                Hashing.sha256(dir.resolve("resumed/weights.params")), "resuming gives the weights of an uninterrupted run");
    }

    @Test
    void inputGradientsFlowThroughTheInferenceModeNetwork() {
        ClassifierRecipe recipe = ClassifierRecipe.eyeglasses();
        try (VcexContext ctx = VcexContext.builder().build()) {
            recipe.train(ctx, recipe.tiny(), dir.resolve("m"), dir.resolve("w"));
            WhiteBoxClassifier c = recipe.load(ctx, recipe.tiny(), dir.resolve("m"));
            try (NDManager m = ctx.newScope()) {
                FaceTensors faces = FaceTensors.render(new FacesWorld(WorldConfig.inPrior(), 2), 0, 1, ctx.progress());
                NDArray x = faces.batch(m, new int[] {0}).toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                        .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                NDArray g = Gradients.of(m, x, v -> c.logits(v).sum());
                // directional finite difference along the gradient: f(x + h g) - f(x - h g) ~ 2 h |g|^2
                float h = 1e-2f / g.norm().getFloat();
                float fPlus = c.logits(x.add(g.mul(h))).getFloat();
                float fMinus = c.logits(x.sub(g.mul(h))).getFloat();
                float expected = 2 * h * g.square().sum().getFloat();
                assertEquals(expected, fPlus - fMinus, 0.05f * Math.abs(expected));
            }
        }
    }
}
