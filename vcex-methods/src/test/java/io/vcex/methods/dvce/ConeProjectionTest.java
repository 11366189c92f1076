package io.vcex.methods.dvce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConeProjectionTest {

    @Test
    void insideTheConeNothingChanges() {
        float[] v = {1, 0};
        float[] w = {2, 1}; // 26.6 degrees from v
        assertArrayEquals(w, ConeProjection.paper(w, v, 30), 0f);
        assertArrayEquals(new float[] {1, 0}, ConeProjection.code(w, v, 30), 0f);
    }

    @Test
    void outsideTheConeTheBoundaryIsUsed() {
        float[] v = {1, 0};
        float[] w = {0, 2}; // 90 degrees from v
        // paper: u = sin30 (0,1) + cos30 (1,0); <u, w> = 2 sin30 = 1; result = u
        float[] p = ConeProjection.paper(w, v, 30);
        assertArrayEquals(new float[] {(float) Math.cos(Math.PI / 6), 0.5f}, p, 1e-6f);
        assertEquals(30, ConeProjection.angleDegrees(p, v), 1e-4);
        // code: n_hat + tan30 (0,1)
        float[] c = ConeProjection.code(w, v, 30);
        assertArrayEquals(new float[] {1, (float) Math.tan(Math.PI / 6)}, c, 1e-6f);
        assertEquals(30, ConeProjection.angleDegrees(c, v), 1e-4);
    }

    @Test
    void anObtuseGradientProjectsToTheBoundaryScaledByItsComponent() {
        float[] v = {0, 0, 3};
        float[] w = {-1, 0, 1}; // 45 degrees, outside a 10-degree cone
        float[] p = ConeProjection.paper(w, v, 10);
        double a = Math.toRadians(10);
        double uw = Math.sin(a) + Math.cos(a); // u = sin a (-1,0,0) + cos a (0,0,1), w = (-1,0,1)
        assertArrayEquals(new float[] {(float) (uw * -Math.sin(a)), 0, (float) (uw * Math.cos(a))}, p, 1e-6f);
    }

    @Test
    void boundaryCases() {
        float[] v = {2, 0};
        // parallel: unchanged (paper), the unit explained gradient (code)
        assertArrayEquals(new float[] {5, 0}, ConeProjection.paper(new float[] {5, 0}, v, 30), 0f);
        assertArrayEquals(new float[] {1, 0}, ConeProjection.code(new float[] {5, 0}, v, 30), 0f);
        // opposite: the cone's apex (paper); nothing to tilt towards (code)
        assertArrayEquals(new float[] {0, 0}, ConeProjection.paper(new float[] {-3, 0}, v, 30), 0f);
        assertArrayEquals(new float[] {1, 0}, ConeProjection.code(new float[] {-3, 0}, v, 30), 0f);
        // beyond 90 + alpha (150 degrees here): apex
        float[] far = {(float) Math.cos(Math.toRadians(150)), (float) Math.sin(Math.toRadians(150))};
        assertArrayEquals(new float[] {0, 0}, ConeProjection.paper(far, v, 30), 0f);
        // just inside 90 + alpha: a positive multiple of the boundary vector
        float[] near = {(float) Math.cos(Math.toRadians(110)), (float) Math.sin(Math.toRadians(110))};
        float[] p = ConeProjection.paper(near, v, 30);
        assertEquals(30, ConeProjection.angleDegrees(p, v), 1e-3);
        assertEquals(Math.cos(Math.toRadians(80)), Math.hypot(p[0], p[1]), 1e-6); // <u, w> = cos(110 - 30)
        // zero gradients
        assertArrayEquals(new float[] {0, 0}, ConeProjection.paper(new float[] {0, 0}, v, 30), 0f);
        assertArrayEquals(new float[] {1, 1}, ConeProjection.paper(new float[] {1, 1}, new float[] {0, 0}, 30), 0f);
        assertArrayEquals(new float[] {0, 0}, ConeProjection.code(new float[] {1, 1}, new float[] {0, 0}, 30), 0f);
    }

    @Test
    void adaptiveStepByHand() {
        // ||mu|| = 10; unit gradients (0.6, 0.8) and (0, 1): 10 (0.1 (0.6, 0.8) - 0.15 (0, 1)) = (0.6, -0.7)
        float[] s = AdaptiveStep.adaptive(new float[] {3, 4}, new float[] {0, 2}, new float[] {6, 8}, 0.1, 0.15);
        assertArrayEquals(new float[] {0.6f, -0.7f}, s, 1e-6f);
        // the gradients' sizes do not matter, only their directions
        assertArrayEquals(s, AdaptiveStep.adaptive(new float[] {300, 400}, new float[] {0, 1e-3f}, new float[] {6, 8}, 0.1, 0.15), 1e-5f);
        // a zero gradient contributes nothing
        assertArrayEquals(new float[] {0, -1.5f}, AdaptiveStep.adaptive(new float[] {0, 0}, new float[] {0, 2}, new float[] {6, 8}, 0.1, 0.15), 1e-6f);
        // the baseline uses the raw gradients
        assertArrayEquals(new float[] {0.3f, 0.1f}, AdaptiveStep.fixed(new float[] {3, 4}, new float[] {0, 2}, 0.1, 0.15), 1e-6f);
    }
}
