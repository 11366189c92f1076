package io.vcex.io.tfjs;

import ai.djl.ndarray.NDArray;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.context.VcexContext;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.io.description.FileClassifier;
import io.vcex.io.description.ModelDescription;
import io.vcex.io.description.ModelInput;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A TensorFlow.js graph model as a white-box classifier: vcex images go through the
 * description's adapter ({@link ModelInput}), are transposed to NHWC and run through the
 * interpreted graph ({@link TfjsGraph}); the chosen output node's value is the raw output.
 * Differentiable with respect to the images.
 */
public final class TfjsClassifier implements FileClassifier {
    private final ModelDescription description;
    private final ClassifierSpec spec;
    private final ModelInfo info;
    private final ModelInput input;
    private final TfjsGraph graph;

    private TfjsClassifier(ModelDescription description, ModelInfo info, TfjsGraph graph) {
        this.description = description;
        this.spec = description.spec();
        this.info = info;
        this.input = new ModelInput(description);
        this.graph = graph;
    }

    /**
     * @param ctx the context whose root scope owns the weights (until {@link #close()})
     * @param description a description of format {@code tfjs}
     * @param folder the folder its {@code file} is relative to
     * @return the classifier
     */
    public static TfjsClassifier load(VcexContext ctx, ModelDescription description, Path folder) {
        return load(ctx, description, folder, Map.of());
    }

    /**
     * @param ctx the context whose root scope owns the weights (until {@link #close()})
     * @param description a description of format {@code tfjs}
     * @param folder the folder its {@code file} is relative to
     * @param moreHashes further files to name in the provenance (for example the description's own)
     * @return the classifier
     */
    public static TfjsClassifier load(VcexContext ctx, ModelDescription description, Path folder,
            Map<String, String> moreHashes) {
        if (!description.format().equals("tfjs")) {
            throw new VcexException("Model '" + description.name() + "' has format '" + description.format()
                    + "', not tfjs");
        }
        TfjsModel model = TfjsModel.read(folder.resolve(description.file()));
        TfjsGraph graph = TfjsGraph.compile(model, description.output(), ctx.manager());
        try {
            long[] shape = graph.inputShape();
            ModelDescription.Shape in = description.input();
            long[] expected = {-1, in.height(), in.width(), in.channels()};
            boolean fits = shape.length == 4;
            for (int i = 1; fits && i < 4; i++) {
                fits = shape[i] < 0 || shape[i] == expected[i];
            }
            if (!fits) {
                throw new VcexException(folder.resolve(description.file()) + ": the graph's input '" + graph.inputName()
                        + "' has shape " + Arrays.toString(shape) + " (NHWC, -1: any) but the description's 'input' is "
                        + in.channels() + "x" + in.height() + "x" + in.width() + " (channels x height x width)");
            }
            Map<String, String> hashes = new TreeMap<>(model.fileSha256());
            hashes.putAll(moreHashes);
            return new TfjsClassifier(description, new ModelInfo(description.name(), hashes), graph);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    @Override
    public ClassifierSpec spec() {
        return spec;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public ModelDescription description() {
        return description;
    }

    /** @return the compiled graph */
    public TfjsGraph graph() {
        return graph;
    }

    @Override
    public NDArray logits(NDArray images) {
        NDArray x = input.apply(images).transpose(0, 2, 3, 1);
        NDArray y = graph.run(x);
        long n = images.getShape().get(0);
        int k = spec.outputs();
        if (y.size() != n * k) {
            throw new VcexException("Model '" + spec.name() + "': output node '" + graph.outputName() + "' gave shape "
                    + y.getShape() + " for " + n + " images, but " + k + " outputs per image are expected ("
                    + spec.classNames().size() + " class names, " + spec.outputKind() + ")");
        }
        return y.getShape().dimension() == 2 ? y : y.reshape(n, k);
    }

    @Override
    public void close() {
        graph.close();
    }
}
