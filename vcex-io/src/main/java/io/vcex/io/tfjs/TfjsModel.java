package io.vcex.io.tfjs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vcex.core.VcexException;
import io.vcex.core.config.Json;
import io.vcex.core.provenance.Hashing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A TensorFlow.js graph model as read from disk, before any engine is involved: the nodes of
 * {@code modelTopology.node} and the constant tensors of {@code weightsManifest}, decoded from
 * the binary shards into Java arrays.
 *
 * <p>Format (tfjs-converter's {@code model.json}, format {@code graph-model}): each node has a
 * {@code name}, an {@code op}, its {@code input} node names ({@code "name"}, {@code "name:k"} for
 * output k, {@code "^name"} for a control dependency) and {@code attr} values in the JSON
 * rendering of TensorFlow's {@code AttrValue} ({@code s} base64 strings, {@code i} integers as
 * strings, {@code f}, {@code b}, {@code list}, {@code shape}, {@code type}). Each manifest group
 * lists shard files ({@code paths}), read one after another as one little-endian byte stream,
 * and the tensors in it ({@code name}, {@code shape}, {@code dtype}, optional {@code quantization}).
 */
public final class TfjsModel {
    private final Path file;
    private final List<Node> nodes;
    private final Map<String, HostTensor> weights;
    private final Map<String, String> fileSha256;

    private TfjsModel(Path file, List<Node> nodes, Map<String, HostTensor> weights, Map<String, String> fileSha256) {
        this.file = file;
        this.nodes = nodes;
        this.weights = weights;
        this.fileSha256 = fileSha256;
    }

    /**
     * One node of the graph.
     *
     * @param name its unique name
     * @param op the TensorFlow op
     * @param inputs the names of the nodes it reads (control dependencies and ":0" removed)
     * @param attr its attributes, as JSON
     */
    public record Node(String name, String op, List<String> inputs, JsonNode attr) {

        /**
         * @param key attribute name
         * @return true when the node has the attribute
         */
        public boolean has(String key) {
            return attr.has(key);
        }

        /**
         * @param key a string attribute (base64 in the file)
         * @param fallback the value when absent
         * @return the decoded string
         */
        public String string(String key, String fallback) {
            JsonNode v = attr.path(key).path("s");
            return v.isMissingNode() ? fallback : new String(Base64.getDecoder().decode(v.asText()), StandardCharsets.UTF_8);
        }

        /**
         * @param key a list-of-strings attribute
         * @return the decoded strings (empty when absent)
         */
        public List<String> strings(String key) {
            List<String> out = new ArrayList<>();
            for (JsonNode v : attr.path(key).path("list").path("s")) {
                out.add(new String(Base64.getDecoder().decode(v.asText()), StandardCharsets.UTF_8));
            }
            return out;
        }

        /**
         * @param key a list-of-integers attribute
         * @return its values, or null when absent or empty
         */
        public int[] ints(String key) {
            JsonNode list = attr.path(key).path("list").path("i");
            if (!list.isArray() || list.isEmpty()) {
                return null;
            }
            int[] out = new int[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Integer.parseInt(list.get(i).asText());
            }
            return out;
        }

        /**
         * @param key a boolean attribute
         * @param fallback the value when absent
         * @return its value
         */
        public boolean bool(String key, boolean fallback) {
            JsonNode v = attr.path(key).path("b");
            return v.isMissingNode() ? fallback : v.asBoolean();
        }

        /**
         * @param key a float attribute
         * @param fallback the value when absent
         * @return its value
         */
        public double number(String key, double fallback) {
            JsonNode v = attr.path(key).path("f");
            return v.isMissingNode() ? fallback : v.asDouble();
        }

        /**
         * @param key a shape attribute (as on a Placeholder)
         * @return its dimensions (-1 where unknown), or null when absent
         */
        public long[] shape(String key) {
            JsonNode s = attr.path(key).path("shape");
            if (s.isMissingNode()) {
                return null;
            }
            JsonNode dims = s.path("dim");
            long[] out = new long[dims.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Long.parseLong(dims.get(i).path("size").asText("-1"));
            }
            return out;
        }

        /**
         * @param key a type attribute
         * @return the TensorFlow type name such as {@code DT_FLOAT}, or null when absent
         */
        public String type(String key) {
            JsonNode v = attr.path(key).path("type");
            return v.isMissingNode() ? null : v.asText();
        }
    }

    /**
     * A constant tensor in host memory.
     *
     * @param name the weight's name (the Const node's name)
     * @param shape its dimensions
     * @param floats its values when it is a float tensor (dequantised), else null
     * @param ints its values when it is an integer tensor, else null
     */
    public record HostTensor(String name, long[] shape, float[] floats, int[] ints) {

