package io.vcex.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.config.Check;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.io.ModelFolder;
import io.vcex.io.torchscript.TorchScriptGenerator;
import io.vcex.methods.gcd.Anchoring;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vcex.zoo.Zoo;
import io.vcex.zoo.models.DiffusionAutoencoder;
import io.vcex.zoo.models.StyleNet;

/**
 * The generator GCD uses from the command line, as saved next to the directions
 * ({@code generator.json}) so that apply and attribute decode exactly as discover did.
 *
 * @param name the zoo name of the diffusion autoencoder (default diffae) or of the style generator
 *     (stylegen: GCD then searches its W+), or the absolute path of
 *     a model folder of a TorchScript latent generator (kind {@code generator})
 * @param encodeSteps DDIM steps of the x_T inversion (the authors use 250 on a GPU; default 20;
 *     unused by a TorchScript generator)
 * @param decodeSteps DDIM steps of decoding (the authors use 100; default 20; unused by a
 *     TorchScript generator)
 * @param resize the side ratio between the classifier's images and the generator's (an explicit
 *     bilinear adapter; 1 for none)
 */
record GcdGenerator(String name, int encodeSteps, int decodeSteps, int resize) {
    static final String FILE = "generator.json";
    /** The zoo's diffusion autoencoders, for messages. */
    static final String ZOO_CHOICES = "choose a generator with --generator (the zoo's diffusion autoencoders: diffae for "
            + "classifiers of 64x64 faces, mnist-diffae for classifiers of 28x28 digits)";

    GcdGenerator {
        Check.range("encodeSteps", encodeSteps, 1, 1000);
        Check.range("decodeSteps", decodeSteps, 1, 1000);
        Check.range("resize", resize, 1, 4);
    }

    /**
     * The settings with the anchoring they give.
     *
     * @param settings what generator.json records
     * @param anchoring the generator for GCD
     */
    record Loaded(GcdGenerator settings, Anchoring anchoring) {
    }

    /**
     * @param ctx owns the weights
     * @param zoo the models folder
     * @param name the zoo name, or a model folder of a TorchScript generator
     * @param encodeSteps DDIM inversion steps
     * @param decodeSteps DDIM decoding steps
     * @param classifierInput the classifier's images (they fix the resize ratio)
     * @return the anchoring: z_sem by the encoder, x_T by DDIM inversion, decoding with x_T fixed,
     *     behind the explicit resize adapter; for a TorchScript generator, its encode and decode
     *     (nothing per image), behind the same adapter
     */
    static Loaded open(VcexContext ctx, Zoo zoo, String name, int encodeSteps, int decodeSteps, ImageSpec classifierInput) {
        Path folder = Path.of(name);
        if (Files.isDirectory(folder)) {
            TorchScriptGenerator g = ModelFolder.generator(ctx, folder);
            if (g.imageSpec().channels() != classifierInput.channels()) {
                g.close();
                throw new VcexException("The generator '" + name + "' makes " + g.imageSpec() + " images but the classifier "
                        + "takes " + classifierInput);
            }
            int resize = ratio(g.imageSpec().height(), classifierInput.height(), name);
            String where = folder.toAbsolutePath().normalize().toString();
            return new Loaded(new GcdGenerator(where, encodeSteps, decodeSteps, resize),
                    Anchoring.resized(Anchoring.fixed(g), resize));
        }
        if (name.contains("/")) {
            throw new VcexException("Generator '" + name + "' is neither a zoo name (./vcex zoo list) nor a folder with a "
                    + "vcex-model.json of kind generator");
        }
        Object m;
        try {
            m = zoo.load(ctx, name);
        } catch (VcexException e) {
            throw new VcexException("GCD needs the diffusion autoencoder '" + name + "': " + e.getMessage()
                    + (e.getMessage().contains("zoo train") ? "" : " (make it with ./vcex zoo train " + name + ")"), e);
        }
        if (m instanceof StyleNet style) {
            // W+ of the style generator: the encoder inverts, nothing per image to keep
            if (style.imageSpec().channels() != classifierInput.channels()) {
                throw new VcexException("The generator '" + name + "' makes " + style.imageSpec() + " images but the classifier "
                        + "takes " + classifierInput);
            }
            int resize = ratio(style.imageSpec().height(), classifierInput.height(), name);
            return new Loaded(new GcdGenerator(name, encodeSteps, decodeSteps, resize),
                    Anchoring.resized(Anchoring.fixed(style.asLatentGenerator()), resize));
        }
        if (!(m instanceof DiffusionAutoencoder dae)) {
            throw new VcexException("Zoo model '" + name + "' is neither a diffusion autoencoder nor a style generator; GCD's "
                    + "command line needs one (for example diffae or stylegen)");
        }
        int enc = encodeSteps;
        int dec = decodeSteps;
        if (dae.imageSpec().channels() != classifierInput.channels()) {
            throw new VcexException("The generator '" + name + "' makes " + dae.imageSpec() + " images but the classifier takes "
                    + classifierInput + "; " + ZOO_CHOICES);
        }
        int resize;
        try {
            resize = ratio(dae.imageSpec().height(), classifierInput.height(), name);
        } catch (VcexException e) {
            throw new VcexException(e.getMessage() + "; " + ZOO_CHOICES, e);
        }
        Anchoring inner = new Anchoring() {
            @Override
            public ModelInfo info() {
                return dae.info();
            }

            @Override
            public ImageSpec imageSpec() {
                return dae.imageSpec();
            }

            @Override
            public String description() {
                return name + " (z_sem; x_T by " + enc + "-step DDIM inversion, kept fixed; " + dec + "-step DDIM decoding)";
            }

            @Override
            public Anchored anchor(NDManager scope, NDArray image) {
                try (NDManager s = scope.newSubManager()) {
                    NDArray x = image.duplicate();
                    x.attach(s);
                    NDArray z = dae.encode(x);
                    NDArray xT = dae.encodeNoise(x, z, enc).duplicate();
                    xT.attach(scope);
                    return new Anchored(dae.withNoise(xT, dec), z.toFloatArray());
                }
            }
        };
        return new Loaded(new GcdGenerator(name, enc, dec, resize), Anchoring.resized(inner, resize));
    }

    /**
     * @param generatorSide the generator's image side
     * @param classifierSide the classifier's
     * @param what for messages
     * @return the ratio, when it is 1, 2 or 4
     */
    static int ratio(int generatorSide, int classifierSide, String what) {
        for (int f : new int[] {1, 2, 4}) {
            if (generatorSide * f == classifierSide) {
                return f;
            }
        }
        throw new VcexException(what + ": the generator makes " + generatorSide + "-pixel images and the classifier takes "
                + classifierSide + "; GCD's resize adapter supports side ratios 1, 2 and 4");
    }
}
