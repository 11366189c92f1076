package io.vcex.io.torchscript;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.context.VcexContext;
import io.vcex.core.generator.LatentGenerator;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.io.description.GeneratorSettings;
import io.vcex.io.description.ModelDescription;
import io.vcex.io.description.ModelInput;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A TorchScript autoencoder or encoder-decoder generator (kind {@code generator} of a {@code
 * vcex-model.json}) as a {@link LatentGenerator}, usable by GCD (which moves codes and decodes
 * them; it never differentiates through the generator).
 *
 * <h2>Call signature</h2>
 *
 * <p>Two methods of the module, named by {@code generator.encode} and {@code generator.decode}
 * (default {@code encode} and {@code decode}; export them with {@code @torch.jit.export} before
 * {@code torch.jit.script}):
 *
 * <pre>{@code
 * encode(x: Tensor[N, C, H, W]) -> z: Tensor[N, *latent]
 * decode(z: Tensor[N, *latent]) -> x: Tensor[N, C, H, W]
 * }</pre>
 *
 * <p>{@code C, H, W} are the description's {@code input}, {@code latent} is {@code
 * generator.latent}. Images on the model's side are in the description's {@code range}, then
 * normalised by {@code mean} and {@code std}: vcex maps its [0, 1] images there before {@code
 * encode} ({@link ModelInput#apply}) and maps what {@code decode} returns back ({@link
 * ModelInput#invert}, then clipped to [0, 1]). Loading encodes and decodes one black image, so a
 * signature or latent shape that does not fit fails at once, naming the field.
 */
public final class TorchScriptGenerator implements LatentGenerator, AutoCloseable {
    private final ModelDescription description;
    private final GeneratorSettings settings;
    private final ImageSpec spec;
    private final Shape latent;
    private final ModelInfo info;
    private final ModelInput input;
    private final TorchScriptModule module;

    private TorchScriptGenerator(ModelDescription description, ModelInfo info, TorchScriptModule module) {
        this.description = description;
        this.settings = description.generator();
        this.spec = description.input().toImageSpec();
        this.latent = new Shape(settings.latentShape());
        this.info = info;
        this.input = new ModelInput(description);
        this.module = module;
    }

    /**
     * @param ctx the context whose root scope owns the module (until {@link #close()})
     * @param description a description of format {@code torchscript} and kind {@code generator}
     * @param folder the folder its {@code file} is relative to
     * @param moreHashes further files to name in the provenance (for example the description's own)
     * @return the generator, checked on one black image
     */
    public static TorchScriptGenerator load(VcexContext ctx, ModelDescription description, Path folder,
            Map<String, String> moreHashes) {
        if (!description.format().equals("torchscript") || !description.kind().equals("generator")) {
            throw new VcexException("Model '" + description.name() + "' is a " + description.format() + " "
                    + description.kind() + ", not a torchscript generator");
        }
        TorchScriptModule module = TorchScriptModule.load(ctx.manager(), folder.resolve(description.file()), description.name());
        try {
            GeneratorSettings s = description.generator();
            for (String[] m : new String[][] {{"generator.encode", s.encode()}, {"generator.decode", s.decode()}}) {
                if (!module.methods().contains(m[1])) {
                    throw new VcexException("TorchScript generator '" + description.name() + "' (" + module.file() + ") has no "
                            + "method '" + m[1] + "' (the description's '" + m[0] + "'); its methods are " + module.methods()
                            + ". Name the right one in '" + m[0] + "', or export it with @torch.jit.export before "
                            + "torch.jit.script");
                }
            }
            Map<String, String> hashes = new TreeMap<>(moreHashes);
            hashes.put(description.file(), module.sha256());
            TorchScriptGenerator g = new TorchScriptGenerator(description, new ModelInfo(description.name(), hashes), module);
            g.probe(ctx);
            return g;
        } catch (RuntimeException e) {
            module.close();
            throw e;
        }
    }

    private void probe(VcexContext ctx) {
        try (NDManager scope = ctx.newScope()) {
            NDArray black = scope.zeros(new Shape(1, spec.channels(), spec.height(), spec.width()));
            NDArray z;
            try {
                z = encode(black);
            } catch (VcexException e) {
                throw new VcexException("TorchScript generator '" + description.name() + "': encoding a black image of "
                        + "shape (1, " + spec.channels() + ", " + spec.height() + ", " + spec.width() + "), as the "
                        + "description's 'input' says, failed: " + e.getMessage(), e);
            }
            decode(z);
        }
    }

    /** @return the description it was loaded from */
    public ModelDescription description() {
        return description;
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
    public Shape latentShape() {
        return latent;
    }

    @Override
    public NDArray encode(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != spec.channels() || s.get(2) != spec.height() || s.get(3) != spec.width()) {
            throw new VcexException("Generator '" + info.name() + "' encodes images of " + spec + " but was given " + s);
        }
        NDArray z = single(module.run(settings.encode(), input.apply(images)), settings.encode());
        Shape expected = new Shape(s.get(0)).addAll(latent);
        if (!z.getShape().equals(expected)) {
            throw new VcexException("Generator '" + info.name() + "': " + settings.encode() + " returned shape "
                    + TorchScriptModule.shape(z.getShape()) + " for " + s.get(0) + " image(s), but the description's "
                    + "'generator.latent' says " + settings.latent() + " per image");
        }
        return z;
    }

    @Override
    public NDArray decode(NDArray latents) {
        Shape s = latents.getShape();
        Shape expected = new Shape(s.get(0)).addAll(latent);
        if (!s.equals(expected)) {
            throw new VcexException("Generator '" + info.name() + "' decodes codes of shape " + latent + " (generator.latent) "
                    + "but was given " + s);
        }
        NDArray y = single(module.run(settings.decode(), latents), settings.decode());
        Shape images = new Shape(s.get(0), spec.channels(), spec.height(), spec.width());
        if (!y.getShape().equals(images)) {
            throw new VcexException("Generator '" + info.name() + "': " + settings.decode() + " returned shape "
                    + TorchScriptModule.shape(y.getShape()) + " for " + s.get(0) + " code(s), but images of the description's "
                    + "'input' " + TorchScriptModule.shape(images) + " are expected");
        }
        return input.invert(y).clip(0f, 1f);
    }

    private NDArray single(NDList out, String method) {
        if (out.size() != 1) {
            throw new VcexException("Generator '" + info.name() + "': " + method + " returned " + out.size()
                    + " tensors; it must return one");
        }
        return out.get(0);
    }

    @Override
    public void close() {
        module.close();
    }
}
