package io.vcex.core.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.vcex.core.VcexException;
import io.vcex.core.context.VcexContext;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GradientsTest {

    @Test
    void gradientMatchesTheAnalyticOneAndDoesNotAccumulateAcrossCalls() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            NDArray x = m.create(new float[] {1f, -2f, 3f});
            // f(x) = sum(x^3) / 3  ->  grad = x^2
            Function<NDArray, NDArray> f = v -> v.pow(3).sum().div(3f);
            float[] g1 = Gradients.of(m, x, f).toFloatArray();
            float[] g2 = Gradients.of(m, x, f).toFloatArray();
            assertArrayEquals(new float[] {1f, 4f, 9f}, g1, 1e-6f);
            assertArrayEquals(g1, g2, 0f);
            assertEquals(false, x.hasGradient());
        }
    }

    @Test
    void gradientMatchesCentralFiniteDifferencesInDoublePrecision() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            NDArray x = m.create(new double[] {0.3, -0.7, 1.1, 0.05});
            Function<NDArray, NDArray> f = v -> v.mul(v.sin()).sum().add(v.prod().exp());
            Gradients.ValueAndGradient vg = Gradients.valueAndGradient(m, x, f);
            double[] g = vg.gradient().toDoubleArray();
            double h = 1e-6;
            double[] xs = x.toDoubleArray();
            for (int i = 0; i < xs.length; i++) {
                double[] plus = xs.clone();
                double[] minus = xs.clone();
                plus[i] += h;
                minus[i] -= h;
                double fd = (f.apply(m.create(plus)).getDouble() - f.apply(m.create(minus)).getDouble()) / (2 * h);
                assertEquals(fd, g[i], 1e-7, "component " + i);
            }
            assertEquals(f.apply(x).toType(DataType.FLOAT32, false).getFloat(), vg.value(), 1e-6f);
        }
    }

    @Test
    void nonScalarObjectiveIsAClearErrorAndLeavesNothingAlive() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            int baseline = ctx.liveArrays();
            try (NDManager m = ctx.newScope()) {
                NDArray x = m.ones(new ai.djl.ndarray.types.Shape(2, 2));
                int before = ctx.liveArrays();
                var e = assertThrows(VcexException.class, () -> Gradients.of(m, x, v -> v.mul(2)));
                assertTrue(e.getMessage().contains("(2, 2)"), e.getMessage());
                assertEquals(before, ctx.liveArrays());
            }
            assertEquals(baseline, ctx.liveArrays());
        }
    }
}
