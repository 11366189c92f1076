package io.vcex.zoo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import io.vcex.core.autograd.Gradients;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.zoo.nn.Net;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainLoopTest {
    @TempDir
    Path dir;

    private float[] train(VcexContext ctx, boolean backwardInBatchPhase, String name) {
        return train(ctx, backwardInBatchPhase, name, 5, 0);
    }

    private float[] train(VcexContext ctx, boolean backwardInBatchPhase, String name, int steps, double emaDecay) {
        try (Net net = new Net(Linear.builder().setUnits(1).build(), ctx.manager(), new Rng(1), new Shape(1, 3))) {
            TrainSettings settings = new TrainSettings(steps, 4, 0.1, 0, 0, 100);
            TrainLoop.run(ctx, "training test", net, settings, dir.resolve(name), "h", emaDecay, 0, new TrainLoop.Objective<NDArray>() {
                @Override
                public NDArray batch(NDManager scope, int step) {
                    NDArray x = new Rng(step).normal(scope, new Shape(4, 3));
                    if (backwardInBatchPhase) {
                        // what an adversarial attack does: a backward pass through the unfrozen net
                        Gradients.of(scope, x, v -> net.forward1(false, v).square().sum().mul(100f));
                    }
                    return x;
                }

                @Override
                public NDArray loss(NDManager scope, int step, NDArray x) {
                    return net.forward1(true, x).sub(1f).square().mean();
                }
            });
            float[] w = new float[0];
            for (NDArray p : net.trainable()) {
                float[] a = p.toFloatArray();
                float[] both = java.util.Arrays.copyOf(w, w.length + a.length);
                System.arraycopy(a, 0, both, w.length, a.length);
                w = both;
            }
            return w;
        }
    }

    @Test
    void gradientsLeftByTheBatchPhaseDoNotReachTheUpdate() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            float[] initial;
            try (Net fresh = new Net(Linear.builder().setUnits(1).build(), ctx.manager(), new Rng(1), new Shape(1, 3))) {
                initial = fresh.trainable().get(0).toFloatArray();
            }
            float[] clean = train(ctx, false, "a");
            float[] attacked = train(ctx, true, "b");
            assertEquals(4, clean.length);
            assertFalse(java.util.Arrays.equals(initial, java.util.Arrays.copyOf(clean, initial.length)),
                    "training moves the weights (so the comparison below is not vacuous)");
            assertArrayEquals(clean, attacked, 0f, "a backward pass in batch() must not change the weights' update");
        }
    }

    @Test
    void theMovingAverageIsWhatTheNetworkHoldsAtTheEnd() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            float[] w0;
            try (Net fresh = new Net(Linear.builder().setUnits(1).build(), ctx.manager(), new Rng(1), new Shape(1, 3))) {
                w0 = fresh.trainable().get(0).toFloatArray();
            }
            float[] w1 = train(ctx, false, "plain1", 1, 0);
            float[] w2 = train(ctx, false, "plain2", 2, 0);
            float[] avg1 = train(ctx, false, "ema1", 1, 0.5);
            float[] avg2 = train(ctx, false, "ema2", 2, 0.5);
            for (int k = 0; k < w0.length; k++) {
                // theta_ema = d theta_ema + (1 - d) theta after every update, starting from the initial weights
                assertEquals(0.5 * w0[k] + 0.5 * w1[k], avg1[k], 1e-6);
                assertEquals(0.25 * w0[k] + 0.25 * w1[k] + 0.5 * w2[k], avg2[k], 1e-6);
            }
        }
    }

    @Test
    void clippingScalesAllGradientsToTheGlobalNorm() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager scope = ctx.newScope()) {
            NDArray a = scope.create(new float[] {1, 2});
            NDArray b = scope.create(new float[] {2});
            for (NDArray p : java.util.List.of(a, b)) {
                p.setRequiresGradient(true);
            }
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                gc.backward(a.mul(scope.create(new float[] {3, 0})).sum().add(b.mul(4f).sum())); // grads (3, 0) and (4): norm 5
            }
            TrainLoop.clip(scope, java.util.List.of(a, b), 10);
            assertArrayEquals(new float[] {3, 0}, a.getGradient().toFloatArray(), 0f, "below the bound: unchanged");
            TrainLoop.clip(scope, java.util.List.of(a, b), 1);
            assertArrayEquals(new float[] {0.6f, 0}, a.getGradient().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0.8f}, b.getGradient().toFloatArray(), 1e-6f);
        }
    }

    private float[] trainWithNan(VcexContext ctx, String name, java.util.function.IntPredicate nanAt, int steps) {
        return trainWithNan(ctx, name, nanAt, s -> false, steps);
    }

    private float[] trainWithNan(VcexContext ctx, String name, java.util.function.IntPredicate nanAt,
            java.util.function.IntPredicate nanGradientAt, int steps) {
        try (Net net = new Net(Linear.builder().setUnits(1).build(), ctx.manager(), new Rng(1), new Shape(1, 3))) {
            TrainLoop.run(ctx, "training test", net, new TrainSettings(steps, 4, 0.1, 0, 0, 100), dir.resolve(name), "h", 0, 0,
                    new TrainLoop.Objective<NDArray>() {
                        @Override
                        public NDArray batch(NDManager scope, int step) {
                            return new Rng(step).normal(scope, new Shape(4, 3));
                        }

                        @Override
                        public NDArray loss(NDManager scope, int step, NDArray x) {
                            NDArray out = net.forward1(true, x);
                            NDArray l = out.sub(1f).square().mean();
                            if (nanGradientAt.test(step)) {
                                // finite loss, NaN gradient: d sqrt(u) / du is infinite at u = 0, times du/dw = 0
                                return l.add(out.mul(0f).sqrt().sum());
                            }
                            return nanAt.test(step) ? l.mul(Float.NaN) : l;
                        }
                    });
            return net.trainable().get(0).toFloatArray();
        }
    }

    @Test
    void aNonFiniteStepIsSkippedAndAStreakOfThemStopsTheRun() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            float[] initial;
            try (Net fresh = new Net(Linear.builder().setUnits(1).build(), ctx.manager(), new Rng(1), new Shape(1, 3))) {
                initial = fresh.trainable().get(0).toFloatArray();
            }
            // one step whose loss is NaN: skipped, the weights stay as they were
            assertArrayEquals(initial, trainWithNan(ctx, "n1", s -> s == 0, 1), 0f);
            // a NaN in the middle: the run goes on and its weights stay finite and trained
            float[] middle = trainWithNan(ctx, "n2", s -> s == 2, 5);
            for (float v : middle) {
                org.junit.jupiter.api.Assertions.assertTrue(Float.isFinite(v));
            }
            assertFalse(java.util.Arrays.equals(initial, middle));
            // a finite loss with a NaN gradient: skipped, and the NaN must not stay in the gradient buffers
            float[] gradient = trainWithNan(ctx, "n4", s -> false, s -> s == 1, 15);
            for (float v : gradient) {
                org.junit.jupiter.api.Assertions.assertTrue(Float.isFinite(v));
            }
            io.vcex.core.VcexException e = org.junit.jupiter.api.Assertions.assertThrows(io.vcex.core.VcexException.class,
                    () -> trainWithNan(ctx, "n3", s -> s >= 2, 20));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("not finite at 11 steps in a row (the last 12)"),
                    e.getMessage());
        }
    }
}
