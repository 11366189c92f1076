package io.vcex.core.diffusion;

import io.vcex.core.config.ConfigException;
import java.util.Arrays;

/**
 * A discrete DDPM noise schedule, pure arithmetic (no tensors): betas beta_1..beta_T and what
 * follows from them, alpha_t = 1 - beta_t and alpha-bar_t = prod_{s<=t} alpha_s (Ho et al. 2020,
 * eq. 4: q(x_t | x_0) = N(sqrt(alpha-bar_t) x_0, (1 - alpha-bar_t) I)).
 *
 * <p>Index i of every array is timestep i of this schedule (0-based). A respaced schedule keeps,
 * in {@link #timesteps()}, the training-schedule timestep each of its steps stands for, which is
 * what the denoiser must be given.
 *
 * @param betas beta per step, each in (0, 1)
 * @param timesteps for each step, the timestep of the training schedule it corresponds to
 */
public record NoiseSchedule(double[] betas, int[] timesteps) {

    /** Validates the betas and the timestep map. */
    public NoiseSchedule {
        if (betas == null || betas.length == 0) {
            throw new ConfigException("betas", null, "a schedule needs at least one step");
        }
        for (int i = 0; i < betas.length; i++) {
            if (!(betas[i] > 0 && betas[i] < 1)) {
                throw new ConfigException("betas[" + i + "]", betas[i], "each beta must lie in (0, 1)");
            }
        }
        if (timesteps == null || timesteps.length != betas.length) {
            throw new ConfigException("timesteps", timesteps == null ? null : timesteps.length,
                    "one training timestep per step is required");
        }
        betas = betas.clone();
        timesteps = timesteps.clone();
    }

    /**
     * The schedule of Ho et al. (2020): betas linear from 1e-4 to 0.02 for T = 1000, scaled by
     * 1000/T for other T as in Nichol and Dhariwal (2021).
     *
     * @param steps T
     * @return the linear schedule
     */
    public static NoiseSchedule linear(int steps) {
        if (steps < 1) {
            throw new ConfigException("steps", steps, "must be a positive whole number");
        }
        double scale = 1000.0 / steps;
        double start = scale * 1e-4;
        double end = scale * 0.02;
        if (end >= 1) {
            throw new ConfigException("steps", steps, "the scaled linear schedule needs at least 21 steps "
                    + "(beta_T = 20/T must stay below 1); use the cosine schedule for fewer");
        }
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) {
            b[i] = steps == 1 ? start : start + (end - start) * i / (steps - 1);
        }
        return new NoiseSchedule(b, identity(steps));
    }

    /**
     * The cosine schedule of Nichol and Dhariwal (2021, eq. 17): alpha-bar(t) = f(t)/f(0),
     * f(t) = cos^2(((t/T) + s)/(1 + s) * pi/2), s = 0.008, betas clipped at 0.999.
     *
     * @param steps T
     * @return the cosine schedule
     */
    public static NoiseSchedule cosine(int steps) {
        if (steps < 1) {
            throw new ConfigException("steps", steps, "must be a positive whole number");
        }
        double s = 0.008;
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) {
            double a1 = cosineAlphaBar((double) i / steps, s);
            double a2 = cosineAlphaBar((double) (i + 1) / steps, s);
            b[i] = Math.min(1 - a2 / a1, 0.999);
        }
        return new NoiseSchedule(b, identity(steps));
    }

    private static double cosineAlphaBar(double t, double s) {
        double c = Math.cos((t + s) / (1 + s) * Math.PI / 2);
        return c * c;
    }

    private static int[] identity(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i;
        }
        return t;
    }

    /** @return a copy of the betas (the schedule stays immutable) */
    @Override
    public double[] betas() {
        return betas.clone();
    }

    /** @return a copy of the training timestep of every step */
    @Override
    public int[] timesteps() {
        return timesteps.clone();
    }

    /**
     * @param i step
     * @return beta_i
     */
    public double beta(int i) {
        return betas[i];
    }

    /** @return the number of steps */
    public int steps() {
        return betas.length;
    }

    /**
     * @param i step
     * @return alpha_i = 1 - beta_i
     */
    public double alpha(int i) {
        return 1 - betas[i];
    }

    /** @return alpha-bar for every step: the running product of alphas */
    public double[] alphasCumprod() {
        double[] a = new double[betas.length];
        double p = 1;
        for (int i = 0; i < betas.length; i++) {
            p *= 1 - betas[i];
            a[i] = p;
        }
        return a;
    }

    /**
     * @param i step
     * @return alpha-bar_i
     */
    public double alphaBar(int i) {
        return alphasCumprod()[i];
    }

    /**
     * @param i step
     * @return alpha-bar_{i-1}, with alpha-bar_{-1} = 1
     */
    public double alphaBarPrev(int i) {
        return i == 0 ? 1.0 : alphasCumprod()[i - 1];
    }

    /**
     * Posterior variance of q(x_{i-1} | x_i, x_0) (Ho et al. eq. 7):
     * beta-tilde_i = (1 - alpha-bar_{i-1}) / (1 - alpha-bar_i) * beta_i.
     *
     * @param i step
     * @return beta-tilde_i
     */
    public double posteriorVariance(int i) {
        return (1 - alphaBarPrev(i)) / (1 - alphaBar(i)) * betas[i];
    }

    /**
     * Respaces to {@code count} evenly spaced steps, as improved-diffusion's
     * {@code space_timesteps}: keep the steps at round(k * (T-1)/(count-1)) and recompute each
     * kept beta as 1 - alpha-bar_t / alpha-bar_{previous kept t}, so alpha-bar at every kept step
     * is unchanged.
     *
     * @param count steps to keep, 1..T (T returns this schedule unchanged)
     * @return the respaced schedule; its {@link #timesteps()} name the kept training steps
     */
    public NoiseSchedule respace(int count) {
        int total = steps();
        if (count < 1 || count > total) {
            throw new ConfigException("steps", count, "respacing needs 1.." + total + " steps");
        }
        if (count == total) {
            return this;
        }
        double[] abar = alphasCumprod();
        int[] kept = new int[count];
        double stride = count == 1 ? 0 : (double) (total - 1) / (count - 1);
        for (int k = 0; k < count; k++) {
            kept[k] = count == 1 ? total - 1 : (int) Math.round(k * stride);
        }
        double[] b = new double[count];
        double last = 1.0;
        for (int k = 0; k < count; k++) {
            b[k] = 1 - abar[kept[k]] / last;
            last = abar[kept[k]];
        }
        int[] original = new int[count];
        for (int k = 0; k < count; k++) {
            original[k] = timesteps[kept[k]];
        }
        return new NoiseSchedule(b, original);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoiseSchedule n && Arrays.equals(betas, n.betas) && Arrays.equals(timesteps, n.timesteps);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(betas) + Arrays.hashCode(timesteps);
    }

    @Override
    public String toString() {
        return "NoiseSchedule[steps=" + steps() + ", beta_1=" + betas[0] + ", beta_T=" + betas[steps() - 1] + "]";
    }
}
