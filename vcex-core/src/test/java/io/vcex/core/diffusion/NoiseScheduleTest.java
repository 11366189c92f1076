package io.vcex.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class NoiseScheduleTest {

    @Test
    void linearScheduleHasHoEtAlEndpointsAndHandComputedAlphaBar() {
        NoiseSchedule s = NoiseSchedule.linear(1000);
        assertEquals(1e-4, s.betas()[0], 1e-15);
        assertEquals(0.02, s.betas()[999], 1e-15);
        assertEquals(1e-4 + (0.02 - 1e-4) / 999, s.betas()[1], 1e-15);
        // alpha-bar_1 = (1 - b0)(1 - b1)
        assertEquals((1 - 1e-4) * (1 - s.betas()[1]), s.alphaBar(1), 1e-15);
        // known value for this schedule: alpha-bar_999 ~= 4.0358e-5
        assertEquals(4.0358e-5, s.alphaBar(999), 1e-8);
    }

    @Test
    void threeStepScheduleByHand() {
        NoiseSchedule s = new NoiseSchedule(new double[] {0.1, 0.2, 0.5}, new int[] {0, 1, 2});
        assertArrayEquals(new double[] {0.9, 0.72, 0.36}, s.alphasCumprod(), 1e-12);
        assertEquals(1.0, s.alphaBarPrev(0));
        assertEquals(0.9, s.alphaBarPrev(1), 1e-12);
        // beta-tilde_2 = (1 - .72) / (1 - .36) * .5 = .21875
        assertEquals(0.21875, s.posteriorVariance(2), 1e-12);
        assertEquals(0.0, s.posteriorVariance(0), 1e-12);
    }

    @Test
    void cosineScheduleFollowsItsClosedForm() {
        NoiseSchedule s = NoiseSchedule.cosine(1000);
        double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
        double f500 = Math.pow(Math.cos((0.5 + 0.008) / 1.008 * Math.PI / 2), 2);
        assertEquals(f500 / f0, s.alphaBar(499), 1e-9);
        assertTrue(s.betas()[999] <= 0.999);
    }

    @Test
    void respacingKeepsAlphaBarAtTheKeptStepsAndRemembersThem() {
        NoiseSchedule full = NoiseSchedule.linear(1000);
        NoiseSchedule r = full.respace(200);
        assertEquals(200, r.steps());
        assertEquals(0, r.timesteps()[0]);
        assertEquals(999, r.timesteps()[199]);
        // stride 999/199 = 5.0201..; step 100 -> round(502.01) = 502
        assertEquals(502, r.timesteps()[100]);
        for (int k = 0; k < 200; k++) {
            assertEquals(full.alphaBar(r.timesteps()[k]), r.alphaBar(k), 1e-12, "step " + k);
        }
        assertEquals(1 - full.alphaBar(5) / full.alphaBar(0), r.betas()[1], 1e-15);
        assertEquals(full, full.respace(1000));
        NoiseSchedule twice = r.respace(50);
        assertEquals(full.alphaBar(twice.timesteps()[10]), twice.alphaBar(10), 1e-12);
    }

    @Test
    void invalidSchedulesNameTheField() {
        var e = assertThrows(ConfigException.class, () -> new NoiseSchedule(new double[] {0.1, 1.0}, new int[] {0, 1}));
        assertEquals("betas[1]", e.field());
        var e2 = assertThrows(ConfigException.class, () -> NoiseSchedule.linear(100).respace(101));
        assertTrue(e2.getMessage().contains("1..100"), e2.getMessage());
        var e3 = assertThrows(ConfigException.class, () -> NoiseSchedule.linear(20));
        assertTrue(e3.getMessage().contains("at least 21 steps"), e3.getMessage());
        assertEquals(0.952381, NoiseSchedule.linear(21).betas()[20], 1e-6);
    }
}
