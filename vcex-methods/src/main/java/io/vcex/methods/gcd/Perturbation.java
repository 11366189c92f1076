package io.vcex.methods.gcd;

import io.vcex.core.context.Rng;

/**
 * How the proxy's training perturbations delta of the source code are drawn: a uniformly random
 * direction times a random norm.
 */
public enum Perturbation {
    /**
     * Norm uniform on [0, r] (the authors' "uniform norm", default). Small perturbations are
     * over-represented compared with the ball's volume, which suits a local approximation.
     */
    UNIFORM_NORM,
    /** Uniform in the volume of the n-ball of radius r (norm r * U^(1/n)), as the paper's text reads. */
    UNIFORM_BALL;

    /**
     * @param rng the stream to draw from
     * @param dim the code's length n
     * @param radius r
     * @return one perturbation delta of length n
     */
    public float[] sample(Rng rng, int dim, double radius) {
        double[] u = new double[dim];
        double norm2 = 0;
        while (norm2 == 0) {
            norm2 = 0;
            for (int i = 0; i < dim; i++) {
                u[i] = rng.nextGaussian();
                norm2 += u[i] * u[i];
            }
        }
        double uniform = rng.nextDouble();
        double norm = this == UNIFORM_NORM ? radius * uniform : radius * Math.pow(uniform, 1.0 / dim);
        double scale = norm / Math.sqrt(norm2);
        float[] out = new float[dim];
        for (int i = 0; i < dim; i++) {
            out[i] = (float) (u[i] * scale);
        }
        return out;
    }
}
