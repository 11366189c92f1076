package io.vcex.io.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.Scores;
import io.vcex.core.context.VcexContext;
import io.vcex.core.provenance.Hashing;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.io.description.DescribedClassifier;
import io.vcex.io.description.ModelDescription;
import io.vcex.io.description.ModelInput;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An ONNX classifier (format {@code onnx} of a {@code vcex-model.json}) run by ONNX Runtime, as
 * a black box: scores only, never a {@link io.vcex.core.classifier.WhiteBoxClassifier}, so GCD
 * and the metrics can explain it and DVCE and ZOOM cannot. ONNX Runtime comes from Maven
 * Central ({@code com.microsoft.onnxruntime:onnxruntime}) with its natives inside the jar; they
 * are unpacked to a temporary folder when the first model loads, and nothing is downloaded.
 *
 * <h2>What the model must look like</h2>
 *
 * <p>One input, a float32 tensor of shape {@code [N, C, H, W]} (NCHW) with {@code C, H, W} the
 * description's {@code input}; the batch axis may be dynamic (any N) or fixed (vcex then sends
 * batches of that size, padding the last one with black images whose answers it drops). The
 * input's values are the vcex image after the adapter, {@code range} and {@code mean}/{@code
 * std} ({@link ModelInput}). The raw output is the graph output named by {@code output}, or the
 * only output: float32 of shape {@code [N, K]} (or any shape with {@code K} values per image),
 * {@code K} as {@code outputKind} says. Loading checks the declared shapes and runs one black
 * image, so a description that does not fit the file fails at once, naming the field.
 */
public final class OnnxClassifier implements DescribedClassifier {
    private final ModelDescription description;
    private final ClassifierSpec spec;
    private final ModelInfo info;
    private final ModelInput input;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final int fixedBatch;
    private final String where;

    private OnnxClassifier(ModelDescription description, ModelInfo info, OrtEnvironment env, OrtSession session,
            String inputName, String outputName, int fixedBatch, Path file) {
        this.description = description;
        this.spec = description.spec();
        this.info = info;
        this.input = new ModelInput(description);
        this.env = env;
        this.session = session;
        this.inputName = inputName;
        this.outputName = outputName;
        this.fixedBatch = fixedBatch;
        this.where = "ONNX model '" + description.name() + "' (" + file + ")";
    }

    /**
     * @param ctx the context (its thread count is ONNX Runtime's intra-op thread count)
     * @param description a description of format {@code onnx}
     * @param folder the folder its {@code file} is relative to
     * @param moreHashes further files to name in the provenance (for example the description's own)
     * @return the classifier, checked on one black image of the described input
     */
    public static OnnxClassifier load(VcexContext ctx, ModelDescription description, Path folder,
            Map<String, String> moreHashes) {
        if (!description.format().equals("onnx")) {
            throw new VcexException("Model '" + description.name() + "' has format '" + description.format() + "', not onnx");
        }
        Path file = folder.resolve(description.file());
        if (!Files.isRegularFile(file)) {
            throw new VcexException("Model '" + description.name() + "': the file named by 'file' does not exist: " + file);
        }
        Map<String, String> hashes = new TreeMap<>(moreHashes);
        hashes.put(description.file(), Hashing.sha256(file));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(ctx.threads());
            options.setInterOpNumThreads(1);
            session = env.createSession(file.toString(), options);
        } catch (OrtException e) {
            throw new VcexException("Model '" + description.name() + "': " + file + " (the description's 'file') is not an "
                    + "ONNX model that ONNX Runtime can load: " + e.getMessage(), e);
        } catch (UnsatisfiedLinkError e) {
            throw new VcexException("ONNX Runtime's native library cannot be loaded on this machine: " + e.getMessage(), e);
        }
        try {
            String[] names = checkSignature(description, session, file);
            int batch = (int) ((TensorInfo) session.getInputInfo().get(names[0]).getInfo()).getShape()[0];
            OnnxClassifier c = new OnnxClassifier(description, new ModelInfo(description.name(), hashes), env, session, names[0],
                    names[1], Math.max(batch, 0), file);
            c.probe(ctx);
            return c;
        } catch (OrtException e) {
            close(session);
            throw new VcexException("Model '" + description.name() + "': cannot read the inputs and outputs of " + file + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(session);
            throw e;
        }
    }

