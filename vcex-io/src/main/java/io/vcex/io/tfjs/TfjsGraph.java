package io.vcex.io.tfjs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.io.tfjs.TfjsModel.HostTensor;
import io.vcex.io.tfjs.TfjsModel.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A TensorFlow.js graph model compiled for the engine: the nodes its output needs, in an order
 * where every node comes after its inputs, each turned into a kernel of engine ops (see {@link
 * TfjsOps}). Constants become engine tensors once, in the graph's own scope, already in the
 * engine's layout; a run only computes. The run is differentiable with respect to its input.
 *
 * <p>Supported ops: see {@link #SUPPORTED_OPS}. A node the output needs with any other op, or
 * with an attribute value vcex does not implement, fails compilation with a {@link
 * VcexException} naming the op, the node and the file. Nodes the output does not need are
 * ignored.
 */
public final class TfjsGraph implements AutoCloseable {

    /** The ops the interpreter runs. */
    public static final Set<String> SUPPORTED_OPS = Collections.unmodifiableSet(new TreeSet<>(List.of(
            "Placeholder", "Const", "Identity", "_FusedConv2D", "Conv2D", "DepthwiseConv2dNative",
            "FusedDepthwiseConv2dNative", "BiasAdd", "MaxPool", "AddV2", "Add", "Sub", "Mul", "Relu", "Relu6",
            "LeakyRelu", "Sigmoid", "Tanh", "Elu", "Mean", "Softmax", "Reshape", "Squeeze")));

    private static final Set<String> ACTIVATIONS = Set.of("Relu", "Relu6", "LeakyRelu", "Sigmoid", "Tanh", "Elu");

    /** One op of a compiled graph: reads the tensors of some slots, gives the tensor of its slot. */
    @FunctionalInterface
    private interface Kernel {
        NDArray apply(NDArray[] in);
    }

    private record Step(String name, int slot, int[] inputs, Kernel kernel) {
    }

    private final String file;
    private final NDManager constants;
    private final String inputName;
    private final long[] inputShape;
    private final String outputName;
    private final int slots;
    private final int inputSlot;
    private final int outputSlot;
    private final NDArray[] constantSlots;
    private final Set<NDArray> constantSet;
    private final List<Step> steps;

    private TfjsGraph(Compiler c) {
        this.file = c.file;
        this.constants = c.constants;
        this.inputName = c.inputName;
        this.inputShape = c.inputShape;
        this.outputName = c.outputName;
        this.slots = c.order.size();
        this.inputSlot = c.slot.get(c.inputName);
        this.outputSlot = c.slot.get(c.outputName);
        this.constantSlots = c.constantSlots;
        this.constantSet = Collections.newSetFromMap(new IdentityHashMap<>());
        for (NDArray a : constantSlots) {
            if (a != null) {
                constantSet.add(a);
            }
        }
        this.steps = List.copyOf(c.steps);
    }

    /**
     * @param model the parsed model
     * @param output the node whose value {@link #run} returns, or null for the graph's output (the
     *     one node no other node reads)
     * @param parent the scope that owns the graph's constants (a child scope is made; {@link
     *     #close()} frees it)
     * @return the compiled graph
     */
    public static TfjsGraph compile(TfjsModel model, String output, NDManager parent) {
        NDManager constants = parent.newSubManager();
        try {
            return new TfjsGraph(new Compiler(model, output, constants));
        } catch (RuntimeException e) {
            constants.close();
            throw e;
        }
    }

    /** @return the Placeholder node's name */
    public String inputName() {
        return inputName;
    }

    /** @return the Placeholder's declared shape (NHWC for image models; -1 where free) */
    public long[] inputShape() {
        return inputShape.clone();
    }

    /** @return the node whose value {@link #run} returns */
    public String outputName() {
        return outputName;
    }

    /** @return the number of op nodes a run executes (constants and the input excluded) */
    public int opCount() {
        return steps.size();
    }

    /**
     * Runs the graph. Every tensor it makes lives in the input's scope.
     *
     * @param input the Placeholder's value (NHWC for image models)
     * @return the output node's value, in the input's scope
     */
    public NDArray run(NDArray input) {
        Shape s = input.getShape();
        boolean fits = s.dimension() == inputShape.length;
        for (int i = 0; fits && i < inputShape.length; i++) {
            fits = inputShape[i] < 0 || inputShape[i] == s.get(i);
        }
        if (!fits) {
            throw new VcexException("TF.js model " + file + " takes input '" + inputName + "' of shape "
                    + Arrays.toString(inputShape) + " (-1: any) but was given " + s);
        }
        NDManager scope = input.getManager();
        NDArray[] values = Arrays.copyOf(constantSlots, slots);
        values[inputSlot] = input;
        for (Step step : steps) {
            NDArray[] args = new NDArray[step.inputs.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = values[step.inputs[i]];
            }
            NDArray out;
            try {
                out = step.kernel.apply(args);
            } catch (RuntimeException e) {
                throw new VcexException("TF.js model " + file + ": node '" + step.name + "' failed on inputs of shape "
                        + Arrays.stream(args).map(a -> a.getShape().toString()).toList() + ": " + e.getMessage(), e);
            }
            if (out.getManager() != scope && !constantSet.contains(out)) {
                out.attach(scope);
            }
            values[step.slot] = out;
        }
        return values[outputSlot];
    }

    /** Frees the graph's constants. */
    @Override
    public void close() {
        constants.close();
    }

    /** Turns the nodes the output needs into slots, constants and kernels. */
    private static final class Compiler {
        final String file;
        final NDManager constants;
        final Map<String, Node> byName = new LinkedHashMap<>();
        final Map<String, Integer> slot = new HashMap<>();
        final List<Node> order = new ArrayList<>();
        final List<Step> steps = new ArrayList<>();
        final Map<String, HostTensor> weights;
        NDArray[] constantSlots;
        String inputName;
        long[] inputShape;
        String outputName;

        Compiler(TfjsModel model, String output, NDManager constants) {
            this.file = model.file().toString();
            this.constants = constants;
            this.weights = model.weights();
            for (Node n : model.nodes()) {
                if (byName.put(n.name(), n) != null) {
                    throw new VcexException("TF.js model " + file + " has two nodes named '" + n.name() + "'");
                }
            }
            outputName = output != null ? output : soleSink();
            Node out = byName.get(outputName);
            if (out == null) {
                throw new VcexException("TF.js model " + file + " has no node '" + outputName + "' (the description's "
                        + "'output'); its last nodes are " + sinks());
            }
            if (out.op().equals("Const") || out.op().equals("Placeholder")) {
                throw new VcexException("TF.js model " + file + ": the output node '" + outputName + "' is a "
                        + out.op() + ", not a computed value");
            }
            visit(out, new HashSet<>());
            constantSlots = new NDArray[order.size()];
            for (int i = 0; i < order.size(); i++) {
                slot.put(order.get(i).name(), i);
            }
            for (Node n : order) {
                compile(n);
            }
            if (inputName == null) {
                throw new VcexException("TF.js model " + file + ": the output '" + outputName + "' does not depend on "
                        + "any Placeholder input");
            }
        }

        private List<String> sinks() {
            Set<String> read = new HashSet<>();
            for (Node n : byName.values()) {
                read.addAll(n.inputs());
            }
            List<String> out = new ArrayList<>();
            for (Node n : byName.values()) {
                if (!read.contains(n.name()) && !n.op().equals("Const") && !n.op().equals("Placeholder")) {
                    out.add(n.name());
                }
            }
            return out;
        }

        private String soleSink() {
            List<String> s = sinks();
            if (s.size() != 1) {
                throw new VcexException("TF.js model " + file + " has " + s.size() + " output nodes " + s
                        + "; name the one to use in the description's 'output'");
            }
            return s.get(0);
        }

        /** Depth-first post-order from the output: inputs before the nodes that read them. */
        private void visit(Node n, Set<String> onPath) {
            if (slot.containsKey(n.name())) {
                return;
            }
            if (!onPath.add(n.name())) {
                throw new VcexException("TF.js model " + file + " has a cycle through node '" + n.name() + "'");
            }
            for (String in : n.inputs()) {
                if (in.contains(":")) {
                    throw new VcexException("TF.js model " + file + ": node '" + n.name() + "' reads output '" + in
                            + "' of a multi-output op, which vcex's TF.js interpreter does not support");
                }
                Node src = byName.get(in);
                if (src == null) {
                    throw new VcexException("TF.js model " + file + ": node '" + n.name() + "' reads '" + in
                            + "', which is not a node of the graph");
                }
                visit(src, onPath);
            }
            onPath.remove(n.name());
            slot.put(n.name(), -1);
            order.add(n);
        }

        private VcexException unsupported(Node n, String what) {
            return new VcexException("TF.js model " + file + ": node '" + n.name() + "' (op " + n.op() + ") " + what);
        }

        private HostTensor hostConstant(Node n, int input) {
            if (input >= n.inputs().size()) {
                throw unsupported(n, "has " + n.inputs().size() + " inputs; input " + input + " is required");
            }
            Node src = byName.get(n.inputs().get(input));
            if (!src.op().equals("Const")) {
                throw unsupported(n, "needs a constant as input " + input + " but '" + src.name() + "' is computed ("
                        + src.op() + "); vcex's TF.js interpreter supports only constant weights and parameters");
            }
            return weights.get(src.name());
        }

        private NDArray engineConstant(HostTensor t) {
            Shape shape = new Shape(t.shape());
            return t.floats() != null ? constants.create(t.floats(), shape) : constants.create(t.ints(), shape);
        }

        private int[] intsOf(Node n, int input) {
            HostTensor t = hostConstant(n, input);
            if (t.ints() == null) {
                throw unsupported(n, "needs integers as input " + input + " but '" + t.name() + "' holds floats");
            }
            return t.ints();
        }

        private int in(Node n, int i) {
            String name = n.inputs().get(i);
            int s = slot.get(name);
            if (byName.get(name).op().equals("Const") && constantSlots[s] == null) {
                constantSlots[s] = engineConstant(weights.get(name));
            }
            return s;
        }

        private void requireInputs(Node n, int count) {
            if (n.inputs().size() < count) {
                throw unsupported(n, "has " + n.inputs().size() + " inputs but needs " + count);
            }
        }

        private void requireNhwc(Node n) {
            String format = n.string("data_format", "NHWC");
            if (!format.equals("NHWC")) {
                throw unsupported(n, "uses data_format " + format + "; vcex's TF.js interpreter supports NHWC");
            }
        }

        private int[] fourInts(Node n, String key) {
            int[] v = n.ints(key);
            if (v == null) {
                return new int[] {1, 1, 1, 1};
            }
            if (v.length != 4 || v[0] != 1 || v[3] != 1) {
                throw unsupported(n, "has " + key + " " + Arrays.toString(v) + "; vcex supports [1, h, w, 1]");
            }
            return v;
        }

        private String padding(Node n) {
            String p = n.string("padding", "VALID");
            if (!List.of("SAME", "VALID", "EXPLICIT").contains(p)) {
                throw unsupported(n, "uses padding " + p);
            }
            return p;
        }

        private void step(Node n, int[] inputs, Kernel k) {
            steps.add(new Step(n.name(), slot.get(n.name()), inputs, k));
        }

        private void compile(Node n) {
            int self = slot.get(n.name());
            switch (n.op()) {
                case "Placeholder" -> {
                    if (inputName != null) {
                        throw unsupported(n, "is a second input; vcex classifiers take one input ('" + inputName + "')");
                    }
                    String type = n.type("dtype");
                    if (type != null && !type.equals("DT_FLOAT")) {
                        throw unsupported(n, "takes " + type + "; vcex feeds float images");
                    }
                    inputName = n.name();
                    long[] shape = n.shape("shape");
                    inputShape = shape != null ? shape : new long[] {-1, -1, -1, -1};
                }
                case "Const" -> {
                    if (!weights.containsKey(n.name())) {
                        throw unsupported(n, "has no values in the weights manifest");
                    }
                    // made an engine tensor only when an op reads it as data (see in())
                }
                case "Identity" -> {
                    requireInputs(n, 1);
                    step(n, new int[] {in(n, 0)}, a -> a[0]);
                }
                case "_FusedConv2D", "Conv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative" -> compileConv(n);
                case "BiasAdd" -> {
                    requireInputs(n, 2);
                    requireNhwc(n);
                    NDArray bias = engineConstant(hostConstant(n, 1));
                    step(n, new int[] {in(n, 0)}, a -> a[0].add(bias));
                }
                case "MaxPool" -> {
                    requireInputs(n, 1);
                    requireNhwc(n);
                    int[] ksize = fourInts(n, "ksize");
                    int[] strides = fourInts(n, "strides");
                    String padding = padding(n);
                    if (padding.equals("EXPLICIT")) {
                        throw unsupported(n, "uses EXPLICIT padding, which vcex supports for convolutions only");
                    }
                    step(n, new int[] {in(n, 0)}, a -> TfjsOps.maxPool(a[0], ksize, strides, padding));
                }
                case "AddV2", "Add", "Sub", "Mul" -> compileBinary(n);
                case "Relu", "Relu6", "LeakyRelu", "Sigmoid", "Tanh", "Elu" -> {
                    requireInputs(n, 1);
                    float alpha = (float) n.number("alpha", 0.2);
                    String op = n.op();
                    step(n, new int[] {in(n, 0)}, a -> TfjsOps.activation(op, a[0], alpha));
                }
                case "Mean" -> {
                    requireInputs(n, 2);
                    int[] axes = intsOf(n, 1);
                    boolean keep = n.bool("keep_dims", false);
                    step(n, new int[] {in(n, 0)}, a -> TfjsOps.mean(a[0], axes, keep));
                }
                case "Softmax" -> {
                    requireInputs(n, 1);
                    step(n, new int[] {in(n, 0)}, a -> a[0].softmax(-1));
                }
                case "Reshape" -> {
                    requireInputs(n, 2);
                    long[] shape = Arrays.stream(intsOf(n, 1)).asLongStream().toArray();
                    step(n, new int[] {in(n, 0)}, a -> a[0].reshape(new Shape(shape)));
                }
                case "Squeeze" -> {
                    requireInputs(n, 1);
                    int[] dims = n.ints("squeeze_dims");
                    step(n, new int[] {in(n, 0)}, a -> TfjsOps.squeeze(a[0], dims));
                }
                default -> throw new VcexException("TF.js model " + file + ": node '" + n.name() + "' uses op '" + n.op()
                        + "', which vcex's TF.js interpreter does not support; supported ops: " + SUPPORTED_OPS);
            }
        }

        private void compileConv(Node n) {
            requireInputs(n, 2);
            requireNhwc(n);
            boolean depthwise = n.op().contains("Depthwise");
            boolean fused = n.op().startsWith("_Fused") || n.op().startsWith("Fused");
            int[] strides = fourInts(n, "strides");
            int[] dilations = fourInts(n, "dilations");
            String padding = padding(n);
            int[] explicit = n.ints("explicit_paddings");
            HostTensor filterHost = hostConstant(n, 1);
            if (filterHost.shape().length != 4 || filterHost.floats() == null) {
                throw unsupported(n, "needs a 4-D float filter but '" + filterHost.name() + "' has shape "
                        + Arrays.toString(filterHost.shape()));
            }
            NDArray tfFilter = engineConstant(filterHost);
            NDArray filter = depthwise ? TfjsOps.depthwiseFilter(tfFilter) : TfjsOps.convFilter(tfFilter);
            int groups = depthwise ? (int) filterHost.shape()[2] : 1;
            NDArray bias = null;
            String activation = null;
            if (fused) {
                List<String> ops = n.strings("fused_ops");
                int numArgs = Integer.parseInt(n.attr().path("num_args").path("i").asText("1"));
                if (ops.isEmpty() || !ops.get(0).equals("BiasAdd") || numArgs != 1 || ops.size() > 2
                        || (ops.size() == 2 && !ACTIVATIONS.contains(ops.get(1)))) {
                    throw unsupported(n, "fuses " + ops + " (num_args " + numArgs + "); vcex supports BiasAdd followed "
                            + "by an optional activation among " + new TreeSet<>(ACTIVATIONS));
                }
                requireInputs(n, 3);
                bias = engineConstant(hostConstant(n, 2));
                activation = ops.size() == 2 ? ops.get(1) : null;
            }
            NDArray b = bias;
            String act = activation;
            float alpha = (float) n.number("leakyrelu_alpha", 0.2);
            step(n, new int[] {in(n, 0)}, a -> {
                NDArray y = TfjsOps.conv2d(a[0], filter, b, groups, strides, dilations, padding, explicit);
                return act == null ? y : TfjsOps.activation(act, y, alpha);
            });
        }

        private void compileBinary(Node n) {
            requireInputs(n, 2);
            String op = n.op();
            boolean firstConstant = byName.get(n.inputs().get(0)).op().equals("Const");
            boolean secondConstant = byName.get(n.inputs().get(1)).op().equals("Const");
            // the data operand goes first, so results land in the run's scope, not the constants'
            boolean swap = firstConstant && !secondConstant;
            step(n, new int[] {in(n, 0), in(n, 1)}, a -> {
                NDArray x = a[0];
                NDArray y = a[1];
                return switch (op) {
                    case "Sub" -> swap ? y.neg().add(x) : x.sub(y);
                    case "Mul" -> swap ? y.mul(x) : x.mul(y);
                    default -> swap ? y.add(x) : x.add(y);
                };
            });
        }
    }
}
