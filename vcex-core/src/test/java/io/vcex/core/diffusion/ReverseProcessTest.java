package io.vcex.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import org.junit.jupiter.api.Test;

class ReverseProcessTest {

    /** The exact noise predictor for data N(0, s^2 I): linear in x_t. */
    private static Denoiser gaussian(double s) {
        NoiseSchedule schedule = NoiseSchedule.linear(1000);
        double[] abar = schedule.alphasCumprod();
        return new Denoiser() {
            @Override
            public ModelInfo info() {
                return ModelInfo.inMemory("gaussian");
            }

            @Override
            public ImageSpec imageSpec() {
                return new ImageSpec(1, 4, 4);
            }

            @Override
            public NoiseSchedule schedule() {
                return schedule;
            }

            @Override
            public NDArray predictNoise(NDArray xt, NDArray t, NDArray condition) {
                double a = abar[(int) t.toFloatArray()[0]];
                double posterior = Math.sqrt(a) * s * s / (a * s * s + 1 - a);
                return xt.mul((float) ((1 - Math.sqrt(a) * posterior) / Math.sqrt(1 - a)));
            }
        };
    }

    private static double roundTrip(VcexContext ctx, NDManager m, Denoiser d, NDArray x0, int steps) {
        DdimSampler sampler = new DdimSampler(d.schedule().respace(steps), 0);
        int live = ctx.liveArrays();
        NDArray xT = ReverseProcess.encode(d, sampler, x0, null);
        NDArray back = ReverseProcess.run(d, sampler, xT, steps - 1, null, new Rng(0));
        assertEquals(live + 2, ctx.liveArrays(), "only x_T and the result outlive their steps");
        // x_T of this Gaussian world is the whitened image: its scale is about 1 / s = 2 times x_0's
        assertEquals(2.0, xT.norm().getFloat() / x0.norm().getFloat(), 0.15);
        return back.sub(x0).abs().max().getFloat();
    }

    @Test
    void ddimEncodingThenDecodingRecoversTheImageUpToDiscretisation() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            Denoiser d = gaussian(0.5);
            NDArray x0 = new Rng(1).normal(m, new Shape(2, 1, 4, 4)).mul(0.5f);
            double coarse = roundTrip(ctx, m, d, x0, 100);
            double fine = roundTrip(ctx, m, d, x0, 1000);
            assertTrue(fine < 0.02, "1000-step round trip error " + fine);
            assertTrue(fine < coarse / 2, "the error shrinks with the step count: " + coarse + " at 100, " + fine + " at 1000");
        }
    }
}
