package io.vcex.io.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcex.core.VcexException;
import io.vcex.core.autograd.Gradients;
import io.vcex.core.classifier.Scores;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.VcexContext;
import io.vcex.io.Fixtures;
import io.vcex.io.ModelFolder;
import io.vcex.io.description.DescribedClassifier;
import io.vcex.io.description.FileClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TorchScript classifiers against what PyTorch computed for the fixtures (tools/fixtures/make_fixtures.py). */
class TorchScriptClassifierTest {
    private static VcexContext ctx;
    private static JsonNode reference;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        ctx = VcexContext.builder().build();
        reference = Fixtures.reference();
    }

    @AfterAll
    static void close() {
        ctx.close();
    }

    /**
     * Logits and input gradients (of sum_n sum_k w_k logit_k with respect to the vcex image, so
     * through the description's normalisation) within 1e-4 of PyTorch's. ts-classifier was saved
     * in train mode with BatchNorm and Dropout, so this also shows that vcex runs it in eval mode;
     * ts-mnist is traced, ts-tuple's forward returns a tuple of which 'output' picks the logits.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ts-classifier", "ts-mnist", "ts-tuple"})
    void logitsAndInputGradientsMatchPyTorch(String name) {
        JsonNode ref = reference.get(name);
        try (FileClassifier c = ModelFolder.load(ctx, Fixtures.folder(name)); NDManager scope = ctx.newScope()) {
            assertInstanceOf(TorchScriptClassifier.class, c);
            NDArray x = Fixtures.inputs(scope, ref.get("shape"));
            for (int repeat = 0; repeat < 2; repeat++) {
                Fixtures.assertClose(name + " logits", c.logits(x).toFloatArray(), ref.get("outputs"), 1);
            }
            float[] w = Fixtures.floats(ref.get("weights"));
            NDArray weights = scope.create(w).reshape(1, w.length);
            for (int repeat = 0; repeat < 2; repeat++) {
                // twice: gradients must not accumulate from one call to the next
                NDArray g = Gradients.of(scope, x, leaf -> c.logits(leaf).mul(weights).sum());
                Fixtures.assertClose(name + " input gradient", g.toFloatArray(), ref.get("gradient"),
                        ref.get("gradientStride").asInt());
            }
            Scores s = c.scores(x);
            assertEquals(2, s.size());
            assertEquals(ref.get("outputs").get(0).size(), s.probabilities()[0].length);
        }
    }

    @Test
    void nothingStaysAliveAfterCallsAndErrors() {
        int before = ctx.liveArrays();
        try (FileClassifier c = ModelFolder.load(ctx, Fixtures.folder("ts-mnist"))) {
            int loaded = ctx.liveArrays();
            for (int i = 0; i < 20; i++) {
                try (NDManager step = ctx.newScope()) {
                    NDArray x = Fixtures.inputs(step, 2, 1, 28, 28);
                    Gradients.of(step, x, leaf -> c.logits(leaf).sum());
                    c.scores(x);
                }
            }
            try (NDManager step = ctx.newScope()) {
                NDArray wrong = step.zeros(new ai.djl.ndarray.types.Shape(1, 1, 20, 20));
                assertThrows(VcexException.class, () -> c.logits(wrong));
            }
            assertEquals(loaded, ctx.liveArrays(), "arrays alive after 20 steps and an error");
        }
        assertEquals(before, ctx.liveArrays(), "closing the classifier frees its module");
    }

    @Test
    void aWrongInputSizeIsReportedAtLoadNamingTheInputField() {
        Path folder = Fixtures.copy("ts-classifier", dir.resolve("small"), t -> ((ObjectNode) t.get("input"))
                .put("height", 32).put("width", 32));
        VcexException e = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, folder));
        String m = e.getMessage();
        assertTrue(m.contains("fails on an input of shape (1, 3, 32, 32), as the description's 'input' says (3x32x32"), m);
        assertTrue(m.contains("RuntimeError: mat1 and mat2 shapes cannot be multiplied"), "libtorch's own line: " + m);
        assertTrue(m.contains("Set 'input'"), m);
        Path grey = Fixtures.copy("ts-classifier", dir.resolve("grey"), t -> {
            ((ObjectNode) t.get("input")).put("channels", 1);
            t.putArray("mean").add(0.5);
            t.putArray("std").add(0.25);
        });
        VcexException channels = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, grey));
        assertTrue(channels.getMessage().contains("'input'") && channels.getMessage().contains("channels"), channels.getMessage());
    }

    @Test
    void aTupleWithoutOutputIsReportedWithTheFix() {
        Path folder = Fixtures.copy("ts-tuple", dir.resolve("tuple"), t -> t.remove("output"));
        VcexException e = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, folder));
        assertTrue(e.getMessage().contains("forward returned a tuple or list of 2 tensors [(1, 3), (1)]"), e.getMessage());
        assertTrue(e.getMessage().contains("\"output\": \"0\""), e.getMessage());
        Path beyond = Fixtures.copy("ts-tuple", dir.resolve("beyond"), t -> t.put("output", "2"));
        VcexException b = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, beyond));
        assertTrue(b.getMessage().contains("'output' is 2 but forward returned 2 tensor(s)"), b.getMessage());
    }

    @Test
    void aWrongNumberOfClassesNamesClassNamesAndOutputKind() {
        Path folder = Fixtures.copy("ts-mnist", dir.resolve("nine"), t -> t.putArray("classNames").add("a").add("b").add("c"));
        VcexException e = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, folder));
        assertTrue(e.getMessage().contains("forward returned shape (1, 10) for 1 image(s), but 3 output(s) per image"), e.getMessage());
        assertTrue(e.getMessage().contains("'classNames'") && e.getMessage().contains("'outputKind'"), e.getMessage());
    }

    @Test
    void missingAndBrokenFilesNameTheFileField() throws Exception {
        Path missing = Fixtures.copy("ts-mnist", dir.resolve("missing"), t -> {
            t.put("file", "other.pt");
            t.remove("sha256");
        });
        VcexException e = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, missing));
        assertTrue(e.getMessage().contains("'file' does not exist"), e.getMessage());
        Path broken = Fixtures.copy("ts-mnist", dir.resolve("broken"), t -> t.remove("sha256"));
        Files.writeString(broken.resolve("mnist.pt"), "not a zip archive");
        VcexException b = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, broken));
        assertTrue(b.getMessage().contains("(the description's 'file') is not a TorchScript file"), b.getMessage());
        Path replaced = Fixtures.copy("ts-mnist", dir.resolve("replaced"), t -> { });
        Files.writeString(replaced.resolve("mnist.pt"), "not a zip archive");
        VcexException r = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, replaced));
        assertTrue(r.getMessage().contains("is corrupt or was replaced"), r.getMessage());
    }

    @Test
    void loadAnyGivesTheWhiteBoxAndRecordsTheHashes() {
        try (DescribedClassifier c = ModelFolder.loadAny(ctx, Fixtures.folder("ts-classifier"))) {
            assertInstanceOf(WhiteBoxClassifier.class, c);
            assertEquals("3x64x64", c.spec().input().toString());
            assertEquals(java.util.Set.of("classifier.pt", "vcex-model.json"), c.info().fileSha256().keySet());
        }
        VcexException e = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, Fixtures.folder("ts-denoiser")));
        assertTrue(e.getMessage().contains("is a denoiser (the description's 'kind'), not a classifier"), e.getMessage());
    }
}
