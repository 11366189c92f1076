package io.vcex.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.Scores;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.VcexContext;
import io.vcex.io.Fixtures;
import io.vcex.io.ModelFolder;
import io.vcex.io.description.DescribedClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ONNX classifiers (exported by PyTorch from the same networks as the TorchScript fixtures) run by ONNX Runtime. */
class OnnxClassifierTest {
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

    /** The raw scores within 1e-4 of what PyTorch computed for the same weights and inputs; a black box only. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"onnx-classifier, ts-classifier", "onnx-mnist, ts-mnist"})
    void scoresMatchPyTorch(String name, String torch) {
        JsonNode ref = reference.get(torch);
        try (DescribedClassifier c = ModelFolder.loadAny(ctx, Fixtures.folder(name)); NDManager scope = ctx.newScope()) {
            assertInstanceOf(OnnxClassifier.class, c);
            assertFalse(c instanceof WhiteBoxClassifier, "ONNX models are black boxes");
            assertEquals(0, ((OnnxClassifier) c).fixedBatch(), "exported with a dynamic batch axis");
            assertArrayEquals(new String[] {"image", "logits"}, ((OnnxClassifier) c).signature());
            NDArray x = Fixtures.inputs(scope, ref.get("shape"));
            int live = ctx.liveArrays();
            Scores s = c.scores(x);
            assertEquals(live, ctx.liveArrays(), "scoring leaves no arrays behind");
            float[] flat = new float[s.raw().length * s.raw()[0].length];
            for (int i = 0; i < s.raw().length; i++) {
                System.arraycopy(s.raw()[i], 0, flat, i * s.raw()[i].length, s.raw()[i].length);
            }
            Fixtures.assertClose(name + " scores", flat, ref.get("outputs"), 1);
            double sum = 0;
            for (float p : s.probabilities()[0]) {
                sum += p;
            }
            assertEquals(1.0, sum, 1e-5, "softmax of the raw scores");
            assertTrue(c.info().fileSha256().containsKey(c.description().file()));
        }
    }

    /** A model exported with a fixed batch of 3 gets batches of 3, the last one padded, and answers as the dynamic one. */
    @Test
    void aFixedBatchIsFilledAndTheAnswersForPaddingDropped() {
        try (DescribedClassifier fixed = ModelFolder.loadAny(ctx, Fixtures.folder("onnx-mnist-batch3"));
                DescribedClassifier dynamic = ModelFolder.loadAny(ctx, Fixtures.folder("onnx-mnist"));
                NDManager scope = ctx.newScope()) {
            assertEquals(3, ((OnnxClassifier) fixed).fixedBatch());
            for (int n : new int[] {1, 2, 4, 7}) {
                NDArray x = Fixtures.inputs(scope, n, 1, 28, 28);
                Scores a = fixed.scores(x);
                Scores b = dynamic.scores(x);
                assertEquals(n, a.size());
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(b.raw()[i], a.raw()[i], 1e-5f, n + " images, image " + i);
                }
            }
        }
    }

    @Test
    void methodsThatNeedGradientsAreToldItIsABlackBox() {
        VcexException e = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, Fixtures.folder("onnx-mnist")));
        assertTrue(e.getMessage().contains("(format onnx) is a black box"), e.getMessage());
    }

    @Test
    void descriptionsThatDoNotFitTheFileNameTheField() throws Exception {
        Path small = Fixtures.copy("onnx-classifier", dir.resolve("small"), t -> ((ObjectNode) t.get("input")).put("width", 32));
        VcexException e = assertThrows(VcexException.class, () -> ModelFolder.loadAny(ctx, small));
        assertTrue(e.getMessage().contains("its input 'image' has shape [-1, 3, 64, 64] (-1: any) but the description's 'input' is "
                + "3x64x32"), e.getMessage());
        Path output = Fixtures.copy("onnx-classifier", dir.resolve("output"), t -> t.put("output", "probabilities"));
        VcexException o = assertThrows(VcexException.class, () -> ModelFolder.loadAny(ctx, output));
        assertTrue(o.getMessage().contains("has no output named 'probabilities' (the description's 'output'); its outputs are [logits]"),
                o.getMessage());
        Path classes = Fixtures.copy("onnx-mnist", dir.resolve("classes"), t -> t.putArray("classNames").add("a").add("b"));
        VcexException k = assertThrows(VcexException.class, () -> ModelFolder.loadAny(ctx, classes));
        assertTrue(k.getMessage().contains("gave 10 values for 1 image(s), but 2 per image are expected (the description's "
                + "'classNames' has 2 names"), k.getMessage());
        Path broken = Fixtures.copy("onnx-mnist", dir.resolve("broken"), t -> t.remove("sha256"));
        Files.writeString(broken.resolve("mnist.onnx"), "not a protobuf");
        VcexException b = assertThrows(VcexException.class, () -> ModelFolder.loadAny(ctx, broken));
        assertTrue(b.getMessage().contains("(the description's 'file') is not an ONNX model"), b.getMessage());
        Path missing = Fixtures.copy("onnx-mnist", dir.resolve("missing"), t -> t.put("file", "none.onnx").remove("sha256"));
        VcexException m = assertThrows(VcexException.class, () -> ModelFolder.loadAny(ctx, missing));
        assertTrue(m.getMessage().contains("the file named by 'file' does not exist"), m.getMessage());
    }
}
