package io.vcex.io.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.context.VcexContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsGraphTest {
    @TempDir
    Path dir;

    /** Writes a small graph model: nodes as JSON, weights as float32 or int32 (or uint8-quantised) values. */
    private static final class Tiny {
        final List<String> nodes = new ArrayList<>();
        final List<String> specs = new ArrayList<>();
        final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        static String b64(String s) {
            return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
        }

        Tiny input(String name, int... shape) {
            StringBuilder dims = new StringBuilder();
            for (int d : shape) {
                dims.append(dims.length() == 0 ? "" : ",").append("{\"size\":\"").append(d).append("\"}");
            }
            nodes.add("{\"name\":\"" + name + "\",\"op\":\"Placeholder\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"},"
                    + "\"shape\":{\"shape\":{\"dim\":[" + dims + "]}}}}");
            return this;
        }

        Tiny floats(String name, int[] shape, float... v) {
            nodes.add("{\"name\":\"" + name + "\",\"op\":\"Const\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"}}}");
            specs.add("{\"name\":\"" + name + "\",\"shape\":" + java.util.Arrays.toString(shape) + ",\"dtype\":\"float32\"}");
            for (float f : v) {
                bytes.putFloat(f);
            }
            return this;
        }

        Tiny ints(String name, int[] shape, int... v) {
            nodes.add("{\"name\":\"" + name + "\",\"op\":\"Const\",\"attr\":{\"dtype\":{\"type\":\"DT_INT32\"}}}");
            specs.add("{\"name\":\"" + name + "\",\"shape\":" + java.util.Arrays.toString(shape) + ",\"dtype\":\"int32\"}");
            for (int i : v) {
                bytes.putInt(i);
            }
            return this;
        }

        Tiny quantised(String name, int[] shape, float min, float scale, int... q) {
            nodes.add("{\"name\":\"" + name + "\",\"op\":\"Const\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"}}}");
            specs.add("{\"name\":\"" + name + "\",\"shape\":" + java.util.Arrays.toString(shape) + ",\"dtype\":\"float32\","
                    + "\"quantization\":{\"dtype\":\"uint8\",\"min\":" + min + ",\"scale\":" + scale + "}}");
            for (int i : q) {
                bytes.put((byte) i);
            }
            return this;
        }

        Tiny op(String name, String op, String attr, String... inputs) {
            StringBuilder in = new StringBuilder();
            for (String s : inputs) {
                in.append(in.length() == 0 ? "" : ",").append('"').append(s).append('"');
            }
            nodes.add("{\"name\":\"" + name + "\",\"op\":\"" + op + "\",\"input\":[" + in + "],\"attr\":{" + attr + "}}");
            return this;
        }

        Path write(Path folder) throws IOException {
            Files.createDirectories(folder);
            byte[] data = new byte[bytes.position()];
            bytes.duplicate().flip().get(data);
            Files.write(folder.resolve("weights.bin"), data);
            Path json = folder.resolve("model.json");
            Files.writeString(json, "{\"format\":\"graph-model\",\"generatedBy\":\"test\",\"convertedBy\":\"test\","
                    + "\"modelTopology\":{\"node\":[" + String.join(",", nodes) + "]},"
                    + "\"weightsManifest\":[{\"paths\":[\"weights.bin\"],\"weights\":[" + String.join(",", specs) + "]}]}");
            return json;
        }
    }

    @Test
    void aSmallGraphRunsEveryGeneralOp() throws IOException {
        // x [-1, 2, 2, 1] -> Mul by quantised 2 -> Sub 1 (constant first) -> Relu6 -> Reshape [-1, 4]
        //   -> Mean over axis -1 keep dims -> AddV2 with the reshaped -> Softmax -> Identity
        Path json = new Tiny().input("x", -1, 2, 2, 1)
                .quantised("two", new int[] {}, 0f, 0.5f, 4)
                .floats("one", new int[] {}, 1f)
                .ints("shape", new int[] {2}, -1, 4)
                .ints("axis", new int[] {1}, -1)
                .op("mul", "Mul", "", "two", "x")
                .op("sub", "Sub", "", "one", "mul")
                .op("relu", "Relu6", "", "sub")
                .op("flat", "Reshape", "", "relu", "shape")
                .op("mean", "Mean", "\"keep_dims\":{\"b\":true}", "flat", "axis")
                .op("add", "AddV2", "", "flat", "mean")
                .op("soft", "Softmax", "", "add")
                .op("out", "Identity", "", "^mean", "soft:0")
                .ints("hw", new int[] {2}, 1, -2)
                .op("pooled", "Mean", "", "x", "hw")
                .op("squeezed", "Squeeze", "\"squeeze_dims\":{\"list\":{\"i\":[\"1\"]}}", "mean")
                .write(dir.resolve("tiny"));
        TfjsModel model = TfjsModel.read(json);
        assertEquals(2, model.fileSha256().size(), "model.json and its shard are hashed");
        try (VcexContext ctx = VcexContext.builder().build(); TfjsGraph g = TfjsGraph.compile(model, "out", ctx.manager())) {
            assertEquals("out", g.outputName());
            int before = ctx.liveArrays();
            float[] got;
            try (NDManager m = ctx.newScope()) {
                NDArray x = m.create(new float[] {0f, 1f, -2f, 4f}, new Shape(1, 2, 2, 1));
                got = g.run(x).toFloatArray();
            }
            assertEquals(before, ctx.liveArrays(), "a run leaves nothing behind");
            try (TfjsGraph pooled = TfjsGraph.compile(model, "pooled", ctx.manager());
                    TfjsGraph squeezed = TfjsGraph.compile(model, "squeezed", ctx.manager());
                    NDManager m = ctx.newScope()) {
                NDArray x = m.create(new float[] {0f, 1f, -2f, 4f, 1f, 1f, 1f, 1f}, new Shape(2, 2, 2, 1));
                NDArray p = pooled.run(x);
                assertEquals(new Shape(2, 1), p.getShape(), "mean over two axes without keep_dims");
                assertArrayEquals(new float[] {0.75f, 1f}, p.toFloatArray(), 1e-6f);
                NDArray q = squeezed.run(x);
                assertEquals(new Shape(2), q.getShape());
                assertArrayEquals(new float[] {1.5f, 0f}, q.toFloatArray(), 1e-6f);
            }
            // 1 - 2x = 1, -1, 5, -7 -> relu6: 1, 0, 5, 0 -> + mean 1.5 -> softmax
            double[] z = {2.5, 1.5, 6.5, 1.5};
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v);
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(Math.exp(z[i]) / sum, got[i], 1e-6, "element " + i);
            }
            try (NDManager m = ctx.newScope()) {
                VcexException wrong = assertThrows(VcexException.class, () -> g.run(m.zeros(new Shape(1, 3, 3, 1))));
                assertTrue(wrong.getMessage().contains("[-1, 2, 2, 1]"), wrong.getMessage());
            }
        }
    }

    @Test
    void anUnsupportedOpIsNamedWithItsNodeAndFile() throws IOException {
        Path json = new Tiny().input("x", -1, 4)
                .op("erf", "Erf", "", "x")
                .op("out", "Identity", "", "erf")
                .write(dir.resolve("erf"));
        try (VcexContext ctx = VcexContext.builder().build()) {
            int before = ctx.liveArrays();
            VcexException e = assertThrows(VcexException.class,
                    () -> TfjsGraph.compile(TfjsModel.read(json), null, ctx.manager()));
            assertTrue(e.getMessage().contains("op 'Erf'") && e.getMessage().contains("node 'erf'")
                    && e.getMessage().contains(json.toString()), e.getMessage());
            assertEquals(before, ctx.liveArrays(), "a failed compilation frees what it made");
        }
    }

    @Test
    void unsupportedFusionsAndAmbiguousOutputsAreExplained() throws IOException {
        String fusedNorm = "\"fused_ops\":{\"list\":{\"s\":[\"" + Tiny.b64("FusedBatchNorm") + "\"]}},"
                + "\"num_args\":{\"i\":\"4\"},\"padding\":{\"s\":\"" + Tiny.b64("SAME") + "\"}";
        Path json = new Tiny().input("x", -1, 2, 2, 1)
                .floats("w", new int[] {1, 1, 1, 1}, 2f)
                .op("conv", "_FusedConv2D", fusedNorm, "x", "w")
                .op("relu", "Relu", "", "x")
                .write(dir.resolve("fused"));
        try (VcexContext ctx = VcexContext.builder().build()) {
            TfjsModel model = TfjsModel.read(json);
            VcexException two = assertThrows(VcexException.class, () -> TfjsGraph.compile(model, null, ctx.manager()));
            assertTrue(two.getMessage().contains("2 output nodes") && two.getMessage().contains("'output'"), two.getMessage());
            VcexException fused = assertThrows(VcexException.class, () -> TfjsGraph.compile(model, "conv", ctx.manager()));
            assertTrue(fused.getMessage().contains("FusedBatchNorm") && fused.getMessage().contains("node 'conv'"),
                    fused.getMessage());
            VcexException absent = assertThrows(VcexException.class, () -> TfjsGraph.compile(model, "logits", ctx.manager()));
            assertTrue(absent.getMessage().contains("no node 'logits'"), absent.getMessage());
            try (TfjsGraph relu = TfjsGraph.compile(model, "relu", ctx.manager()); NDManager m = ctx.newScope()) {
                assertEquals(1, relu.opCount(), "nodes the output does not need are not compiled");
                assertArrayEquals(new float[] {0, 3, 0, 0}, relu.run(m.create(new float[] {-1, 3, -2, 0}, new Shape(1, 2, 2, 1)))
                        .toFloatArray());
            }
        }
    }

    @Test
    void shardsThatDoNotFitTheManifestAreReported() throws IOException {
        Path json = new Tiny().input("x", -1, 2).floats("w", new int[] {4}, 1, 2, 3, 4).op("add", "AddV2", "", "x", "w")
                .write(dir.resolve("short"));
        Path bin = json.resolveSibling("weights.bin");
        Files.write(bin, java.util.Arrays.copyOf(Files.readAllBytes(bin), 12));
        VcexException truncated = assertThrows(VcexException.class, () -> TfjsModel.read(json));
        assertTrue(truncated.getMessage().contains("end before weight 'w'"), truncated.getMessage());
        Files.write(bin, new byte[20]);
        VcexException longer = assertThrows(VcexException.class, () -> TfjsModel.read(json));
        assertTrue(longer.getMessage().contains("4 bytes more"), longer.getMessage());
        Files.delete(bin);
        VcexException missing = assertThrows(VcexException.class, () -> TfjsModel.read(json));
        assertTrue(missing.getMessage().contains("missing") && missing.getMessage().contains(bin.toString()), missing.getMessage());
        Files.writeString(json, "{\"format\":\"layers-model\"}");
        VcexException layers = assertThrows(VcexException.class, () -> TfjsModel.read(json));
        assertTrue(layers.getMessage().contains("graph-model"), layers.getMessage());
    }
}
