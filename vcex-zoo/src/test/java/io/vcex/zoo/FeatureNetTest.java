package io.vcex.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.data.world.FaceAttributes;
import io.vcex.data.world.FacesWorld;
import io.vcex.data.world.WorldConfig;
import io.vcex.zoo.card.ModelCard;
import io.vcex.zoo.data.FaceTensors;
import io.vcex.zoo.models.FeatureNet;
import io.vcex.zoo.recipes.FeatureNetRecipe;
import io.vcex.zoo.train.Losses;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureNetTest {
    @TempDir
    Path dir;

    @Test
    void ntXentMatchesAHandComputedValue() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            // rows 0/2 and 1/3 are positive pairs; 0 and 1 are orthogonal. With tau = 1 each row's
            // loss is -log(e / (e + 1 + 1)) = log(1 + 2/e)
            NDArray e = m.create(new float[] {1, 0, 0, 1, 2, 0, 0, 3}, new Shape(4, 2));
            assertEquals(Math.log(1 + 2 / Math.E), Losses.ntXent(e, 1f).getFloat(), 1e-5);
        }
    }

    @Test
    void tinyRecipeGivesUnitIdentitiesAndAProperPerceptualDistance() {
        FeatureNetRecipe recipe = FeatureNetRecipe.standard();
        try (VcexContext ctx = VcexContext.builder().build()) {
            ModelCard card = recipe.train(ctx, recipe.tiny(), dir.resolve("feature-net"), dir.resolve("work"));
            assertTrue(card.metrics().containsKey("verification_accuracy_cos0.5"), card.metrics().toString());
            int before = ctx.liveArrays();
            try (FeatureNet fn = recipe.load(ctx, recipe.tiny(), dir.resolve("feature-net")); NDManager m = ctx.newScope()) {
                FaceTensors faces = FaceTensors.render(new FacesWorld(WorldConfig.inPrior(), 3), 0, 3, ctx.progress());
                NDArray a = faces.batch(m, new int[] {0, 1});
                NDArray b = faces.batch(m, new int[] {1, 2});
                NDArray id = fn.identity(a);
                assertEquals(new Shape(2, 8), id.getShape());
                assertArrayEquals(new float[] {1f, 1f}, id.norm(new int[] {1}).toFloatArray(), 1e-5f);
                assertArrayEquals(new float[] {0f, 0f}, fn.perceptualDistance(a, a).toFloatArray(), 1e-6f);
                float[] ab = fn.perceptualDistance(a, b).toFloatArray();
                assertArrayEquals(ab, fn.perceptualDistance(b, a).toFloatArray(), 1e-5f);
                assertTrue(ab[0] > 0 && ab[1] > 0);
                assertEquals(new Shape(2, 16), fn.poolFeatures(a).getShape());
                var e = assertThrows(VcexException.class, () -> fn.identity(m.zeros(new Shape(1, 3, 32, 32))));
                assertTrue(e.getMessage().contains("(1, 3, 32, 32)"), e.getMessage());
            }
            assertEquals(before, ctx.liveArrays());
        }
    }

    @Test
    void identityViewsKeepThePersonAndChangeTheRest() throws Exception {
        var method = FeatureNetRecipe.class.getDeclaredMethod("views", FacesWorld.class, Rng.class, int.class);
        method.setAccessible(true);
        @SuppressWarnings("unchecked")
        List<FaceAttributes> v = (List<FaceAttributes>) method.invoke(null, new FacesWorld(WorldConfig.full(), 1),
                new Rng(4), 6);
        boolean smileVaries = false;
        for (FaceAttributes f : v) {
            assertEquals(v.get(0).skinTone(), f.skinTone());
            assertEquals(v.get(0).hairColor(), f.hairColor());
            assertEquals(v.get(0).nuisance().faceWidth(), f.nuisance().faceWidth());
            smileVaries |= f.smiling() != v.get(0).smiling();
        }
        assertTrue(smileVaries, "expression changes between views");
    }
}