        /** @return the number of elements */
        public long size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    /**
     * Reads {@code model.json} and its weight shards (from the same folder).
     *
     * @param file the model.json
     * @return the model; a missing or malformed file, a short shard or a weight type vcex cannot
     *     read is a {@link VcexException} naming the file
     */
    public static TfjsModel read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new VcexException("TF.js model file not found: " + file);
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new VcexException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new VcexException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> hashes = new TreeMap<>();
        hashes.put(file.getFileName().toString(), Hashing.sha256(file));
        String format = root.path("format").asText("");
        if (!format.equals("graph-model")) {
            throw new VcexException(file + " has format '" + format + "', but vcex reads TF.js graph models (format "
                    + "'graph-model'); convert the model with tensorflowjs_converter --output_format=tfjs_graph_model");
        }
        JsonNode nodeList = root.path("modelTopology").path("node");
        if (!nodeList.isArray() || nodeList.isEmpty()) {
            throw new VcexException(file + " has no modelTopology.node list");
        }
        List<Node> nodes = new ArrayList<>();
        for (JsonNode n : nodeList) {
            String name = n.path("name").asText(null);
            String op = n.path("op").asText(null);
            if (name == null || op == null) {
                throw new VcexException(file + ": a node without a name or an op: " + n.toString().substring(0,
                        Math.min(200, n.toString().length())));
            }
            List<String> inputs = new ArrayList<>();
            for (JsonNode in : n.path("input")) {
                String s = in.asText();
                if (s.startsWith("^")) {
                    continue;
                }
                inputs.add(s.endsWith(":0") ? s.substring(0, s.length() - 2) : s);
            }
            JsonNode attr = n.has("attr") ? n.get("attr") : Json.mapper().createObjectNode();
            nodes.add(new Node(name, op, List.copyOf(inputs), attr));
        }
        Map<String, HostTensor> weights = new LinkedHashMap<>();
        Path folder = file.toAbsolutePath().getParent();
        for (JsonNode group : root.path("weightsManifest")) {
            List<Path> shards = new ArrayList<>();
            for (JsonNode p : group.path("paths")) {
                Path shard = folder.resolve(p.asText()).normalize();
                if (!shard.startsWith(folder)) {
                    throw new VcexException(file + ": weight shard '" + p.asText() + "' lies outside the model's folder");
                }
                shards.add(shard);
            }
            ByteBuffer bytes = readShards(file, shards, hashes);
            for (JsonNode w : group.path("weights")) {
                HostTensor t = decode(file, w, bytes, shards);
                weights.put(t.name(), t);
            }
            if (bytes.remaining() != 0) {
                throw new VcexException(file + ": weight shards " + names(shards) + " hold " + bytes.remaining()
                        + " bytes more than the manifest describes; the files do not belong together");
            }
        }
        return new TfjsModel(file, List.copyOf(nodes), Collections.unmodifiableMap(weights),
                Collections.unmodifiableMap(hashes));
    }

    private static ByteBuffer readShards(Path file, List<Path> shards, Map<String, String> hashes) {
        List<byte[]> parts = new ArrayList<>();
        int total = 0;
        for (Path shard : shards) {
            if (!Files.isRegularFile(shard)) {
                throw new VcexException("Weight shard " + shard + " of " + file + " is missing");
            }
            try {
                byte[] b = Files.readAllBytes(shard);
                parts.add(b);
                total += b.length;
                hashes.put(file.toAbsolutePath().getParent().relativize(shard.toAbsolutePath()).toString(),
                        Hashing.sha256(b));
            } catch (IOException e) {
                throw new VcexException("Cannot read weight shard " + shard + ": " + e.getMessage(), e);
            }
        }
        ByteBuffer all = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] b : parts) {
            all.put(b);
        }
        all.flip();
        return all;
    }

    private static HostTensor decode(Path file, JsonNode w, ByteBuffer bytes, List<Path> shards) {
        String name = w.path("name").asText();
        JsonNode shapeNode = w.path("shape");
        long[] shape = new long[shapeNode.size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            n *= shape[i];
        }
        String dtype = w.path("dtype").asText();
        JsonNode q = w.path("quantization");
        String stored = q.isMissingNode() ? dtype : q.path("dtype").asText();
        int width = switch (stored) {
            case "float32", "int32" -> 4;
            case "uint16" -> 2;
            case "uint8" -> 1;
            default -> throw new VcexException(file + ": weight '" + name + "' is stored as " + stored
                    + (q.isMissingNode() ? "" : " (quantised)") + "; vcex reads float32 and int32 weights and uint8 or "
                    + "uint16 affine quantisation");
        };
        if ((long) bytes.remaining() < n * width) {
            throw new VcexException(file + ": weight shards " + names(shards) + " end before weight '" + name + "' ("
                    + n * width + " bytes needed, " + bytes.remaining() + " left); a shard is truncated or belongs to "
                    + "another model");
        }
        int count = (int) n;
        if (!q.isMissingNode()) {
            if (!dtype.equals("float32") || !q.has("scale") || !q.has("min")) {
                throw new VcexException(file + ": weight '" + name + "' uses a quantisation vcex cannot read: " + q);
            }
            float scale = (float) q.get("scale").asDouble();
            float min = (float) q.get("min").asDouble();
            float[] v = new float[count];
            for (int i = 0; i < count; i++) {
                int raw = width == 1 ? Byte.toUnsignedInt(bytes.get()) : Short.toUnsignedInt(bytes.getShort());
                v[i] = raw * scale + min;
            }
            return new HostTensor(name, shape, v, null);
        }
        if (dtype.equals("float32")) {
            float[] v = new float[count];
            bytes.asFloatBuffer().get(v);
            bytes.position(bytes.position() + 4 * count);
            return new HostTensor(name, shape, v, null);
        }
        int[] v = new int[count];
        bytes.asIntBuffer().get(v);
        bytes.position(bytes.position() + 4 * count);
        return new HostTensor(name, shape, null, v);
    }

    private static String names(List<Path> shards) {
        return shards.stream().map(p -> p.getFileName().toString()).toList().toString();
    }

    /** @return the model.json this was read from */
    public Path file() {
        return file;
    }

    /** @return the nodes, in file order */
    public List<Node> nodes() {
        return nodes;
    }

    /** @return the constant tensors by name */
    public Map<String, HostTensor> weights() {
        return weights;
    }

    /** @return file name (relative to the model's folder) to SHA-256, for every file read */
    public Map<String, String> fileSha256() {
        return fileSha256;
    }
}
