package io.vcex.zoo.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.vcex.core.VcexException;
import io.vcex.core.context.Rng;
import io.vcex.core.files.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A network: a DJL {@link Block} initialised for one input shape, with its weights in a manager
 * this object owns. Weights are initialised from a vcex {@link Rng} (Kaiming-uniform for weights,
 * zero biases), never from the engine's global random state, so the same seed gives the same
 * network on every run.
 */
public final class Net implements AutoCloseable {
    private final Block block;
    private final NDManager manager;
    private final ParameterStore store;
    private final Shape[] inputShapes;

    /**
     * @param block the architecture
     * @param parent the scope whose child will own the weights
     * @param rng the stream that initialises the weights
     * @param inputShapes one input shape per block input (batch axis included, any size)
     */
    public Net(Block block, NDManager parent, Rng rng, Shape... inputShapes) {
        this.block = block;
        this.manager = parent.newSubManager();
        this.inputShapes = inputShapes.clone();
        block.initialize(manager, DataType.FLOAT32, inputShapes);
        reinitialise(rng);
        this.store = new ParameterStore(manager, false);
    }

    /** Kaiming-uniform weights (bound sqrt(6 / fan_in)), zero biases; norm layers keep their defaults. */
    private void reinitialise(Rng rng) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (param.getType() != Parameter.Type.WEIGHT) {
                continue;
            }
            NDArray a = param.getArray();
            Shape s = a.getShape();
            long fanIn = s.dimension() > 1 ? s.size() / s.get(0) : s.size();
            float bound = (float) Math.sqrt(6.0 / fanIn);
            float[] v = new float[Math.toIntExact(s.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.uniform(-bound, bound);
            }
            a.set(v);
        }
    }

    /**
     * Sets to zero every weight whose parameter name ends with one of the suffixes: a residual
     * branch's last layer starts as the identity this way (Goyal et al. 2017; the DDPM UNets do the
     * same with their output layers).
     *
     * @param suffixes parameter-name endings, for example "conv2_weight"
     * @return this network
     */
    public Net zeroWeights(String... suffixes) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            for (String suffix : suffixes) {
                if (p.getKey().endsWith(suffix)) {
                    NDArray a = p.getValue().getArray();
                    a.set(new float[Math.toIntExact(a.getShape().size())]);
                }
            }
        }
        return this;
    }

    /** @return the architecture */
    public Block block() {
        return block;
    }

    /** @return the scope that owns the weights */
    public NDManager manager() {
        return manager;
    }

    /**
     * @param training true for training mode (batch statistics, running averages updated)
     * @param inputs the inputs
     * @return the outputs (in the first input's scope)
     */
    public NDList forward(boolean training, NDArray... inputs) {
        return block.forward(store, new NDList(inputs), training);
    }

    /**
     * @param training training mode
     * @param input one input
     * @return the single output
     */
    public NDArray forward1(boolean training, NDArray input) {
        return forward(training, input).singletonOrThrow();
    }

    /** @return the trainable parameter arrays, in a fixed order */
    public List<NDArray> trainable() {
        List<NDArray> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                out.add(p.getValue().getArray());
            }
        }
        return out;
    }

    /** @return the number of weights, running statistics included */
    public long parameterCount() {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    /**
     * Writes every parameter (running statistics included), atomically.
     *
     * @param file the weights file
     */
    public void save(Path file) {
        AtomicFiles.write(file, tmp -> {
            try (OutputStream os = Files.newOutputStream(tmp);
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os))) {
                block.saveParameters(out);
            }
        });
    }

    /**
     * @param file a weights file written by {@link #save} for this architecture
     */
    public void load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new VcexException("Weights file not found: " + file);
        }
        List<Shape> expected = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            expected.add(p.getValue().getArray().getShape());
        }
        try (InputStream is = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(is))) {
            block.loadParameters(manager, in);
            // the engine takes each array's shape from the file: a file of another width would load
            // silently, so the shapes are compared with the network's own
            int k = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                Shape got = p.getValue().getArray().getShape();
                if (!got.equals(expected.get(k++))) {
                    throw new IllegalStateException("parameter " + p.getKey() + " has shape " + got + " in the file but "
                            + expected.get(k - 1) + " in the network");
                }
            }
            // loading replaces the arrays; the new ones must be trainable again where the old were
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            }
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new VcexException("Cannot load weights " + file + " into this network (" + e.getMessage()
                    + "); the file is damaged or was written for another architecture", e);
        }
    }

    /**
     * Loads trained weights for use in explanations: loaded, then frozen; the network is closed
     * (its native memory freed) when the file cannot be loaded.
     *
     * @param file the weights
     * @return this network
     */
    public Net loadForInference(Path file) {
        try {
            load(file);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return freeze();
    }

    /**
     * Stops weight gradients: for a trained network used for explanations, gradients then flow to
     * the input only.
     *
     * @return this network
     */
    public Net freeze() {
        block.freezeParameters(true);
        return this;
    }

    /** @return the input shapes the network was built for */
    public Shape[] inputShapes() {
        return inputShapes.clone();
    }

    @Override
    public void close() {
        manager.close();
    }
}
