package io.vcex.core.diffusion;

import ai.djl.ndarray.NDArray;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;

/**
 * A noise-prediction network eps_theta(x_t, t[, c]) of a DDPM (Ho et al. 2020), with the schedule
 * it was trained on. Images are in [-1, 1] ({@link io.vcex.core.image.ValueRange#SYMMETRIC}) on
 * this side of the boundary, as in the diffusion literature.
 */
public interface Denoiser {

    /** @return name and file hashes for provenance */
    ModelInfo info();

    /** @return the image shape it denoises */
    ImageSpec imageSpec();

    /** @return the training schedule (T steps) */
    NoiseSchedule schedule();

    /**
     * @param xt noisy images, NCHW in the [-1, 1] scale
     * @param t per-sample timesteps of the training schedule (N values in 0..T-1, float32)
     * @param condition a conditioning code (N x d, for a diffusion autoencoder's z_sem), or null
     * @return predicted noise eps, same shape as xt
     */
    NDArray predictNoise(NDArray xt, NDArray t, NDArray condition);
}
