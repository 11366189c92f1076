package io.vcex.core.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * Ancestral DDPM sampling (Ho et al. 2020): the posterior mean of q(x_{i-1} | x_i, x0_hat) (eq. 7),
 * mu = sqrt(abar_{i-1}) beta_i / (1 - abar_i) x0_hat + sqrt(alpha_i) (1 - abar_{i-1}) / (1 - abar_i) x_i,
 * with x0_hat optionally clipped to [-1, 1], and a fixed variance: the posterior variance
 * beta-tilde_i ("fixed small", the default) or beta_i ("fixed large"). On a respaced schedule the
 * betas are the respaced ones (improved-diffusion's convention).
 *
 * @param schedule the schedule
 * @param largeVariance use beta_i instead of beta-tilde_i
 * @param clipX0 clip x0_hat to [-1, 1] before the mean
 */
public record DdpmSampler(NoiseSchedule schedule, boolean largeVariance, boolean clipX0) implements Sampler {

    /**
     * @param schedule the schedule
     * @return the sampler with the fixed-small variance and clipping, as in the DDPM and DVCE code
     */
    public static DdpmSampler of(NoiseSchedule schedule) {
        return new DdpmSampler(schedule, false, true);
    }

    @Override
    public NDArray mean(NDArray xi, NDArray eps, int i) {
        NDArray x0 = predictX0(xi, eps, i);
        if (clipX0) {
            x0 = x0.clip(-1f, 1f);
        }
        double abar = schedule.alphaBar(i);
        double abarPrev = schedule.alphaBarPrev(i);
        double beta = schedule.beta(i);
        double c0 = Math.sqrt(abarPrev) * beta / (1 - abar);
        double ct = Math.sqrt(1 - beta) * (1 - abarPrev) / (1 - abar);
        return x0.mul((float) c0).add(xi.mul((float) ct));
    }

    @Override
    public double variance(int i) {
        return largeVariance ? schedule.beta(i) : schedule.posteriorVariance(i);
    }
}
