package io.vcex.cli;

import io.vcex.core.VcexException;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.VcexContext;
import io.vcex.core.diffusion.Denoiser;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageFiles;
import io.vcex.io.ModelFolder;
import io.vcex.zoo.Zoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** How commands find models and images named on the command line. */
final class Models {

    private Models() {
    }

    /**
     * @param ctx the context that owns the model
     * @param zoo the zoo that names refer to
     * @param nameOrFolder a zoo name, or a folder with a {@code vcex-model.json}
     * @return the white-box classifier
     */
    static WhiteBoxClassifier whiteBox(VcexContext ctx, Zoo zoo, String nameOrFolder) {
        Path p = Path.of(nameOrFolder);
        if (Files.isDirectory(p)) {
            return ModelFolder.load(ctx, p);
        }
        if (nameOrFolder.contains("/") || nameOrFolder.contains(".")) {
            throw new VcexException("Classifier '" + nameOrFolder + "' is neither a zoo name (./vcex zoo list) nor a model folder "
                    + "with a vcex-model.json");
        }
        return zoo.classifier(ctx, nameOrFolder);
    }

    /**
     * @param ctx the context that owns the model
     * @param zoo the zoo that names refer to
     * @param nameOrFolder a zoo name, or a folder with a {@code vcex-model.json} of any format
     *     (an HTTP classifier included)
     * @return the classifier as a black box only (scores, no gradients), as black-box methods take it
     */
    static BlackBoxClassifier blackBox(VcexContext ctx, Zoo zoo, String nameOrFolder) {
        Path p = Path.of(nameOrFolder);
        if (Files.isDirectory(p)) {
            return BlackBoxClassifier.opaque(ModelFolder.loadAny(ctx, p));
        }
        return BlackBoxClassifier.opaque(whiteBox(ctx, zoo, nameOrFolder));
    }

    /**
     * @param ctx the context that owns the model
     * @param zoo the zoo
     * @param name a zoo name of a pixel diffusion model, or a folder with a {@code vcex-model.json}
     *     of a TorchScript denoiser
     * @return its denoiser
     */
    static Denoiser denoiser(VcexContext ctx, Zoo zoo, String name) {
        Path p = Path.of(name);
        if (Files.isDirectory(p)) {
            return ModelFolder.denoiser(ctx, p);
        }
        if (name.contains("/")) {
            throw new VcexException("Diffusion model '" + name + "' is neither a zoo name (./vcex zoo list) nor a folder with "
                    + "a vcex-model.json of kind denoiser");
        }
        Object m = zoo.load(ctx, name);
        if (m instanceof Denoiser d) {
            return d;
        }
        throw new VcexException("Zoo model '" + name + "' is not a pixel diffusion model (try 'diffusion')");
    }

    /**
     * A stand-in for the zoo's style generators, set only by tests (the CLI tests run on a tiny toy
     * generator, since the shipped one is large); null in normal use.
     */
    static java.util.function.BiFunction<VcexContext, String, io.vcex.core.generator.StyleGenerator> testStyleGenerators;

    /**
     * @param ctx the context that owns the model
     * @param zoo the zoo
     * @param name a zoo name of a style generator (for example stylegen)
     * @return the style generator
     */
    static io.vcex.core.generator.StyleGenerator styleGenerator(VcexContext ctx, Zoo zoo, String name) {
        if (testStyleGenerators != null) {
            io.vcex.core.generator.StyleGenerator g = testStyleGenerators.apply(ctx, name);
            if (g != null) {
                return g;
            }
        }
        return zoo.styleGenerator(ctx, name);
    }

    /**
     * @return the zoo's pixel diffusion models with the images each makes, for messages: "the zoo's
     *     pixel diffusion models are diffusion (3x32x32, ...), mnist-diffusion (1x28x28, ...); choose
     *     one with --diffusion"
     */
    static String diffusionChoices() {
        StringBuilder sb = new StringBuilder();
        for (io.vcex.zoo.recipes.Recipe<?, ?> r : io.vcex.zoo.recipes.Recipes.all()) {
            if (r.defaults() instanceof io.vcex.zoo.recipes.DiffusionConfig c && !c.autoencoder()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(r.name()).append(" (").append(c.channels()).append('x')
                        .append(c.side()).append('x').append(c.side()).append(", for ")
                        .append("faces".equals(c.data()) ? "classifiers of 64x64 faces" : "classifiers of 28x28 digits")
                        .append(')');
            }
        }
        return "the zoo's pixel diffusion models are " + sb + "; choose one with --diffusion (or give a folder of a "
                + "TorchScript denoiser)";
    }

    /**
     * @param paths image files or folders of images (PNG, JPEG), in the order given; a folder's
     *     images sorted by name
     * @return the files
     */
    static List<Path> imageFiles(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(Models::isImage).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new VcexException("Cannot list " + p + ": " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new VcexException("Image not found: " + p);
            }
        }
        if (out.isEmpty()) {
            throw new VcexException("No images (.png, .jpg, .jpeg) in " + paths);
        }
        return out;
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }

    /**
     * @param files image files
     * @param channels the classifier's channels (images are converted)
     * @return the images
     */
    static List<ImageData> read(List<Path> files, int channels) {
        List<ImageData> out = new ArrayList<>(files.size());
        for (Path f : files) {
            out.add(ImageFiles.read(f).withChannels(channels));
        }
        return out;
    }

    /**
     * @param file an image file
     * @return its name without the extension
     */
    static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
