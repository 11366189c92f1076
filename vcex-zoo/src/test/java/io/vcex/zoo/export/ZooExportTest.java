package io.vcex.zoo.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.config.Json;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.diffusion.NoiseSchedule;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.zoo.card.ModelCard;
import io.vcex.zoo.models.NetClassifier;
import io.vcex.zoo.models.NetDenoiser;
import io.vcex.zoo.nn.Blocks;
import io.vcex.zoo.nn.Net;
import io.vcex.zoo.nn.UNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooExportTest {

    @Test
    void archiveRoundTripsNamesShapesValuesAndMetadata(@TempDir Path dir) throws Exception {
        List<TensorArchive.Tensor> in = List.of(
                new TensorArchive.Tensor("a", new long[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, -0f, 1e30f}),
                new TensorArchive.Tensor("scalar", new long[0], new float[] {42}),
                new TensorArchive.Tensor("empty", new long[] {0, 4}, new float[0]),
                new TensorArchive.Tensor("b.c", new long[] {1, 1, 2}, new float[] {Float.NaN, Float.NEGATIVE_INFINITY}));
        TensorArchive.write(dir, "t", Map.of("model", "x", "list", List.of(1, 2)), in);
        // little-endian float32, back to back
        byte[] bytes = Files.readAllBytes(dir.resolve("t.bin"));
        assertEquals(4 * 9, bytes.length);
        assertEquals(Float.floatToIntBits(1f), (bytes[0] & 0xff) | (bytes[1] & 0xff) << 8 | (bytes[2] & 0xff) << 16 | bytes[3] << 24);
        TensorArchive.Contents out = TensorArchive.read(dir, "t");
        assertEquals(List.of("a", "scalar", "empty", "b.c"), List.copyOf(out.tensors().keySet()));
        for (TensorArchive.Tensor t : in) {
            TensorArchive.Tensor r = out.get(t.name());
            assertArrayEquals(t.shape(), r.shape(), t.name());
            assertArrayEquals(t.data(), r.data(), 0f, t.name());
        }
        assertEquals("x", out.meta().path("model").asText());
        assertEquals(2, out.meta().path("list").get(1).asInt());
        assertEquals(TensorArchive.FORMAT, Json.mapper().readTree(dir.resolve("t.json").toFile()).path("format").asText());
        assertThrows(VcexException.class, () -> out.get("missing"));
        assertThrows(VcexException.class, () -> TensorArchive.read(dir, "nothing"));
        assertThrows(IllegalArgumentException.class, () -> new TensorArchive.Tensor("bad", new long[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> TensorArchive.write(dir, "dup", null, List.of(in.get(1), in.get(1))));
    }

    @Test
    void exportedClassifierParametersAndReferenceMatchTheNetwork(@TempDir Path dir) {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            Net net = new Net(Blocks.convClassifier(2, 1), ctx.manager(), new Rng(3), new Shape(1, 3, 64, 64)).freeze();
            ClassifierSpec spec = new ClassifierSpec("tiny", new ImageSpec(3, 64, 64), List.of("not x", "x"), OutputKind.BINARY_LOGIT);
            NetClassifier clf = new NetClassifier(net, spec, new ModelInfo("tiny", Map.of()));
            ZooExport.export(ctx, card("tiny", "classifier"), clf, dir);

            TensorArchive.Contents params = TensorArchive.read(dir, ZooExport.PARAMETERS);
            List<Pair<String, Parameter>> expected = net.block().getParameters().stream().toList();
            assertEquals(expected.size(), params.tensors().size());
            for (Pair<String, Parameter> p : expected) {
                NDArray a = p.getValue().getArray();
                TensorArchive.Tensor t = params.get(p.getKey());
                assertArrayEquals(a.getShape().getShape(), t.shape(), p.getKey());
                assertArrayEquals(a.toFloatArray(), t.data(), 0f, p.getKey());
            }
            assertTrue(params.tensors().keySet().stream().anyMatch(k -> k.endsWith("runningVar")), "running statistics are exported");
            assertEquals("BINARY_LOGIT", params.meta().path("outputKind").asText());

            TensorArchive.Contents ref = TensorArchive.read(dir, ZooExport.REFERENCE);
            TensorArchive.Tensor x = ref.get("classifier.x");
            assertArrayEquals(new long[] {ZooExport.REFERENCE_BATCH, 3, 64, 64}, x.shape());
            float[] logits = clf.logits(m.create(x.data(), new Shape(x.shape()))).toFloatArray();
            assertArrayEquals(logits, ref.get("classifier.logits").data(), 1e-6f);
            assertEquals(x.data().length, ref.get("classifier.grad_x").data().length);
        }
    }

    @Test
    void exportedDenoiserHasItsScheduleAndReference(@TempDir Path dir) {
        try (VcexContext ctx = VcexContext.builder().build()) {
            Net net = new Net(new UNet(3, 8, new int[] {1, 2}, 0), ctx.manager(), new Rng(1), new Shape(1, 3, 8, 8), new Shape(1))
                    .freeze();
            NoiseSchedule schedule = NoiseSchedule.linear(50);
            NetDenoiser d = new NetDenoiser(net, 0, new ImageSpec(3, 8, 8), schedule, new ModelInfo("tinydiff", Map.of()));
            ZooExport.export(ctx, card("tinydiff", "diffusion"), d, dir);
            TensorArchive.Contents params = TensorArchive.read(dir, ZooExport.PARAMETERS);
            assertTrue(params.tensors().containsKey("04down0_02conv1_weight"), params.tensors().keySet().toString());
            assertEquals(50, params.meta().path("betas").size());
            assertEquals(schedule.beta(49), params.meta().path("betas").get(49).asDouble(), 0.0);
            TensorArchive.Contents ref = TensorArchive.read(dir, ZooExport.REFERENCE);
            assertArrayEquals(new float[] {0, 24, 49}, ref.get("denoiser.t").data(), 0f);
            assertArrayEquals(new long[] {ZooExport.REFERENCE_BATCH, 3, 8, 8}, ref.get("denoiser.eps").shape());
            assertFalse(ref.tensors().containsKey("denoiser.z"));
        }
    }

    private static ModelCard card(String name, String kind) {
        return new ModelCard(name, kind, "test", "test", 0, Json.tree(Map.of("width", 2)), 0, "test", Map.of(), "weights.params",
                "0", 0, "", "test", "0.35.1");
    }
}
