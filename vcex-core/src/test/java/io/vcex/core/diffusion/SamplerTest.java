package io.vcex.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.config.ConfigException;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerTest {
    /** betas 0.1, 0.2, 0.5: alpha-bar 0.9, 0.72, 0.36. */
    private static final NoiseSchedule THREE = new NoiseSchedule(new double[] {0.1, 0.2, 0.5}, new int[] {0, 1, 2});

    @Test
    void stepArithmeticByHand() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            NDArray x = m.create(new float[] {1f});
            NDArray eps = m.create(new float[] {0.5f});
            DdpmSampler ddpm = new DdpmSampler(THREE, false, false);
            // x0_hat = (1 - sqrt(0.64) * 0.5) / sqrt(0.36) = 1
            assertEquals(1f, ddpm.predictX0(x, eps, 2).getFloat(), 1e-6f);
            // mean = sqrt(.72) * .5 / .64 * 1 + sqrt(.5) * .28 / .64 * 1
            assertEquals(Math.sqrt(0.72) * 0.5 / 0.64 + Math.sqrt(0.5) * 0.28 / 0.64, ddpm.mean(x, eps, 2).getFloat(), 1e-6);
            assertEquals(0.21875, ddpm.variance(2), 1e-12);
            assertEquals(0.5, new DdpmSampler(THREE, true, false).variance(2), 1e-12);
            DdimSampler ddim = new DdimSampler(THREE, 0);
            // deterministic: sqrt(.72) * 1 + sqrt(.28) * .5
            assertEquals(Math.sqrt(0.72) + Math.sqrt(0.28) * 0.5, ddim.mean(x, eps, 2).getFloat(), 1e-6);
            assertEquals(0.0, ddim.variance(2));
            // x_0 at step 0 of DDIM is the clean estimate (alpha-bar_{-1} = 1)
            assertEquals(ddim.predictX0(x, eps, 0).getFloat(), ddim.mean(x, eps, 0).getFloat(), 1e-6f);
        }
    }

    @Test
    void ddimWithEtaOneIsTheDdpmStep() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            NDArray x = m.create(new float[] {0.3f, -1.2f});
            NDArray eps = m.create(new float[] {-0.7f, 0.4f});
            DdimSampler ddim = new DdimSampler(THREE, 1);
            DdpmSampler ddpm = new DdpmSampler(THREE, false, false);
            for (int i = 1; i < 3; i++) {
                assertEquals(ddpm.variance(i), ddim.variance(i), 1e-12, "variance at step " + i);
                assertArrayEquals(ddpm.mean(x, eps, i).toFloatArray(), ddim.mean(x, eps, i).toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void ddimInversionIsUndoneByTheDeterministicStep() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            NDArray x1 = m.create(new float[] {0.25f, -0.5f});
            NDArray eps = m.create(new float[] {0.1f, 0.9f});
            DdimSampler ddim = new DdimSampler(THREE, 0);
            NDArray x2 = ddim.invert(x1, eps, 1);
            assertArrayEquals(x1.toFloatArray(), ddim.mean(x2, eps, 2).toFloatArray(), 1e-6f);
        }
    }

    /** The optimal noise prediction when all data is the single point x0*. */
    private static NDArray optimalEps(NoiseSchedule s, NDArray x, NDArray x0, int i) {
        double abar = s.alphaBar(i);
        return x.sub(x0.mul((float) Math.sqrt(abar))).div((float) Math.sqrt(1 - abar));
    }

    @Test
    void fullChainsOnARespacedScheduleRecoverAPointMassDistribution() {
        NoiseSchedule s = NoiseSchedule.linear(1000).respace(25);
        try (VcexContext ctx = VcexContext.builder().seed(3).build(); NDManager m = ctx.newScope()) {
            NDArray target = m.create(new float[] {0.5f, -0.25f, 0.9f});
            for (Sampler sampler : List.of(DdpmSampler.of(s), new DdimSampler(s, 0), new DdimSampler(s, 0.5))) {
                Rng rng = new Rng(5);
                NDArray x = rng.normal(m, target.getShape());
                for (int i = s.steps() - 1; i >= 0; i--) {
                    x = sampler.step(x, optimalEps(s, x, target, i), i, rng);
                }
                assertArrayEquals(target.toFloatArray(), x.toFloatArray(), 1e-4f, sampler.toString());
            }
            // forward noising followed by its own noise gives back x0 through predictX0
            NDArray noise = new Rng(9).normal(m, target.getShape());
            DdpmSampler ddpm = DdpmSampler.of(s);
            assertArrayEquals(target.toFloatArray(), ddpm.predictX0(ddpm.noised(target, noise, 12), noise, 12).toFloatArray(),
                    1e-5f);
        }
    }

    @Test
    void etaOutsideItsRangeIsNamed() {
        var e = assertThrows(ConfigException.class, () -> new DdimSampler(THREE, 1.5));
        assertEquals("eta", e.field());
    }
}
