package io.vcex.io.torchscript;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.context.VcexContext;
import io.vcex.core.diffusion.Denoiser;
import io.vcex.core.diffusion.NoiseSchedule;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.io.description.DenoiserSettings;
import io.vcex.io.description.ModelDescription;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A TorchScript noise-prediction network (kind {@code denoiser} of a {@code vcex-model.json}) as
 * a {@link Denoiser}, usable by DVCE's guided reverse diffusion and vcex's samplers.
 * Differentiable with respect to x_t ({@link TorchScriptModule}).
 *
 * <h2>Call signature</h2>
 *
 * <p>{@code forward(x_t: Tensor[N, C, H, W], t: Tensor[N]) -> eps: Tensor[N, C, H, W]}: x_t the
 * noisy images in the [-1, 1] scale of q(x_t | x_0) = N(sqrt(alpha-bar_t) x_0, (1 - alpha-bar_t) I)
 * (Ho et al. 2020, eq. 4), {@code C, H, W} the description's {@code input}; t the timestep of
 * the training schedule of every image, 0-based (0 is the least noisy step, T - 1 the noisiest),
 * as float32 or int64 ({@code denoiser.timestep}); eps the predicted noise. The training
 * schedule is the description's {@code denoiser} object. Unconditional only: a condition is
 * refused. Loading runs the network once (a black image at t = 0), so a signature that does not
 * fit fails at once with what libtorch said.
 *
 * <p>Exporting from PyTorch: {@code torch.jit.script(model).save("denoiser.pt")} (or {@code
 * torch.jit.trace(model, (x, t))}); a model whose forward takes other arguments (class labels,
 * a dict) needs a small wrapper module with this forward.
 */
public final class TorchScriptDenoiser implements Denoiser, AutoCloseable {
    private final ModelDescription description;
    private final ImageSpec spec;
    private final NoiseSchedule schedule;
    private final DataType timestep;
    private final ModelInfo info;
    private final TorchScriptModule module;

    private TorchScriptDenoiser(ModelDescription description, ModelInfo info, TorchScriptModule module) {
        this.description = description;
        this.spec = description.input().toImageSpec();
        DenoiserSettings s = description.denoiser();
        this.schedule = s.noiseSchedule();
        this.timestep = s.timestep().equals("int64") ? DataType.INT64 : DataType.FLOAT32;
        this.info = info;
        this.module = module;
    }

    /**
     * @param ctx the context whose root scope owns the module (until {@link #close()})
     * @param description a description of format {@code torchscript} and kind {@code denoiser}
     * @param folder the folder its {@code file} is relative to
     * @param moreHashes further files to name in the provenance (for example the description's own)
     * @return the denoiser, checked on one black image
     */
    public static TorchScriptDenoiser load(VcexContext ctx, ModelDescription description, Path folder,
            Map<String, String> moreHashes) {
        if (!description.format().equals("torchscript") || !description.kind().equals("denoiser")) {
            throw new VcexException("Model '" + description.name() + "' is a " + description.format() + " "
                    + description.kind() + ", not a torchscript denoiser");
        }
        TorchScriptModule module = TorchScriptModule.load(ctx.manager(), folder.resolve(description.file()), description.name());
        try {
            Map<String, String> hashes = new TreeMap<>(moreHashes);
            hashes.put(description.file(), module.sha256());
            TorchScriptDenoiser d = new TorchScriptDenoiser(description, new ModelInfo(description.name(), hashes), module);
            d.probe(ctx);
            return d;
        } catch (RuntimeException e) {
            module.close();
            throw e;
        }
    }

    private void probe(VcexContext ctx) {
        try (NDManager scope = ctx.newScope()) {
            NDArray x = scope.zeros(new Shape(1, spec.channels(), spec.height(), spec.width()));
            NDArray t = scope.zeros(new Shape(1));
            try {
                predictNoise(x, t, null);
            } catch (VcexException e) {
                throw new VcexException("TorchScript denoiser '" + description.name() + "' (" + module.file() + ") does not "
                        + "answer the documented call forward(x_t: Tensor[N, C, H, W], t: Tensor[N] of "
                        + description.denoiser().timestep() + ") -> eps: Tensor[N, C, H, W] for an input of shape (1, "
                        + spec.channels() + ", " + spec.height() + ", " + spec.width() + ") as the description's 'input' "
                        + "says and t = [0] ('denoiser.timestep' gives its type): "
                        + TorchScriptModule.lastLine(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
            }
        }
    }

    /** @return the description it was loaded from */
    public ModelDescription description() {
        return description;
    }

    /** @return the type of the timestep tensor the network is given */
    public DataType timestepType() {
        return timestep;
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

    @Override
    public NDArray predictNoise(NDArray xt, NDArray t, NDArray condition) {
        Shape s = xt.getShape();
        if (s.dimension() != 4 || s.get(1) != spec.channels() || s.get(2) != spec.height() || s.get(3) != spec.width()) {
            throw new VcexException("Denoiser '" + info.name() + "' takes images of " + spec + " but was given " + s);
        }
        if (condition != null) {
            throw new VcexException("Denoiser '" + info.name() + "' is a TorchScript eps(x_t, t) network and takes no condition");
        }
        if (t.size() != s.get(0)) {
            throw new VcexException("Denoiser '" + info.name() + "' needs one timestep per image: " + s.get(0)
                    + " images, " + t.size() + " timesteps");
        }
        NDArray times = t.reshape(s.get(0)).toType(timestep, false);
        NDList out = module.run("forward", xt, times);
        if (out.size() != 1) {
            throw new VcexException("Denoiser '" + info.name() + "': forward returned " + out.size() + " tensors; it must "
                    + "return the predicted noise eps as one tensor of the images' shape");
        }
        NDArray eps = out.get(0);
        if (!eps.getShape().equals(s)) {
            throw new VcexException("Denoiser '" + info.name() + "': forward returned shape "
                    + TorchScriptModule.shape(eps.getShape()) + " for x_t of shape " + TorchScriptModule.shape(s)
                    + "; the predicted noise eps must have the shape of x_t");
        }
        return eps;
    }

    @Override
    public void close() {
        module.close();
    }
}
