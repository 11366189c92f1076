package io.vcex.methods.dvce;

/**
 * The cone projection of DVCE (Augustin et al. 2022, sec. 3.2), on flat per-image vectors: the
 * robust model's gradient w is brought within angle alpha of the explained model's gradient v.
 */
public final class ConeProjection {

    private ConeProjection() {
    }

    /**
     * The paper's definition: P_cone(alpha, v)[w] = w if angle(w, v) <= alpha, else <u, w> u with
     * u = sin(alpha) P_{v-perp}(w) / ||P_{v-perp}(w)|| + cos(alpha) v / ||v|| (the unit vector on
     * the cone's boundary in the plane of v and w). Beyond 90 + alpha degrees <u, w> turns
     * negative and the formula would point away from the cone; the projection onto the cone is then
     * its apex, 0, which is returned (also for w exactly opposite to v, where u is undefined). A
     * zero v defines no cone: w is returned.
     *
     * @param w the robust gradient
     * @param v the explained model's gradient
     * @param alphaDegrees alpha
     * @return the projection (a new array)
     */
    public static float[] paper(float[] w, float[] v, double alphaDegrees) {
        double alpha = Math.toRadians(alphaDegrees);
        double vv = dot(v, v);
        double ww = dot(w, w);
        double wv = dot(w, v);
        if (vv == 0 || ww == 0) {
            return w.clone();
        }
        float[] out = new float[w.length];
        double angle = Math.acos(Math.max(-1, Math.min(1, wv / Math.sqrt(vv * ww))));
        if (angle <= alpha) {
            return w.clone();
        }
        double[] perp = new double[w.length];
        double perpNorm2 = 0;
        for (int k = 0; k < w.length; k++) {
            perp[k] = w[k] - wv / vv * v[k];
            perpNorm2 += perp[k] * perp[k];
        }
        double perpNorm = Math.sqrt(perpNorm2);
        if (perpNorm == 0) {
            return out; // w is opposite to v
        }
        double vNorm = Math.sqrt(vv);
        double[] u = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            u[k] = Math.sin(alpha) * perp[k] / perpNorm + Math.cos(alpha) * v[k] / vNorm;
        }
        double uw = 0;
        for (int k = 0; k < w.length; k++) {
            uw += u[k] * w[k];
        }
        if (uw <= 0) {
            return out;
        }
        for (int k = 0; k < w.length; k++) {
            out[k] = (float) (uw * u[k]);
        }
        return out;
    }

    /**
     * The authors' code: with n_hat = v / ||v||, return n_hat if angle(w, v) <= alpha, else
     * n_hat + tan(alpha) unit(w - (w . n_hat) n_hat). A w exactly opposite to v leaves no
     * direction to tilt towards (the code would divide by zero): n_hat is returned. A zero v gives 0.
     *
     * @param w the robust gradient
     * @param v the explained model's gradient
     * @param alphaDegrees alpha
     * @return the tilted direction (a new array)
     */
    public static float[] code(float[] w, float[] v, double alphaDegrees) {
        double alpha = Math.toRadians(alphaDegrees);
        double vNorm = Math.sqrt(dot(v, v));
        float[] out = new float[v.length];
        if (vNorm == 0) {
            return out;
        }
        double wn = 0;
        for (int k = 0; k < v.length; k++) {
            wn += w[k] * v[k] / vNorm;
        }
        double ww = dot(w, w);
        double cos = ww == 0 ? 1 : wn / Math.sqrt(ww);
        double angle = Math.acos(Math.max(-1, Math.min(1, cos)));
        double[] perp = new double[v.length];
        double perpNorm2 = 0;
        for (int k = 0; k < v.length; k++) {
            perp[k] = w[k] - wn * v[k] / vNorm;
            perpNorm2 += perp[k] * perp[k];
        }
        double perpNorm = Math.sqrt(perpNorm2);
        boolean inside = angle <= alpha || perpNorm == 0;
        for (int k = 0; k < v.length; k++) {
            out[k] = (float) (v[k] / vNorm + (inside ? 0 : Math.tan(alpha) * perp[k] / perpNorm));
        }
        return out;
    }

    /**
     * @param a a vector
     * @param b a vector of the same length
     * @return the angle between them in degrees
     */
    public static double angleDegrees(float[] a, float[] b) {
        double c = dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, c))));
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (double) a[k] * b[k];
        }
        return s;
    }
}
