package io.vcex.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcex.core.config.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The fixture models of tools/fixtures/make_fixtures.py (TorchScript and ONNX, random weights)
 * and what PyTorch computed for them, with the script's fixed inputs made the same way.
 */
public final class Fixtures {
    /** Where the fixture model folders and reference.json are. */
    public static final Path ROOT = Path.of("src/test/resources/fixtures");

    /** How far vcex's numbers may be from PyTorch's. */
    public static final double TOLERANCE = 1e-4;

    private Fixtures() {
    }

    /**
     * @param name a fixture folder's name (ts-classifier, onnx-mnist, ...)
     * @return its folder
     */
    public static Path folder(String name) {
        return ROOT.resolve(name);
    }

    /** @return reference.json */
    public static JsonNode reference() {
        return Json.read(ROOT.resolve("reference.json"), JsonNode.class);
    }

    /**
     * The script's fixed images: 0.5 + 0.45 sin(0.37 h - 0.23 w + 1.1 c + 2.3 n) cos(0.11 (h + w) + n),
     * computed in double, rounded to float.
     *
     * @param m the scope of the batch
     * @param n images
     * @param c channels
     * @param h rows
     * @param w columns
     * @return the NCHW batch
     */
    public static NDArray inputs(NDManager m, int n, int c, int h, int w) {
        float[] v = new float[n * c * h * w];
        int i = 0;
        for (int a = 0; a < n; a++) {
            for (int k = 0; k < c; k++) {
                for (int r = 0; r < h; r++) {
                    for (int s = 0; s < w; s++) {
                        v[i++] = (float) (0.5 + 0.45 * Math.sin(0.37 * r - 0.23 * s + 1.1 * k + 2.3 * a) * Math.cos(0.11 * (r + s) + a));
                    }
                }
            }
        }
        return m.create(v, new Shape(n, c, h, w));
    }

    /**
     * @param m the scope
     * @param shape the reference's {@code shape} field
     * @return the fixed images of that shape
     */
    public static NDArray inputs(NDManager m, JsonNode shape) {
        return inputs(m, shape.get(0).asInt(), shape.get(1).asInt(), shape.get(2).asInt(), shape.get(3).asInt());
    }

    /**
     * @param node a JSON array of numbers, or of arrays of numbers
     * @return its numbers, flattened in order
     */
    public static float[] floats(JsonNode node) {
        return flatten(node).toArray();
    }

    private static FloatList flatten(JsonNode node) {
        FloatList out = new FloatList();
        add(out, node);
        return out;
    }

    private static void add(FloatList out, JsonNode node) {
        if (node.isArray()) {
            node.forEach(e -> add(out, e));
        } else {
            out.add((float) node.asDouble());
        }
    }

    /**
     * Asserts that every {@code stride}-th value of {@code actual} is within {@link #TOLERANCE}
     * (times the reference's largest magnitude when above 1) of {@code expected}, and that the
     * difference's norm is below {@link #TOLERANCE} of the reference's norm.
     *
     * @param what for messages
     * @param actual all values
     * @param expected the reference values (every stride-th)
     * @param stride 1 for all values
     */
    public static void assertClose(String what, float[] actual, JsonNode expected, int stride) {
        float[] ref = floats(expected);
        assertEquals(ref.length, (actual.length + stride - 1) / stride, what + ": number of values");
        double worst = 0;
        double scale = 1;
        double diff2 = 0;
        double ref2 = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = actual[i * stride] - ref[i];
            worst = Math.max(worst, Math.abs(d));
            scale = Math.max(scale, Math.abs(ref[i]));
            diff2 += d * d;
            ref2 += (double) ref[i] * ref[i];
        }
        assertTrue(worst <= TOLERANCE * scale, what + ": largest difference to PyTorch " + worst);
        assertTrue(Math.sqrt(diff2) <= TOLERANCE * Math.max(Math.sqrt(ref2), 1e-6), what + ": relative difference "
                + Math.sqrt(diff2 / Math.max(ref2, 1e-30)));
    }

    /**
     * Copies a fixture folder and edits its description.
     *
     * @param name the fixture
     * @param to where the copy goes (created)
     * @param edit changes to the description's JSON tree
     * @return the copy
     */
    public static Path copy(String name, Path to, Consumer<ObjectNode> edit) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(folder(name))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
            Path d = to.resolve("vcex-model.json");
            ObjectNode tree = (ObjectNode) Json.mapper().readTree(d.toFile());
            edit.accept(tree);
            Files.writeString(d, Json.write(tree));
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A growable float array. */
    private static final class FloatList {
        private float[] values = new float[64];
        private int size;

        void add(float v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
