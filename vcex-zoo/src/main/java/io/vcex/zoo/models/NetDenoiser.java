package io.vcex.zoo.models;

import ai.djl.ndarray.NDArray;
import io.vcex.core.VcexException;
import io.vcex.core.diffusion.Denoiser;
import io.vcex.core.diffusion.NoiseSchedule;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.zoo.nn.Net;

/** A zoo UNet as a {@link Denoiser}: eps_theta(x_t, t[, z_sem]) with its training schedule. */
public final class NetDenoiser implements Denoiser, AutoCloseable {
    private final Net net;
    private final int condDim;
    private final ImageSpec spec;
    private final NoiseSchedule schedule;
    private final ModelInfo info;

    /**
     * @param net a network of a {@link io.vcex.zoo.nn.UNet} (or a {@link io.vcex.zoo.nn.DiffAeBlock})
     * @param condDim length of its conditioning code (0: unconditional)
     * @param spec the images it denoises
     * @param schedule its training schedule
     * @param info name and hashes
     */
    public NetDenoiser(Net net, int condDim, ImageSpec spec, NoiseSchedule schedule, ModelInfo info) {
        this.net = net;
        this.condDim = condDim;
        this.spec = spec;
        this.schedule = schedule;
        this.info = info;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public ImageSpec imageSpec() {
        return spec;
    }

    @Override
    public NoiseSchedule schedule() {
        return schedule;
    }

    /** @return the length of the conditioning code (0: unconditional) */
    public int condDim() {
        return condDim;
    }

    @Override
    public NDArray predictNoise(NDArray xt, NDArray t, NDArray condition) {
        var s = xt.getShape();
        if (s.dimension() != 4 || s.get(1) != spec.channels() || s.get(2) != spec.height() || s.get(3) != spec.width()) {
            throw new VcexException("Denoiser '" + info.name() + "' takes images of " + spec + " but was given " + s);
        }
        if ((condition == null) != (condDim == 0)) {
            throw new VcexException("Denoiser '" + info.name() + "' "
                    + (condDim == 0 ? "is unconditional but was given a condition" : "needs a " + condDim + "-d condition z_sem"));
        }
        return condition == null ? net.forward(false, xt, t).singletonOrThrow()
                : net.forward(false, xt, t, condition).singletonOrThrow();
    }

    /** @return the network */
    public Net net() {
        return net;
    }

    @Override
    public void close() {
        net.close();
    }
}
