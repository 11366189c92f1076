package io.vcex.zoo.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.context.Rng;
import io.vcex.core.diffusion.DdimSampler;
import io.vcex.core.diffusion.Denoiser;
import io.vcex.core.diffusion.ReverseProcess;
import io.vcex.core.generator.LatentGenerator;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.zoo.nn.DiffAeBlock;

/**
 * A diffusion autoencoder (Preechakul et al. 2022): the semantic encoder z_sem = Enc(x_0), the
 * stochastic code x_T found by deterministic DDIM encoding conditioned on z_sem (eq. 8), and
 * decoding of (z_sem, x_T) by DDIM. Images are in [0, 1] at this boundary.
 *
 * <p>As a {@link LatentGenerator} it decodes z_sem with a fixed x_T: {@link #withNoise} binds the
 * x_T of one source image, as GCD does when it moves that image's z_sem (GCD sec. 3).
 */
public final class DiffusionAutoencoder implements AutoCloseable {
    /** DDIM steps for encoding and decoding unless a caller chooses. */
    public static final int DEFAULT_STEPS = 20;
    private final NetDenoiser denoiser;

    /** @param denoiser the conditional UNet with the encoder, in one network ({@link DiffAeBlock}) */
    public DiffusionAutoencoder(NetDenoiser denoiser) {
        this.denoiser = denoiser;
    }

    /** @return the conditional denoiser */
    public Denoiser denoiser() {
        return denoiser;
    }

    /** @return name and hashes */
    public ModelInfo info() {
        return denoiser.info();
    }

    /** @return the images it works on, values in [0, 1] */
    public ImageSpec imageSpec() {
        return denoiser.imageSpec();
    }

    /** @return the length of z_sem */
    public int codeDim() {
        return denoiser.condDim();
    }

    private void check(NDArray images) {
        Shape s = images.getShape();
        ImageSpec spec = imageSpec();
        if (s.dimension() != 4 || s.get(1) != spec.channels() || s.get(2) != spec.height() || s.get(3) != spec.width()) {
            throw new VcexException("Diffusion autoencoder '" + info().name() + "' takes images of " + spec + " but was given " + s);
        }
    }

    /**
     * @param images NCHW in [0, 1]
     * @return z_sem, N x codeDim
     */
    public NDArray encode(NDArray images) {
        check(images);
        return denoiser.net().forward1(false, images.mul(2f).sub(1f));
    }

    /**
     * @param images NCHW in [0, 1]
     * @param z their z_sem
     * @param steps DDIM steps
     * @return x_T (deterministic DDIM encoding)
     */
    public NDArray encodeNoise(NDArray images, NDArray z, int steps) {
        check(images);
        return ReverseProcess.encode(denoiser, sampler(steps), images.mul(2f).sub(1f), z);
    }

    /**
     * @param z z_sem, N x codeDim
     * @param xT x_T, N x C x H x W
     * @param steps DDIM steps
     * @return images in [0, 1] (clipped), in xT's scope
     */
    public NDArray decode(NDArray z, NDArray xT, int steps) {
        NDArray x0 = ReverseProcess.run(denoiser, sampler(steps), xT, steps - 1, z, new Rng(0));
        return x0.clip(-1f, 1f).add(1f).div(2f);
    }

    private DdimSampler sampler(int steps) {
        return new DdimSampler(denoiser.schedule().respace(steps), 0);
    }

    /**
     * @param xT the x_T of one image (1 x C x H x W), kept fixed
     * @param steps DDIM decoding steps
     * @return z_sem to images with that x_T, as a latent generator
     */
    public LatentGenerator withNoise(NDArray xT, int steps) {
        DiffusionAutoencoder self = this;
        return new LatentGenerator() {
            @Override
            public ModelInfo info() {
                return self.info();
            }

            @Override
            public ImageSpec imageSpec() {
                return self.imageSpec();
            }

            @Override
            public Shape latentShape() {
                return new Shape(codeDim());
            }

            @Override
            public NDArray encode(NDArray images) {
                return self.encode(images);
            }

            @Override
            public NDArray decode(NDArray latents) {
                long n = latents.getShape().get(0);
                NDArray noise = xT.getShape().get(0) == n ? xT : xT.repeat(0, n);
                NDArray x = noise.duplicate();
                x.attach(latents.getManager());
                return self.decode(latents, x, steps);
            }
        };
    }

    @Override
    public void close() {
        denoiser.close();
    }
}
