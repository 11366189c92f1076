package io.vcex.core.diffusion;

import ai.djl.ndarray.NDArray;
import io.vcex.core.context.Rng;

/**
 * One reverse-diffusion algorithm over a (possibly respaced) {@link NoiseSchedule}. Steps are
 * indexed by the schedule's step number {@code i} (0 is the last, least noisy step). A sampler
 * exposes the pieces guidance needs (the denoised estimate f_dn and the Gaussian of the reverse
 * step) as well as the plain step, so a guided pipeline (DVCE) can shift the mean before drawing.
 */
public interface Sampler {

    /** @return the schedule it steps through */
    NoiseSchedule schedule();

    /**
     * The denoised estimate (Ho et al. 2020, eq. 15, rearranged):
     * x0_hat = (x_i - sqrt(1 - abar_i) eps) / sqrt(abar_i).
     *
     * @param xi the noisy batch at step i
     * @param eps the predicted noise
     * @param i step
     * @return x0_hat (not clipped)
     */
    default NDArray predictX0(NDArray xi, NDArray eps, int i) {
        double abar = schedule().alphaBar(i);
        return xi.sub(eps.mul((float) Math.sqrt(1 - abar))).div((float) Math.sqrt(abar));
    }

    /**
     * @param xi the noisy batch at step i
     * @param eps the predicted noise
     * @param i step
     * @return the mean of the reverse step's Gaussian
     */
    NDArray mean(NDArray xi, NDArray eps, int i);

    /**
     * @param i step
     * @return the variance of the reverse step's Gaussian (0 for a deterministic step)
     */
    double variance(int i);

    /**
     * One reverse step: mean + sqrt(variance) z with z standard normal (no noise at step 0).
     *
     * @param xi the noisy batch at step i
     * @param eps the predicted noise
     * @param i step
     * @param rng the noise stream
     * @return x_{i-1}
     */
    default NDArray step(NDArray xi, NDArray eps, int i, Rng rng) {
        NDArray mu = mean(xi, eps, i);
        double var = variance(i);
        if (i == 0 || var == 0) {
            return mu;
        }
        return mu.add(rng.normal(xi.getManager(), xi.getShape()).mul((float) Math.sqrt(var)));
    }

    /**
     * The forward process q(x_i | x_0) = N(sqrt(abar_i) x_0, (1 - abar_i) I), with given noise.
     *
     * @param x0 clean batch in [-1, 1]
     * @param noise standard normal noise of the same shape
     * @param i step
     * @return x_i
     */
    default NDArray noised(NDArray x0, NDArray noise, int i) {
        double abar = schedule().alphaBar(i);
        return x0.mul((float) Math.sqrt(abar)).add(noise.mul((float) Math.sqrt(1 - abar)));
    }
}
