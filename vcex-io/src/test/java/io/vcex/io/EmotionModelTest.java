package io.vcex.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.vcex.core.VcexException;
import io.vcex.core.autograd.Gradients;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.classifier.Scores;
import io.vcex.core.context.VcexContext;
import io.vcex.core.config.Json;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageFiles;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import io.vcex.core.provenance.Hashing;
import io.vcex.io.description.FileClassifier;
import io.vcex.io.description.ModelDescription;
import io.vcex.io.tfjs.TfjsClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped emotion model through vcex's TF.js interpreter, against outputs TensorFlow.js
 * computed for the same inputs (tools/reference/emotion_reference.mjs).
 */
class EmotionModelTest {
    private static final Path REFERENCE = Path.of("src/test/resources/reference");
    private static final float TOLERANCE = 1e-4f;
    private static VcexContext ctx;
    private static FileClassifier emotion;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        ctx = VcexContext.builder().build();
        emotion = BuiltInModels.emotion(ctx);
    }

    @AfterAll
    static void close() {
        emotion.close();
        ctx.close();
    }

    /** The inputs of the reference script, made the same way. */
    private static ImageData input(JsonNode c) {
        String name = c.get("name").asText();
        if (c.has("file")) {
            Path file = REFERENCE.resolve(c.get("file").asText());
            assertEquals(c.get("fileSha256").asText(), Hashing.sha256(file), "the PNG TF.js read: " + file);
            return ImageFiles.read(file, 3, 0, 0);
        }
        int plane = 64 * 64;
        float[] px = new float[3 * plane];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int i = y * 64 + x;
                if (name.equals("constant")) {
                    px[i] = px[plane + i] = px[2 * plane + i] = 0.5f;
                } else {
                    px[i] = (float) (x / 63.0);
                    px[plane + i] = (float) (y / 63.0);
                    px[2 * plane + i] = (float) (((7 * x + 13 * y) % 64) / 63.0);
                }
            }
        }
        return new ImageData(3, 64, 64, px);
    }

    private static JsonNode reference() throws IOException {
        return Json.mapper().readTree(Files.readString(REFERENCE.resolve("emotion_reference.json")));
    }

    /** @return the largest difference between a row of scores and the reference's array */
    private static double maxDiff(float[] got, JsonNode expected) {
        assertEquals(expected.size(), got.length);
        double max = 0;
        for (int i = 0; i < got.length; i++) {
            max = Math.max(max, Math.abs(got[i] - expected.get(i).asDouble()));
        }
        return max;
    }

    @Test
    void probabilitiesAgreeWithTensorFlowJs() throws IOException {
        JsonNode ref = reference();
        assertEquals(emotion.info().fileSha256().get("emotion.bin"), ref.get("model").get("emotion.bin").asText(),
                "the reference was computed with the shipped weights");
        assertEquals(emotion.spec().classNames(), Json.mapper().convertValue(ref.get("classNames"), List.class));
        List<JsonNode> direct = new ArrayList<>();
        List<ImageData> images = new ArrayList<>();
        for (JsonNode c : ref.get("cases")) {
            if (c.get("resize").asText().equals("none")) {
                direct.add(c);
                images.add(input(c));
            }
        }
        assertEquals(4, direct.size());
        double worstP = 0;
        double worstLogit = 0;
        try (NDManager m = ctx.newScope()) {
            Scores s = emotion.scores(ImageTensors.toBatch(m, images, ValueRange.UNIT));
            for (int i = 0; i < direct.size(); i++) {
                worstP = Math.max(worstP, maxDiff(s.probabilities()[i], direct.get(i).get("probabilities")));
                worstLogit = Math.max(worstLogit, maxDiff(s.raw()[i], direct.get(i).get("logits")));
            }
        }
        assertTrue(worstP < TOLERANCE, "largest probability difference to TF.js: " + worstP);
        assertTrue(worstLogit < 1e-3, "largest logit difference to TF.js: " + worstLogit);

        // the whole graph, ending in its own Softmax node, gives the same probabilities
        ModelDescription d = emotion.description();
        ModelDescription whole = new ModelDescription(d.name(), d.format(), d.file(), d.input(), d.range(), d.mean(),
                d.std(), d.classNames(), OutputKind.PROBABILITIES, null, d.adapter(), d.sha256(), null, d.kind(), null, null, null);
        try (TfjsClassifier c = TfjsClassifier.load(ctx, whole, BuiltInModels.emotionFolder()); NDManager m = ctx.newScope()) {
            assertEquals("Identity", c.graph().outputName());
            Scores s = c.scores(ImageTensors.toBatch(m, images, ValueRange.UNIT));
            for (int i = 0; i < direct.size(); i++) {
                double diff = maxDiff(s.raw()[i], direct.get(i).get("probabilities"));
                assertTrue(diff < TOLERANCE, direct.get(i).get("name") + ": " + diff);
            }
        }
    }

    @Test
    void resizingAdaptersAgreeWithTfjsResizeBilinear() throws IOException {
        ModelDescription d = emotion.description();
        for (JsonNode c : reference().get("cases")) {
            String resize = c.get("resize").asText();
            if (resize.equals("none")) {
                continue;
            }
            JsonNode a = c.get("accepts");
            ModelDescription.Adapter adapter = new ModelDescription.Adapter(
                    new ModelDescription.Shape(a.get(0).asInt(), a.get(1).asInt(), a.get(2).asInt()),
                    d.adapter().colour(), d.adapter().greyWeights(), resize);
            ModelDescription big = new ModelDescription(d.name(), d.format(), d.file(), d.input(), d.range(), d.mean(),
                    d.std(), d.classNames(), d.outputKind(), d.output(), adapter, d.sha256(), null, d.kind(), null, null, null);
            try (TfjsClassifier cl = TfjsClassifier.load(ctx, big, BuiltInModels.emotionFolder()); NDManager m = ctx.newScope()) {
                Scores s = cl.scores(ImageTensors.toBatch(m, input(c), ValueRange.UNIT));
                double diff = maxDiff(s.probabilities()[0], c.get("probabilities"));
                assertTrue(diff < TOLERANCE, c.get("name") + ": largest probability difference " + diff);
            }
        }
    }

    @Test
    void inputGradientsExistAndMatchFiniteDifferences() throws IOException {
        JsonNode face = reference().get("cases").get(3);
        int happy = emotion.spec().classIndex("happy");
        try (NDManager m = ctx.newScope()) {
            NDArray x = ImageTensors.toBatch(m, input(face), ValueRange.UNIT);
            NDArray g = Gradients.of(m, x, v -> emotion.logits(v).get(0, happy));
            float norm = g.norm().getFloat();
            assertTrue(norm > 0 && Float.isFinite(norm), "gradient norm " + norm);
            // f(x + h g) - f(x - h g) ~ 2 h |g|^2 along the gradient
            float h = 1e-2f / norm;
            float plus = emotion.logits(x.add(g.mul(h))).get(0, happy).getFloat();
            float minus = emotion.logits(x.sub(g.mul(h))).get(0, happy).getFloat();
            float expected = 2 * h * norm * norm;
            assertEquals(expected, plus - minus, 0.05f * Math.abs(expected));
        }
    }

    @Test
    void scoresLogitsAndGradientsLeaveNoArraysBehind() throws IOException {
        JsonNode face = reference().get("cases").get(2);
        try (NDManager m = ctx.newScope()) {
            NDArray x = ImageTensors.toBatch(m, input(face), ValueRange.UNIT);
            int before = ctx.liveArrays();
            for (int i = 0; i < 3; i++) {
                emotion.scores(x);
            }
            assertEquals(before, ctx.liveArrays(), "scores");
            try (NDManager step = m.newSubManager()) {
                NDArray in = x.duplicate();
                in.attach(step);
                emotion.logits(in);
                Gradients.of(step, in, v -> emotion.logits(v).get(0, 3));
            }
            assertEquals(before, ctx.liveArrays(), "logits and a gradient in a closed scope");
        }
    }

    @Test
    void missingAndCorruptFilesAreClearErrors() throws IOException {
        Path folder = dir.resolve("emotion");
        Files.createDirectories(folder);
        for (String f : List.of("emotion.json", "emotion.bin", "vcex-model.json")) {
            Files.copy(BuiltInModels.emotionFolder().resolve(f), folder.resolve(f));
        }
        int before = ctx.liveArrays();
        ModelFolder.load(ctx, folder, true).close();
        assertEquals(before, ctx.liveArrays(), "closing frees the weights");

        Path bin = folder.resolve("emotion.bin");
        byte[] good = Files.readAllBytes(bin);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 1;
        Files.write(bin, bad);
        VcexException corrupt = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, folder, true));
        assertTrue(corrupt.getMessage().contains("corrupt") && corrupt.getMessage().contains(bin.toString()),
                corrupt.getMessage());
        Files.delete(bin);
        VcexException missing = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, folder, true));
        assertTrue(missing.getMessage().contains("missing") && missing.getMessage().contains(bin.toString()),
                missing.getMessage());
        Files.write(bin, good);

        Path description = folder.resolve(ModelDescription.FILE_NAME);
        String text = Files.readString(description);
        Files.writeString(description, text.replaceAll("\"emotion.bin\": \"[0-9a-f]+\"", "\"other.bin\": \"" + "0".repeat(64) + "\""));
        VcexException other = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, folder, true));
        assertTrue(other.getMessage().contains("missing") && other.getMessage().contains("other.bin"), other.getMessage());
        Files.writeString(description, text.replaceAll(",\\s*\"emotion.bin\": \"[0-9a-f]+\"", ""));
        VcexException unlisted = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, folder, true));
        assertTrue(unlisted.getMessage().contains("no sha256 for emotion.bin"), unlisted.getMessage());
        ModelFolder.load(ctx, folder).close();
        assertEquals(before, ctx.liveArrays(), "a refused model frees its weights");

        Files.delete(description);
        VcexException none = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, folder));
        assertTrue(none.getMessage().contains("No model description") && none.getMessage().contains(folder.toString()),
                none.getMessage());
    }
}
