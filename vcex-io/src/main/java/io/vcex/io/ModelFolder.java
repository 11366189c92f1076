package io.vcex.io;

import io.vcex.core.VcexException;
import io.vcex.core.context.VcexContext;
import io.vcex.core.provenance.Hashing;
import io.vcex.io.description.DescribedClassifier;
import io.vcex.io.description.FileClassifier;
import io.vcex.io.description.ModelDescription;
import io.vcex.io.http.HttpClassifier;
import io.vcex.io.onnx.OnnxClassifier;
import io.vcex.io.tfjs.TfjsClassifier;
import io.vcex.io.torchscript.TorchScriptClassifier;
import io.vcex.io.torchscript.TorchScriptDenoiser;
import io.vcex.io.torchscript.TorchScriptGenerator;
import io.vcex.io.vcexnet.VcexNetClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model folder: a {@value ModelDescription#FILE_NAME} beside the model's files. Loading reads
 * the description, checks the SHA-256 of every file it lists (so a missing, truncated or
 * replaced file is reported as such before any parsing), then hands over to the loader of its
 * format. {@link #loadAny} loads classifiers of every format, black-box ones ({@code onnx},
 * {@code http}) included; {@link #load} only the white-box ones ({@code tfjs}, {@code
 * torchscript}, {@code vcex}), for methods that need gradients. {@link #denoiser} and {@link #generator} load
 * TorchScript denoisers and latent generators.
 */
public final class ModelFolder {

    private ModelFolder() {
    }

    /**
     * @param ctx the context that will own the weights
     * @param folder a model folder of a white-box format
     * @return the classifier; close it to free its weights. A black-box model ({@code onnx},
     *     {@code http}) is a {@link VcexException} saying so; load it with {@link #loadAny}
     */
    public static FileClassifier load(VcexContext ctx, Path folder) {
        return load(ctx, folder, false);
    }

    /**
     * @param ctx the context that will own the weights
     * @param folder a model folder of any format
     * @return the classifier: a {@link FileClassifier} (white-box) for formats with gradients,
     *     a black box otherwise ({@link OnnxClassifier} for {@code onnx}, {@link HttpClassifier}
     *     for {@code http}); close it to free it
     */
    public static DescribedClassifier loadAny(VcexContext ctx, Path folder) {
        return loadAny(ctx, folder, false);
    }

    /**
     * @param ctx the context that will own the weights
     * @param folder a model folder
     * @param requireHashes true to require that the description lists the hash of every file
     *     the model is loaded from (as shipped models do)
     * @return the classifier; close it to free its weights
     */
    public static FileClassifier load(VcexContext ctx, Path folder, boolean requireHashes) {
        DescribedClassifier c = loadAny(ctx, folder, requireHashes);
        if (c instanceof FileClassifier white) {
            return white;
        }
        c.close();
        throw new VcexException("Model '" + c.description().name() + "' in " + folder + " (format "
                + c.description().format() + ") is a black box: it answers scores, not gradients, so methods that "
                + "need input gradients (DVCE, ZOOM) cannot explain it; use a black-box method (GCD)");
    }

    /**
     * @param ctx the context that will own the weights
     * @param folder a model folder of any format
     * @param requireHashes true to require that the description lists the hash of every file
     *     the model is loaded from (as shipped models do)
     * @return the classifier, white-box ({@link FileClassifier}) or black-box; close it to free it
     */
    public static DescribedClassifier loadAny(VcexContext ctx, Path folder, boolean requireHashes) {
        ModelDescription d = read(folder);
        Path file = folder.resolve(ModelDescription.FILE_NAME);
        if (!d.isClassifier()) {
            throw new VcexException("Model '" + d.name() + "' in " + folder + " is a " + d.kind() + " (the description's "
                    + "'kind'), not a classifier" + use(d.kind()));
        }
        verify(d, folder);
        Map<String, String> own = own(folder);
        DescribedClassifier c = switch (d.format()) {
            case "tfjs" -> TfjsClassifier.load(ctx, d, folder, own);
            case "torchscript" -> TorchScriptClassifier.load(ctx, d, folder, own);
            case "onnx" -> OnnxClassifier.load(ctx, d, folder, own);
            case "http" -> HttpClassifier.create(d, System::getenv, own);
            case "vcex" -> VcexNetClassifier.load(ctx, d, folder, own);
            default -> throw new VcexException(file + ": no loader for format '" + d.format() + "'");
        };
        if (requireHashes) {
            for (String read : c.info().fileSha256().keySet()) {
                if (!read.equals(ModelDescription.FILE_NAME) && !d.sha256().containsKey(read)) {
                    c.close();
                    throw new VcexException(file + " lists no sha256 for " + read + ", which model '" + d.name()
                            + "' is loaded from; a shipped model must name the hash of every file");
                }
            }
        }
        return c;
    }

    /**
     * @param ctx the context that will own the weights
     * @param folder a model folder of kind {@code denoiser} (format {@code torchscript})
     * @return the denoiser, with the description's schedule; close it to free its weights
     */
    public static TorchScriptDenoiser denoiser(VcexContext ctx, Path folder) {
        ModelDescription d = read(folder);
        if (!d.kind().equals("denoiser")) {
            throw new VcexException("Model '" + d.name() + "' in " + folder + " is a " + d.kind() + " (the description's "
                    + "'kind'), not a denoiser" + use(d.kind()));
        }
        verify(d, folder);
        return TorchScriptDenoiser.load(ctx, d, folder, own(folder));
    }

    /**
     * @param ctx the context that will own the weights
     * @param folder a model folder of kind {@code generator} (format {@code torchscript})
     * @return the latent generator; close it to free its weights
     */
    public static TorchScriptGenerator generator(VcexContext ctx, Path folder) {
        ModelDescription d = read(folder);
        if (!d.kind().equals("generator")) {
            throw new VcexException("Model '" + d.name() + "' in " + folder + " is a " + d.kind() + " (the description's "
                    + "'kind'), not a latent generator" + use(d.kind()));
        }
        verify(d, folder);
        return TorchScriptGenerator.load(ctx, d, folder, own(folder));
    }

    /**
     * @param folder a model folder
     * @return its description, validated (the files are not read yet)
     */
    public static ModelDescription read(Path folder) {
        Path file = folder.resolve(ModelDescription.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new VcexException("No model description in " + folder + ": a model folder needs a "
                    + ModelDescription.FILE_NAME + " (format, file, input, range, classNames, outputKind, adapter)");
        }
        return ModelDescription.read(file);
    }

    private static Map<String, String> own(Path folder) {
        return Map.of(ModelDescription.FILE_NAME, Hashing.sha256(folder.resolve(ModelDescription.FILE_NAME)));
    }

    private static String use(String kind) {
        return switch (kind) {
            case "denoiser" -> "; a denoiser is the --diffusion of explain dvce";
            case "generator" -> "; a generator is the --generator of explain gcd";
            default -> "";
        };
    }

    /**
     * Checks every file the description lists under {@code sha256}.
     *
     * @param d a description
     * @param folder its folder
     */
    public static void verify(ModelDescription d, Path folder) {
        for (Map.Entry<String, String> e : d.sha256().entrySet()) {
            Path f = folder.resolve(e.getKey());
            if (!Files.isRegularFile(f)) {
                throw new VcexException("File of model '" + d.name() + "' is missing: " + f
                        + "; restore it (for a shipped model: git checkout -- " + f.getFileName() + " in its folder)");
            }
            String actual = Hashing.sha256(f);
            if (!actual.equals(e.getValue())) {
                throw new VcexException("File of model '" + d.name() + "' is corrupt or was replaced: " + f
                        + " has SHA-256 " + actual + " but " + ModelDescription.FILE_NAME + " says " + e.getValue());
            }
        }
    }
}
