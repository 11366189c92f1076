package io.vcex.core.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * DDIM (Song, Meng and Ermon 2021, eq. 12): x_{i-1} = sqrt(abar_{i-1}) x0_hat +
 * sqrt(1 - abar_{i-1} - sigma_i^2) eps + sigma_i z, with
 * sigma_i = eta sqrt((1 - abar_{i-1}) / (1 - abar_i)) sqrt(1 - abar_i / abar_{i-1}). eta = 0 is the
 * deterministic sampler used to encode and decode in diffusion autoencoders; {@link #invert}
 * runs it backwards (x_i to x_{i+1}) to encode an image into its x_T.
 *
 * @param schedule the (usually respaced) schedule
 * @param eta 0 for deterministic sampling, 1 for DDPM-like noise
 * @param clipX0 clip x0_hat to [-1, 1] and use the noise consistent with the clipped estimate
 *     (improved-diffusion's {@code clip_denoised}, on when sampling images from noise; off for
 *     encoding and decoding, which must stay invertible)
 */
public record DdimSampler(NoiseSchedule schedule, double eta, boolean clipX0) implements Sampler {

    /**
     * @param schedule the schedule
     * @param eta eta
     */
    public DdimSampler(NoiseSchedule schedule, double eta) {
        this(schedule, eta, false);
    }

    /** Validates eta. */
    public DdimSampler {
        if (!(eta >= 0 && eta <= 1)) {
            throw new io.vcex.core.config.ConfigException("eta", eta, "must lie in [0, 1]");
        }
    }

    /**
     * @param i step
     * @return sigma_i
     */
    public double sigma(int i) {
        double abar = schedule.alphaBar(i);
        double abarPrev = schedule.alphaBarPrev(i);
        return eta * Math.sqrt((1 - abarPrev) / (1 - abar)) * Math.sqrt(1 - abar / abarPrev);
    }

    @Override
    public NDArray mean(NDArray xi, NDArray eps, int i) {
        double abarPrev = schedule.alphaBarPrev(i);
        double s = sigma(i);
        NDArray x0 = predictX0(xi, eps, i);
        NDArray e = eps;
        if (clipX0) {
            double abar = schedule.alphaBar(i);
            x0 = x0.clip(-1f, 1f);
            e = xi.sub(x0.mul((float) Math.sqrt(abar))).div((float) Math.sqrt(1 - abar));
        }
        return x0.mul((float) Math.sqrt(abarPrev)).add(e.mul((float) Math.sqrt(Math.max(0, 1 - abarPrev - s * s))));
    }

    @Override
    public double variance(int i) {
        double s = sigma(i);
        return s * s;
    }

    /**
     * One step of deterministic DDIM inversion: from x_i to x_{i+1} with the noise predicted at x_i,
     * x_{i+1} = sqrt(abar_{i+1}) x0_hat + sqrt(1 - abar_{i+1}) eps.
     *
     * @param xi batch at step i
     * @param eps noise predicted at (x_i, i)
     * @param i step, 0..steps-2
     * @return x_{i+1}
     */
    public NDArray invert(NDArray xi, NDArray eps, int i) {
        double abarNext = schedule.alphaBar(i + 1);
        return predictX0(xi, eps, i).mul((float) Math.sqrt(abarNext)).add(eps.mul((float) Math.sqrt(1 - abarNext)));
    }
}
