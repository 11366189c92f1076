package io.vcex.methods.gcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageData;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The line search and BB-LIG on hand-checked cases. */
class GcdLineSearchTest {
    static final float Z0 = 1.9f;

    private static CounterfactualLoss loss(NDManager scope, double lambda) {
        ImageData source = new ImageData(1, 2, 2, new float[] {s(Z0), s(Z0), s(Z0), s(Z0)});
        return CounterfactualLoss.of(scope, OneDimWorld.classifier(), featuresOf(), source, ScoreKind.LOGIT, lambda,
                new AtomicLong());
    }

    private static float s(double z) {
        return (float) OneDimWorld.sigmoid(z);
    }

    private static io.vcex.core.features.ImageFeatures featuresOf() {
        io.vcex.core.features.ImageFeatures mse = SyntheticWorld.meanSquaredDistance();
        return new io.vcex.core.features.ImageFeatures() {
            @Override
            public io.vcex.core.provenance.ModelInfo info() {
                return mse.info();
            }

            @Override
            public io.vcex.core.image.ImageSpec imageSpec() {
                return OneDimWorld.SPEC;
            }

            @Override
            public ai.djl.ndarray.NDArray poolFeatures(ai.djl.ndarray.NDArray images) {
                return mse.poolFeatures(images);
            }

            @Override
            public ai.djl.ndarray.NDArray perceptualDistance(ai.djl.ndarray.NDArray a, ai.djl.ndarray.NDArray b) {
                return mse.perceptualDistance(a, b);
            }

            @Override
            public ai.djl.ndarray.NDArray identity(ai.djl.ndarray.NDArray images) {
                return mse.identity(images);
            }
        };
    }

