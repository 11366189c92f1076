package io.vcex.io.vcexnet;

import ai.djl.ndarray.NDArray;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.Hashing;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.io.description.FileClassifier;
import io.vcex.io.description.ModelDescription;
import io.vcex.io.description.ModelInput;
import io.vcex.io.description.NetworkSettings;
import io.vcex.zoo.models.FeatureClassifier;
import io.vcex.zoo.nn.Net;
import io.vcex.zoo.train.ClassifierTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A classifier trained by vcex (format {@code vcex}): the network the description's {@code
 * network} names ({@link NetworkSettings}), its parameters loaded from {@code file} (written by
 * the zoo's {@code Net.save}, the engine's parameter format), run in inference mode with frozen
 * weights, so input gradients flow through it. vcex images go through the description's adapter,
 * range and normalisation first ({@link ModelInput}), as for every other format.
 *
 * <p>Why a format of its own: vcex trains in Java and cannot write TorchScript or ONNX; the zoo
 * already saves and loads its networks as parameter files with hash checks, so a description
 * beside that file is all a user's classifier needs to be loaded like any other model.
 */
public final class VcexNetClassifier implements FileClassifier {
    private final ModelDescription description;
    private final ClassifierSpec spec;
    private final ModelInput input;
    private final FeatureClassifier network;

    private VcexNetClassifier(ModelDescription description, FeatureClassifier network) {
        this.description = description;
        this.spec = description.spec();
        this.input = new ModelInput(description);
        this.network = network;
    }

    /**
     * @param ctx the context whose root scope owns the weights (until {@link #close()})
     * @param description a description of format {@code vcex}
     * @param folder the folder its {@code file} is relative to
     * @param moreHashes further files to name in the provenance (for example the description's own)
     * @return the classifier
     */
    public static VcexNetClassifier load(VcexContext ctx, ModelDescription description, Path folder,
            Map<String, String> moreHashes) {
        if (!description.format().equals("vcex") || !description.isClassifier()) {
            throw new VcexException("Model '" + description.name() + "' is a " + description.format() + " "
                    + description.kind() + ", not a vcex classifier");
        }
        Path file = folder.resolve(description.file());
        if (!Files.isRegularFile(file)) {
            throw new VcexException("Parameter file of model '" + description.name() + "' not found: " + file);
        }
        ModelDescription.Shape in = description.input();
        int outputs = description.spec().outputs();
        Net net = ClassifierTraining.network(ctx, description.network().width(), outputs,
                new ImageSpec(in.channels(), in.height(), in.width()), 0);
        try {
            net.loadForInference(file);
        } catch (VcexException e) {
            throw new VcexException("Model '" + description.name() + "': " + e.getMessage() + " (the description says "
                    + "network " + description.network() + ", input " + in.channels() + "x" + in.height() + "x" + in.width()
                    + ", " + outputs + " output(s); they must be those it was trained with)", e);
        }
        Map<String, String> hashes = new TreeMap<>(moreHashes);
        hashes.put(description.file(), Hashing.sha256(file));
        ClassifierSpec inner = new ClassifierSpec(description.name(), new ImageSpec(in.channels(), in.height(), in.width()),
                description.classNames(), description.outputKind());
        return new VcexNetClassifier(description, new FeatureClassifier(net, inner, new ModelInfo(description.name(), hashes)));
    }

    /**
     * Writes the description of a trained network beside its parameter file, with the file's
     * SHA-256, and reads it back (so what is written is what loads).
     *
     * @param folder the model folder, which holds {@code weightsFile}
     * @param name the model's name
     * @param input the images it takes, values in [0, 1]
     * @param classNames one name per class, in the order of its logits
     * @param width the network's width
     * @param weightsFile the parameter file's name in the folder
     * @return the description written
     */
    public static ModelDescription writeDescription(Path folder, String name, ImageSpec input, List<String> classNames,
            int width, String weightsFile) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", name);
        d.put("format", "vcex");
        d.put("file", weightsFile);
        d.put("input", Map.of("channels", input.channels(), "height", input.height(), "width", input.width()));
        d.put("range", "unit");
        d.put("classNames", classNames);
        d.put("outputKind", OutputKind.SOFTMAX.name());
        d.put("network", Map.of("architecture", NetworkSettings.CONV5, "width", width));
        d.put("sha256", Map.of(weightsFile, Hashing.sha256(folder.resolve(weightsFile))));
        Path file = folder.resolve(ModelDescription.FILE_NAME);
        Json.write(file, d);
        return ModelDescription.read(file);
    }

    @Override
    public NDArray logits(NDArray images) {
        var s = images.getShape();
        ImageSpec a = spec.input();
        if (s.dimension() != 4 || s.get(1) != a.channels() || s.get(2) != a.height() || s.get(3) != a.width()) {
            throw new VcexException("Classifier '" + spec.name() + "' takes images of " + a
                    + " (N x channels x height x width) but was given " + s);
        }
        return network.logits(input.apply(images));
    }

    @Override
    public ClassifierSpec spec() {
        return spec;
    }

    @Override
    public ModelInfo info() {
        return network.info();
    }

    @Override
    public ModelDescription description() {
        return description;
    }

    @Override
    public void close() {
        network.close();
    }
}
