package io.vcex.methods.gcd;

import io.vcex.core.config.ConfigException;

/**
 * A global counterfactual direction: a unit vector in the latent space. Moving a code z to
 * z - s v with a good step s (found by {@link LineSearch}) should flip the classifier's decision.
 *
 * @param name "g" for the g-direction, "h1", "h2", ... for h-directions
 * @param kind "g" or "h"
 * @param eigenvalue the Hessian eigenvalue of an h-direction (NaN for the g-direction)
 * @param vector the unit vector
 */
public record Direction(String name, String kind, double eigenvalue, float[] vector) {

    /** Validates. */
    public Direction {
        if (!"g".equals(kind) && !"h".equals(kind)) {
            throw new ConfigException("kind", kind, "must be g or h");
        }
        if (vector == null || vector.length == 0) {
            throw new ConfigException("vector", null, "a direction needs a vector");
        }
        vector = vector.clone();
    }

    /**
     * @param v any non-zero vector
     * @return v / |v| in float
     */
    static float[] unit(double[] v) {
        double n = 0;
        for (double x : v) {
            n += x * x;
        }
        n = Math.sqrt(n);
        if (!(n > 0) || !Double.isFinite(n)) {
            throw new io.vcex.core.VcexException("Cannot normalise a direction of norm " + n
                    + ": the proxy is flat here (more data or another source image may help)");
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / n);
        }
        return out;
    }
}
