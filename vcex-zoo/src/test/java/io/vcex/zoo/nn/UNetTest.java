package io.vcex.zoo.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import org.junit.jupiter.api.Test;

class UNetTest {

    @Test
    void groupNormNormalisesEachGroupOfEachSample() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            GroupNorm gn = new GroupNorm(2, 4);
            gn.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 4, 1, 2));
            // group 1 = channels 0-1 = {1, 3, 5, 7} (mean 4, variance 5); group 2 = {10, 10, 10, 14} (mean 11, variance 3)
            NDArray x = m.create(new float[] {1, 3, 5, 7, 10, 10, 10, 14}).reshape(1, 4, 1, 2);
            float[] y = gn.forward(new ai.djl.training.ParameterStore(m, false), new NDList(x), false).singletonOrThrow().toFloatArray();
            double s1 = Math.sqrt(5 + 1e-5);
            double s2 = Math.sqrt(3 + 1e-5);
            float[] expected = {(float) (-3 / s1), (float) (-1 / s1), (float) (1 / s1), (float) (3 / s1), (float) (-1 / s2),
                (float) (-1 / s2), (float) (-1 / s2), (float) (3 / s2)};
            assertArrayEquals(expected, y, 1e-5f);
            assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 4));
            assertEquals(8, GroupNorm.of(32).groups());
        }
    }

    @Test
    void timestepEmbeddingIsSinesThenCosines() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            float[] e = UNet.timestepEmbedding(m.create(new float[] {0, 2}), 4).toFloatArray();
            // frequencies 1 and 10000^(-1/2) = 0.01
            assertArrayEquals(new float[] {0, 0, 1, 1, (float) Math.sin(2), (float) Math.sin(0.02), (float) Math.cos(2),
                (float) Math.cos(0.02)}, e, 1e-6f);
        }
    }

    @Test
    void shapesConditioningAndZeroInitialisedOutput() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            Shape x = new Shape(2, 3, 8, 8);
            Net plain = new Net(new UNet(3, 8, new int[] {1, 2}, 0), ctx.manager(), new Rng(1), new Shape(1, 3, 8, 8), new Shape(1));
            NDArray in = new Rng(2).normal(m, x);
            NDArray t = m.create(new float[] {10, 500});
            assertEquals(x, plain.forward(false, in, t).singletonOrThrow().getShape());
            plain.zeroWeights("convOut_weight");
            float[] zero = plain.forward(false, in, t).singletonOrThrow().toFloatArray();
            assertArrayEquals(new float[zero.length], zero, 1e-6f, "a zero output layer (and zero bias) predicts zero noise");

            Net conditional = new Net(new DiffAeBlock(3, 8, new int[] {1, 2}, 4, 6), ctx.manager(), new Rng(1), x, new Shape(1),
                    new Shape(1, 6));
            NDArray z = conditional.forward1(false, in);
            assertEquals(new Shape(2, 6), z.getShape());
            float[] a = conditional.forward(false, in, t, z).singletonOrThrow().toFloatArray();
            float[] b = conditional.forward(false, in, t, z.mul(3f)).singletonOrThrow().toFloatArray();
            assertNotEquals(a[0], b[0], "the semantic code changes the prediction");
            plain.close();
            conditional.close();
        }
    }
}
