package io.vcex.io.description;

import io.vcex.core.config.ConfigException;
import io.vcex.core.diffusion.NoiseSchedule;
import java.util.List;

/**
 * The {@code denoiser} object of a {@code vcex-model.json} of kind {@code denoiser}: the noise
 * schedule the network was trained with and the type of its timestep argument.
 *
 * <pre>{@code
 * "denoiser": {"schedule": "linear", "steps": 1000, "timestep": "int64"}
 * "denoiser": {"betas": [0.0001, 0.0002, ...], "timestep": "float32"}
 * }</pre>
 *
 * <p>The schedule is either named ({@code linear}: Ho et al. 2020, betas from 1e-4 to 0.02 at T
 * = 1000, scaled by 1000/T otherwise; {@code cosine}: Nichol and Dhariwal 2021) with its {@code
 * steps} T, or given as its betas, one per training step. Every rule is checked when the record
 * is built; a broken one is a {@link ConfigException} naming the field ({@code
 * denoiser.steps}, ...).
 *
 * @param schedule {@code linear} or {@code cosine}; leave it out when giving {@code betas}
 * @param steps T, the number of training steps of a named schedule (1 to 100000)
 * @param betas the schedule's betas, each in (0, 1), instead of a name
 * @param timestep the type of the timestep tensor the network takes: {@code float32} (default)
 *     or {@code int64}
 */
public record DenoiserSettings(String schedule, Integer steps, List<Double> betas, String timestep) {

    /** Names of {@link #schedule()}. */
    public static final List<String> SCHEDULES = List.of("linear", "cosine");

    /** Names of {@link #timestep()}. */
    public static final List<String> TIMESTEPS = List.of("float32", "int64");

    /** Validates every field and fills the default timestep type. */
    public DenoiserSettings {
        if (betas != null) {
            if (schedule != null || steps != null) {
                throw new ConfigException("denoiser.betas", "[" + betas.size() + " values]",
                        "give either the betas or a named schedule with its steps, not both");
            }
            if (betas.isEmpty() || betas.size() > 100_000) {
                throw new ConfigException("denoiser.betas", "[" + betas.size() + " values]", "needs 1 to 100000 betas");
            }
            for (int i = 0; i < betas.size(); i++) {
                Double b = betas.get(i);
                if (b == null || !(b > 0 && b < 1)) {
                    throw new ConfigException("denoiser.betas[" + i + "]", b, "each beta must lie in (0, 1)");
                }
            }
            betas = List.copyOf(betas);
        } else {
            if (schedule == null) {
                throw new ConfigException("denoiser.schedule", null, "is required: one of " + SCHEDULES
                        + " with \"steps\", or give the schedule's \"betas\"");
            }
            if (!SCHEDULES.contains(schedule)) {
                throw new ConfigException("denoiser.schedule", schedule, "must be one of " + SCHEDULES
                        + ", or leave it out and give the schedule's \"betas\"");
            }
            if (steps == null || steps < 1 || steps > 100_000) {
                throw new ConfigException("denoiser.steps", steps, "the number of training steps T of the "
                        + schedule + " schedule, 1 to 100000, is required");
            }
            if (schedule.equals("linear") && steps < 21) {
                throw new ConfigException("denoiser.steps", steps, "the scaled linear schedule needs at least 21 steps "
                        + "(beta_T = 20/T must stay below 1)");
            }
        }
        if (timestep == null) {
            timestep = "float32";
        }
        if (!TIMESTEPS.contains(timestep)) {
            throw new ConfigException("denoiser.timestep", timestep, "must be one of " + TIMESTEPS);
        }
    }

    /** @return the training schedule these settings describe */
    public NoiseSchedule noiseSchedule() {
        if (betas != null) {
            double[] b = new double[betas.size()];
            int[] t = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = betas.get(i);
                t[i] = i;
            }
            return new NoiseSchedule(b, t);
        }
        return schedule.equals("linear") ? NoiseSchedule.linear(steps) : NoiseSchedule.cosine(steps);
    }
}
