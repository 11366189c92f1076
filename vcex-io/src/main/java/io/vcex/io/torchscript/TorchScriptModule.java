package io.vcex.io.torchscript;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import io.vcex.core.VcexException;
import io.vcex.core.provenance.Hashing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A TorchScript module loaded for use with vcex's autograd, the three ways ENGINE-NOTES names:
 * loaded with its parameters as ordinary tensors ({@code trainParam}; inference tensors would
 * refuse a backward pass), then frozen (no weight gradients, only input gradients); put in eval
 * mode once (BatchNorm uses its running statistics, Dropout is off, whatever mode the file was
 * saved in); and run with grad mode on, so that inside a gradient collector the outputs carry the
 * graph back to the inputs. The module's outputs live in the scope of its first input.
 *
 * <p>The engine's own errors (a tensor of the wrong shape, a missing method) come back as a
 * {@link VcexException} whose message keeps the last line of the TorchScript traceback, the one
 * that says what failed (for example {@code RuntimeError: mat1 and mat2 shapes cannot be
 * multiplied (1x128 and 512x2)}).
 */
public final class TorchScriptModule implements AutoCloseable {
    /** Marks the method to run in an input list (DJL's convention for methods other than forward). */
    private static final String METHOD_MARK = "module_method:";

    private final NDManager manager;
    private final PtSymbolBlock block;
    private final Path file;
    private final String sha256;
    private final List<String> methods;

    private TorchScriptModule(NDManager manager, PtSymbolBlock block, Path file, String sha256, List<String> methods) {
        this.manager = manager;
        this.block = block;
        this.file = file;
        this.sha256 = sha256;
        this.methods = methods;
    }

    /**
     * @param parent the scope that owns the module (a child scope is made for it, closed by {@link #close()})
     * @param file a file written by {@code torch.jit.save}
     * @param modelName the model's name, for messages
     * @return the module, frozen and in eval mode
     */
    public static TorchScriptModule load(NDManager parent, Path file, String modelName) {
        if (!Files.isRegularFile(file)) {
            throw new VcexException("Model '" + modelName + "': the file named by 'file' does not exist: " + file);
        }
        String hash = Hashing.sha256(file);
        NDManager m = parent.newSubManager();
        try {
            if (!(m instanceof PtNDManager pt)) {
                throw new VcexException("Model '" + modelName + "': TorchScript needs the PyTorch engine, but the engine is "
                        + m.getEngine().getEngineName());
            }
            PtSymbolBlock block;
            try {
                block = JniUtils.loadModule(pt, file.toAbsolutePath(), false, new String[0], new String[0], true);
            } catch (EngineException e) {
                throw new VcexException("Model '" + modelName + "': " + file + " (the description's 'file') is not a "
                        + "TorchScript file that libtorch " + ai.djl.engine.Engine.getEngine("PyTorch").getVersion()
                        + " can load (save it with torch.jit.save of a traced or scripted module, not torch.save): "
                        + lastLine(e.getMessage()), e);
            }
            block.freezeParameters(true);
            JniUtils.enableInferenceMode(block);
            List<String> names = List.of(JniUtils.getMethodNames(block));
            return new TorchScriptModule(m, block, file, hash, names);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** @return the file it was loaded from */
    public Path file() {
        return file;
    }

    /** @return the SHA-256 of that file */
    public String sha256() {
        return sha256;
    }

    /** @return the names of the module's methods ({@code forward} and those exported with {@code @torch.jit.export}) */
    public List<String> methods() {
        return methods;
    }

    /**
     * Runs a method with grad mode on.
     *
     * @param method the method's name ({@code forward}, {@code encode}, ...)
     * @param inputs its tensor arguments, in order; the first one's scope receives the outputs
     * @return the tensors it returned: one, or the elements of a returned tuple or list, in order
     * @throws VcexException naming the method, the shapes it was given and what libtorch said
     */
    public NDList run(String method, NDArray... inputs) {
        if (!methods.contains(method)) {
            throw new VcexException(file + " has no method '" + method + "'; its methods are " + methods
                    + " (export others with @torch.jit.export before torch.jit.script)");
        }
        NDList list = new NDList(inputs);
        if (!method.equals("forward")) {
            NDArray mark = inputs[0].getManager().create(0f);
            mark.setName(METHOD_MARK + method);
            list.add(mark);
        }
        try {
            return IValueUtils.forward(block, list, true);
        } catch (EngineException | UnsupportedOperationException e) {
            throw new VcexException(file.getFileName() + ": " + method + "(" + describe(inputs) + ") failed: "
                    + lastLine(e.getMessage()), e);
        }
    }

    /**
     * @param inputs tensors
     * @return their shapes and types, for messages, e.g. {@code (1, 3, 64, 64) float32}
     */
    static String describe(NDArray... inputs) {
        return Arrays.stream(inputs).map(a -> shape(a.getShape()) + " " + a.getDataType().name().toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(", "));
    }

    /**
     * @param s a shape
     * @return it written as Python writes a tuple
     */
    static String shape(Shape s) {
        return Arrays.stream(s.getShape()).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    /**
     * @param message an engine message, possibly a whole TorchScript traceback
     * @return the line that says what went wrong: the last line naming an error, else the last line
     */
    static String lastLine(String message) {
        if (message == null || message.isBlank()) {
            return "(libtorch gave no message)";
        }
        String[] lines = message.strip().split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (l.matches("^[A-Za-z.]*(Error|Exception)\\b.*")) {
                return l;
            }
        }
        return lines[lines.length - 1].strip();
    }

    @Override
    public void close() {
        manager.close();
    }
}