    @Test
    void theSearchPicksTheValidStepWithTheSmallestLoss() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager scope = ctx.newScope()) {
            int before = ctx.liveArrays();
            double[] steps = LineSearch.grid(16, 1e-4, 3.0);
            assertEquals(2.0000333, steps[10], 1e-6);
            // z - s: valid (class 0) once s > 1.9, i.e. from index 10 on
            CounterfactualLoss plain = loss(scope, 0);
            assertEquals(1, plain.imageClass());
            LineSearch.Outcome o = LineSearch.search(scope, OneDimWorld.generator(), new float[] {Z0}, new float[] {1f},
                    steps, plain, 5, true);
            for (int i = 0; i < 16; i++) {
                assertEquals(i >= 10, o.valid()[i], "step " + i);
                assertEquals(OneDimWorld.sigmoid(Z0 - steps[i]), o.probability()[i], 1e-5);
                assertEquals(Z0 - steps[i], o.loss()[i], 1e-4, "lambda 0: the loss is the logit");
            }
            assertEquals(15, o.best(), "lambda 0: the largest step has the smallest logit");
            assertEquals(3.0, o.bestStep(), 1e-9);
            assertEquals(OneDimWorld.sigmoid(Z0 - 3.0), o.counterfactual().pixels()[0], 1e-6);
            // lambda 100: distance dominates, the first valid step wins:
            // s_10: -0.1 + 100 (sig(-0.1) - sig(1.9))^2 = 15.49; s_11: -0.3 + 100 * 0.1974 = 19.44
            LineSearch.Outcome near = LineSearch.search(scope, OneDimWorld.generator(), new float[] {Z0}, new float[] {1f},
                    steps, loss(scope, 100), 16, false);
            assertEquals(10, near.best());
            assertEquals(15.49, near.bestLoss(), 0.01);
            assertNull(near.counterfactual());
            // the other way nothing flips
            LineSearch.Outcome none = LineSearch.search(scope, OneDimWorld.generator(), new float[] {Z0}, new float[] {-1f},
                    steps, plain, 16, true);
            assertFalse(none.found());
            assertEquals(Double.POSITIVE_INFINITY, none.bestLoss());
            assertEquals(1, LineSearch.bestOf(none, o, near), "combined: the smallest loss among valid outcomes (-1.1)");
            assertEquals(before, ctx.liveArrays());
        }
    }

    @Test
    void bbLigMatchesAHandComputedPath() {
        // x^0 = [1, 0.5], x^1 = [0.5, 0.5], x^2 = [0, 0.25]; f = 0.9, 0.5, 0.0; b = 2
        // pixel 0: (1 - 0) * 1/2 * (0.4 / 0.5 + 0.5 / 0.5) = 0.9
        // pixel 1: (0.5 - 0.25) * 1/2 * (0 [no change] + 0.5 / 0.25) = 0.25
        List<ImageData> path = List.of(new ImageData(1, 1, 2, new float[] {1f, 0.5f}),
                new ImageData(1, 1, 2, new float[] {0.5f, 0.5f}), new ImageData(1, 1, 2, new float[] {0f, 0.25f}));
        float[] a = BbLig.integrate(path, new double[] {0.9, 0.5, 0.0}, 0);
        assertEquals(0.9, a[0], 1e-6);
        assertEquals(0.25, a[1], 1e-6);
        // channels are summed: three identical channels give three times the map
        List<ImageData> rgb = path.stream().map(ImageData::toRgb).toList();
        float[] c = BbLig.integrate(rgb, new double[] {0.9, 0.5, 0.0}, 0);
        assertEquals(2.7, c[0], 1e-5);
        assertEquals(0.75, c[1], 1e-5);
        // a tolerance treats small changes as none
        float[] tol = BbLig.integrate(path, new double[] {0.9, 0.5, 0.0}, 0.3);
        assertEquals(0.9, tol[0], 1e-6);
        assertEquals(0.0, tol[1], 1e-6);
        float[] ad = BbLig.absoluteDifference(path.get(0), path.get(2));
        assertEquals(1.0, ad[0], 1e-6);
        assertEquals(0.25, ad[1], 1e-6);
    }

    @Test
    void bbLigFindsTheBaselineAndIsCompleteWhenTheClassifierIsTheMeanPixel() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager scope = ctx.newScope()) {
            int before = ctx.liveArrays();
            GcdConfig cfg = GcdConfig.defaults().withCompute(81, 32);
            CounterfactualLoss l = loss(scope, 1);
            // path steps 0.1 apart up to 8: p = sig(1.9 - 0.1 k) < 0.01 first at k = 65
            BbLig.Attribution a = BbLig.attribute(scope, OneDimWorld.generator(), new float[] {Z0}, new float[] {1f}, 8.0,
                    l, cfg);
            assertTrue(a.found());
            assertEquals(65, a.baselineIndex());
            assertEquals(6.5, a.baselineStep(), 1e-9);
            assertEquals(81, a.pathProbability().length);
            assertTrue(a.pathProbability()[64] >= 0.01 && a.pathProbability()[65] < 0.01);
            // f is the mean pixel, so df/dx = 1 per pixel and each pixel gets x - x'
            double expected = OneDimWorld.sigmoid(1.9) - OneDimWorld.sigmoid(1.9 - 6.5);
            for (int i = 0; i < 4; i++) {
                assertEquals(expected, a.bbLig()[i], 2e-3, "pixel " + i);
                assertEquals(expected, a.absoluteDifference()[i], 1e-5);
                // BB-IG from black: f(alpha x) = alpha mean(x), so each pixel gets x itself
                assertEquals(OneDimWorld.sigmoid(1.9), a.bbIg()[i], 2e-3);
            }
            assertNotNull(a.baseline());
            // no point below 0.01 within s_max = 3: attribution all zeros
            BbLig.Attribution none = BbLig.attribute(scope, OneDimWorld.generator(), new float[] {Z0}, new float[] {1f}, 3.0,
                    l, cfg);
            assertFalse(none.found());
            for (float v : none.bbLig()) {
                assertEquals(0f, v);
            }
            assertEquals(before, ctx.liveArrays());
        }
    }
}
