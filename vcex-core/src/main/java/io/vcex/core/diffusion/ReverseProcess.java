package io.vcex.core.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.context.Rng;

/**
 * Running a denoiser through a sampler's (respaced) schedule: sampling from noise (or from a
 * partly noised image, as DVCE's late start does), and deterministic DDIM encoding of an image into
 * its x_T (diffusion autoencoders). Each step runs in its own scope, so memory stays flat however
 * many steps there are; only the current x_i is kept.
 */
public final class ReverseProcess {

    private ReverseProcess() {
    }

    /**
     * @param manager scope of the result
     * @param schedule the sampler's schedule
     * @param i step
     * @param n batch size
     * @return the training-schedule timestep of step i, once per sample (float32)
     */
    public static NDArray timesteps(NDManager manager, NoiseSchedule schedule, int i, int n) {
        return manager.full(new Shape(n), (float) schedule.timesteps()[i]);
    }

    /**
     * Reverse diffusion from step {@code from} down to 0.
     *
     * @param denoiser eps_theta
     * @param sampler the step rule (DDPM, DDIM) and its schedule
     * @param xFrom the batch at step {@code from} (pure noise for {@code from = steps - 1}); the
     *     result is in its scope
     * @param from first step
     * @param condition z_sem for a conditional denoiser, or null
     * @param rng the noise of stochastic steps
     * @return x_0 estimate, in [-1, 1] scale (not clipped)
     */
    public static NDArray run(Denoiser denoiser, Sampler sampler, NDArray xFrom, int from, NDArray condition, Rng rng) {
        NDManager home = xFrom.getManager();
        NDArray x = xFrom;
        long n = x.getShape().get(0);
        for (int i = from; i >= 0; i--) {
            NDArray next;
            try (NDManager step = home.newSubManager()) {
                step.tempAttachAll(x);
                if (condition != null) {
                    step.tempAttachAll(condition);
                }
                NDArray eps = denoiser.predictNoise(x, timesteps(step, sampler.schedule(), i, (int) n), condition);
                next = sampler.step(x, eps, i, rng.derive(i));
                next.attach(home);
            }
            if (x != xFrom) {
                x.close();
            }
            x = next;
        }
        return x;
    }

    /**
     * Deterministic DDIM encoding (Song et al. 2021, sec. 4.3; Preechakul et al. 2022, eq. 8):
     * x_0 to x_T by running the eta = 0 sampler backwards.
     *
     * @param denoiser eps_theta
     * @param sampler a deterministic DDIM sampler
     * @param x0 clean batch in [-1, 1]; the result is in its scope
     * @param condition z_sem, or null
     * @return x_T
     */
    public static NDArray encode(Denoiser denoiser, DdimSampler sampler, NDArray x0, NDArray condition) {
        if (sampler.eta() != 0) {
            throw new IllegalArgumentException("DDIM encoding needs eta = 0, got " + sampler.eta());
        }
        NDManager home = x0.getManager();
        NDArray x = x0;
        long n = x.getShape().get(0);
        int steps = sampler.schedule().steps();
        // step 0 stands for timestep t_0 > 0 of a respaced schedule; encoding starts from the clean image
        for (int i = 0; i < steps - 1; i++) {
            NDArray next;
            try (NDManager step = home.newSubManager()) {
                step.tempAttachAll(x);
                if (condition != null) {
                    step.tempAttachAll(condition);
                }
                NDArray eps = denoiser.predictNoise(x, timesteps(step, sampler.schedule(), i, (int) n), condition);
                next = sampler.invert(x, eps, i);
                next.attach(home);
            }
            if (x != x0) {
                x.close();
            }
            x = next;
        }
        return x;
    }
}
