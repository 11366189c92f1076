package io.vcex.core.context;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class VcexContextTest {

    @Test
    void longLoopKeepsTheLiveArrayCountFlat() {
        try (VcexContext ctx = VcexContext.builder().seed(5).build()) {
            NDArray state = ctx.manager().zeros(new Shape(16));
            int baseline = ctx.liveArrays();
            int[] counts = new int[3];
            for (int i = 0; i < 3000; i++) {
                NDArray next;
                try (NDManager step = ctx.newScope()) {
                    // results belong to the scope of their first operand: lend the long-lived state
                    // to the step so every temporary of state.add(...) dies with the step
                    step.tempAttachAll(state);
                    NDArray noise = ctx.rng().normal(step, new Shape(16));
                    next = state.add(noise.mul(0.01f)).tanh();
                    next.attach(ctx.manager());
                }
                state.close();
                state = next;
                if (i == 999 || i == 1999 || i == 2999) {
                    counts[i / 1000] = ctx.liveArrays();
                }
            }
            assertArrayEquals(new int[] {baseline, baseline, baseline}, counts);
        }
    }

    @Test
    void nothingStaysAliveAfterAnException() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            int baseline = ctx.liveArrays();
            assertThrows(IllegalStateException.class, () -> {
                try (NDManager step = ctx.newScope()) {
                    NDArray a = step.ones(new Shape(100, 100));
                    a.matMul(a).sum();
                    throw new IllegalStateException("failure in the middle of work");
                }
            });
            assertEquals(baseline, ctx.liveArrays());
        }
    }

    @Test
    void closingTheContextClosesEveryScope() {
        VcexContext ctx = VcexContext.builder().build();
        NDManager scope = ctx.newScope();
        NDArray a = scope.ones(new Shape(3));
        ctx.close();
        assertFalse(scope.isOpen());
        assertTrue(a.isReleased());
    }

    @Test
    void sameSeedGivesTheSameTensorsAndTheThreadSettingReachesTheEngine() {
        float[] a;
        float[] b;
        try (VcexContext ctx = VcexContext.builder().seed(9).build(); NDManager m = ctx.newScope()) {
            a = ctx.rng("noise").normal(m, new Shape(5)).toFloatArray();
        }
        try (VcexContext ctx = VcexContext.builder().seed(9).build(); NDManager m = ctx.newScope()) {
            b = ctx.rng("noise").normal(m, new Shape(5)).toFloatArray();
            assertEquals(2, ctx.threads());
            // the engine reads this property when it starts (the test runner sets it the same way)
            assertEquals("2", System.getProperty("ai.djl.pytorch.num_threads"));
        }
        assertArrayEquals(a, b);
    }
}
