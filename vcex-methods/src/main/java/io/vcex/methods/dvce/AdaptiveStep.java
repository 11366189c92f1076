package io.vcex.methods.dvce;

/**
 * The guidance shift of one image's reverse-step mean, before the multiplication by Sigma, on flat
 * vectors.
 */
public final class AdaptiveStep {

    private AdaptiveStep() {
    }

    /**
     * DVCE's adaptive parameterisation (eq. 12-13): ||m||_2 (C_c g_c / ||g_c||_2 - C_d g_d /
     * ||g_d||_2), where m is mu_theta(x_t, t) (the paper) or eps_theta(x_t, t) (the authors' code).
     * A zero gradient contributes nothing.
     *
     * @param gc classifier gradient (after any cone projection)
     * @param gd distance gradient
     * @param m the vector whose norm scales the step
     * @param cc C_c
     * @param cd C_d
     * @return the shift
     */
    public static float[] adaptive(float[] gc, float[] gd, float[] m, double cc, double cd) {
        double nc = Math.sqrt(ConeProjection.dot(gc, gc));
        double nd = Math.sqrt(ConeProjection.dot(gd, gd));
        double scale = Math.sqrt(ConeProjection.dot(m, m));
        double a = nc == 0 ? 0 : cc / nc;
        double b = nd == 0 ? 0 : cd / nd;
        float[] out = new float[gc.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) (scale * (a * gc[j] - b * gd[j]));
        }
        return out;
    }

    /**
     * The blended-diffusion-style baseline (eq. 11): C_c g_c - C_d g_d with the raw gradients.
     *
     * @param gc classifier gradient
     * @param gd distance gradient
     * @param cc C_c
     * @param cd C_d
     * @return the shift
     */
    public static float[] fixed(float[] gc, float[] gd, double cc, double cd) {
        float[] out = new float[gc.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) (cc * gc[j] - cd * gd[j]);
        }
        return out;
    }
}