    /** @return the names of the input and of the chosen output, after checking their types and shapes */
    private static String[] checkSignature(ModelDescription d, OrtSession session, Path file) throws OrtException {
        String what = "ONNX model '" + d.name() + "' (" + file + ")";
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw new VcexException(what + " has " + inputs.size() + " inputs " + inputs.keySet() + "; vcex gives a "
                    + "classifier one image tensor, so export a model with one input");
        }
        NodeInfo in = inputs.values().iterator().next();
        if (!(in.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw new VcexException(what + ": its input '" + in.getName() + "' is " + in.getInfo() + "; vcex sends float32 "
                    + "tensors, so export the model with a float32 input");
        }
        long[] shape = t.getShape();
        ModelDescription.Shape s = d.input();
        long[] expected = {-1, s.channels(), s.height(), s.width()};
        boolean fits = shape.length == 4;
        for (int i = 1; fits && i < 4; i++) {
            fits = shape[i] < 0 || shape[i] == expected[i];
        }
        if (!fits) {
            throw new VcexException(what + ": its input '" + in.getName() + "' has shape " + Arrays.toString(shape)
                    + " (-1: any) but the description's 'input' is " + s.channels() + "x" + s.height() + "x" + s.width()
                    + " (channels x height x width), and vcex sends NCHW tensors [N, " + s.channels() + ", " + s.height()
                    + ", " + s.width() + "]. Set 'input' to the model's size and channels (an NHWC model needs a transpose "
                    + "at its start)");
        }
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        String out = d.output();
        if (out == null) {
            if (outputs.size() != 1) {
                throw new VcexException(what + " has " + outputs.size() + " outputs " + outputs.keySet() + "; name the one "
                        + "with the raw scores in the description's 'output'");
            }
            out = outputs.keySet().iterator().next();
        } else if (!outputs.containsKey(out)) {
            throw new VcexException(what + " has no output named '" + out + "' (the description's 'output'); its outputs are "
                    + outputs.keySet());
        }
        NodeInfo o = outputs.get(out);
        if (!(o.getInfo() instanceof TensorInfo ot) || ot.type != OnnxJavaType.FLOAT) {
            throw new VcexException(what + ": its output '" + out + "' is " + o.getInfo() + "; vcex reads float32 scores");
        }
        return new String[] {in.getName(), out};
    }

    private void probe(VcexContext ctx) {
        try (NDManager scope = ctx.newScope()) {
            var in = spec.input();
            scores(scope.zeros(new ai.djl.ndarray.types.Shape(1, in.channels(), in.height(), in.width())));
        }
    }

    /** @return the batch size the model's input fixes, or 0 when its batch axis is dynamic */
    public int fixedBatch() {
        return fixedBatch;
    }

    /** @return the names of the model's input and of the output vcex reads */
    public String[] signature() {
        return new String[] {inputName, outputName};
    }

    @Override
    public Scores scores(NDArray images) {
        float[] flat;
        try (NDManager scope = images.getManager().newSubManager()) {
            NDArray in = images.duplicate();
            in.attach(scope);
            flat = input.apply(in).toFloatArray();
        }
        int n = (int) images.getShape().get(0);
        ModelDescription.Shape s = description.input();
        int per = s.channels() * s.height() * s.width();
        int k = spec.outputs();
        int chunk = fixedBatch > 0 ? fixedBatch : Math.max(1, n);
        float[][] raw = new float[n][];
        for (int from = 0; from < n; from += chunk) {
            int count = Math.min(chunk, n - from);
            int sent = fixedBatch > 0 ? fixedBatch : count;
            float[] batch = new float[sent * per];
            System.arraycopy(flat, from * per, batch, 0, count * per);
            long[] shape = {sent, s.channels(), s.height(), s.width()};
            float[] out = run(batch, shape);
            if (out.length != (long) sent * k) {
                throw new VcexException(where + ": output '" + outputName + "' gave " + out.length + " values for " + sent
                        + " image(s), but " + k + " per image are expected (the description's 'classNames' has "
                        + spec.classNames().size() + " names, 'outputKind' is " + spec.outputKind() + ")");
            }
            for (int i = 0; i < count; i++) {
                raw[from + i] = Arrays.copyOfRange(out, i * k, (i + 1) * k);
            }
        }
        return Scores.fromRaw(spec.outputKind(), raw);
    }

    private float[] run(float[] batch, long[] shape) {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch), shape);
                OrtSession.Result r = session.run(Map.of(inputName, t), Set.of(outputName))) {
            OnnxValue v = r.get(0);
            if (!(v instanceof OnnxTensor out) || out.getInfo().type != OnnxJavaType.FLOAT) {
                throw new VcexException(where + ": output '" + outputName + "' is not a float32 tensor but " + v.getInfo());
            }
            FloatBuffer b = out.getFloatBuffer();
            float[] values = new float[b.remaining()];
            b.get(values);
            return values;
        } catch (OrtException e) {
            throw new VcexException(where + " failed on a batch of shape " + Arrays.toString(shape) + " (N, C, H, W from the "
                    + "description's 'input'): " + e.getMessage(), e);
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

    @Override
    public void close() {
        close(session);
    }

    private static void close(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing left to do: the session's memory is gone either way
        }
    }
}
