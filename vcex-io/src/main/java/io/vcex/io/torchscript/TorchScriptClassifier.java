package io.vcex.io.torchscript;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.context.VcexContext;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.io.description.FileClassifier;
import io.vcex.io.description.ModelDescription;
import io.vcex.io.description.ModelInput;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A TorchScript classifier (format {@code torchscript} of a {@code vcex-model.json}) as a
 * white-box classifier: vcex images go through the description's adapter, range and
 * normalisation ({@link ModelInput}) to an NCHW float32 tensor, and the module's {@code forward}
 * gives the raw outputs, differentiable with respect to the images ({@link TorchScriptModule}:
 * eval mode, frozen weights, grad mode on).
 *
 * <h2>Call signature</h2>
 *
 * <p>{@code forward(x: Tensor[N, C, H, W]) -> Tensor[N, K]}, with {@code C, H, W} the
 * description's {@code input} and {@code K} outputs per image as {@code outputKind} says (one
 * logit per class name, or one for {@code BINARY_LOGIT}). A forward that returns a tuple or list
 * (logits and features, say) needs {@code "output": "i"}, the index of the logits in it.
 *
 * <h2>What goes wrong, and how it is reported</h2>
 *
 * <p>Loading runs the module once on a black image of the described input, so a description that
 * does not fit the file fails at once, naming the field to fix: an {@code input} of the wrong size
 * or channel count ("fails on an input of shape (1, 3, 32, 32), as 'input' says (3x32x32): ...",
 * then libtorch's own line, such as {@code RuntimeError: mat1 and mat2 shapes cannot be
 * multiplied}); a forward that returns a tuple without {@code output} ("forward returned a tuple
 * or list of 2 tensors ... set 'output'"); or a number of outputs that does not match {@code
 * classNames} and {@code outputKind}.
 */
public final class TorchScriptClassifier implements FileClassifier {
    private final ModelDescription description;
    private final ClassifierSpec spec;
    private final ModelInfo info;
    private final ModelInput input;
    private final TorchScriptModule module;
    private final Integer outputIndex;

    private TorchScriptClassifier(ModelDescription description, ModelInfo info, TorchScriptModule module) {
        this.description = description;
        this.spec = description.spec();
        this.info = info;
        this.input = new ModelInput(description);
        this.module = module;
        this.outputIndex = description.output() == null ? null : Integer.valueOf(description.output());
    }

    /**
     * @param ctx the context whose root scope owns the module (until {@link #close()})
     * @param description a description of format {@code torchscript} and kind {@code classifier}
     * @param folder the folder its {@code file} is relative to
     * @param moreHashes further files to name in the provenance (for example the description's own)
     * @return the classifier, checked on one black image of the described input
     */
    public static TorchScriptClassifier load(VcexContext ctx, ModelDescription description, Path folder,
            Map<String, String> moreHashes) {
        if (!description.format().equals("torchscript") || !description.isClassifier()) {
            throw new VcexException("Model '" + description.name() + "' is a " + description.format() + " "
                    + description.kind() + ", not a torchscript classifier");
        }
        TorchScriptModule module = TorchScriptModule.load(ctx.manager(), folder.resolve(description.file()), description.name());
        try {
            Map<String, String> hashes = new TreeMap<>(moreHashes);
            hashes.put(description.file(), module.sha256());
            TorchScriptClassifier c = new TorchScriptClassifier(description, new ModelInfo(description.name(), hashes), module);
            c.probe(ctx);
            return c;
        } catch (RuntimeException e) {
            module.close();
            throw e;
        }
    }

    /** Runs one black image through the model, so that a description that does not fit fails here. */
    private void probe(VcexContext ctx) {
        ModelDescription.Shape in = description.input();
        try (NDManager scope = ctx.newScope()) {
            NDArray black = scope.zeros(new Shape(1, spec.input().channels(), spec.input().height(), spec.input().width()));
            NDArray x = input.apply(black);
            NDList out;
            try {
                out = module.run("forward", x);
            } catch (VcexException e) {
                throw new VcexException("TorchScript model '" + spec.name() + "' (" + module.file() + ") fails on an input of "
                        + "shape " + TorchScriptModule.shape(x.getShape()) + ", as the description's 'input' says ("
                        + in.channels() + "x" + in.height() + "x" + in.width() + ", channels x height x width; NCHW, float32): "
                        + TorchScriptModule.lastLine(e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                        + ". Set 'input' to the size and channels the model "
                        + "was made for", e);
            }
            check(select(out), 1);
        }
    }

    /** @return the tensor of logits among what forward returned */
    private NDArray select(NDList out) {
        if (outputIndex == null) {
            if (out.size() != 1) {
                throw new VcexException("TorchScript model '" + spec.name() + "': forward returned a tuple or list of "
                        + out.size() + " tensors " + shapes(out) + ", but a classifier's forward must give its logits as one "
                        + "tensor. Set \"output\": \"i\" in " + ModelDescription.FILE_NAME + " to the index of the logits "
                        + "(for example \"output\": \"0\"), or export a module whose forward returns only the logits");
            }
            return out.get(0);
        }
        if (outputIndex >= out.size()) {
            throw new VcexException("TorchScript model '" + spec.name() + "': the description's 'output' is " + outputIndex
                    + " but forward returned " + out.size() + " tensor(s) " + shapes(out) + "; 'output' is a 0-based index");
        }
        return out.get(outputIndex);
    }

    private static String shapes(NDList out) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < out.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(TorchScriptModule.shape(out.get(i).getShape()));
        }
        return s.append(']').toString();
    }

    /** @return the logits as N x K, when their shape fits the description */
    private NDArray check(NDArray y, long n) {
        int k = spec.outputs();
        if (y.size() != n * k || y.getShape().dimension() == 0 || y.getShape().get(0) != n) {
            throw new VcexException("TorchScript model '" + spec.name() + "': forward returned shape "
                    + TorchScriptModule.shape(y.getShape()) + " for " + n + " image(s), but " + k + " output(s) per image are "
                    + "expected (the description's 'classNames' has " + spec.classNames().size() + " names, 'outputKind' is "
                    + spec.outputKind() + "); fix 'classNames' or 'outputKind', or 'output' if forward returns several tensors");
        }
        return y.getShape().dimension() == 2 ? y : y.reshape(n, k);
    }

    @Override
    public NDArray logits(NDArray images) {
        NDArray x = input.apply(images);
        return check(select(module.run("forward", x)), images.getShape().get(0));
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

    @Override
    public void close() {
        module.close();
    }
}
