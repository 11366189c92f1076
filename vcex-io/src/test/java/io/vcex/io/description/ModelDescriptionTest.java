package io.vcex.io.description;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.config.Json;
import io.vcex.core.image.ValueRange;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ModelDescriptionTest {
    private static final String VALID = """
            {
              "name": "emotion",
              "format": "tfjs",
              "file": "emotion.json",
              "input": {"channels": 1, "height": 64, "width": 64},
              "range": "symmetric",
              "classNames": ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"],
              "outputKind": "SOFTMAX",
              "adapter": {"colour": "rgb-to-grey"},
              "sha256": {"emotion.json": "56f7e557eb0c863a8b9ab04ac7ccba756e93bf2c27dce135ef0e8712b80b7ad2"}
            }
            """;

    private static ObjectNode valid() {
        try {
            return (ObjectNode) Json.mapper().readTree(VALID);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModelDescription parse(JsonNode tree) {
        return Json.parse(tree.toString(), ModelDescription.class, "vcex-model.json");
    }

    @Test
    void aValidDescriptionGetsTheAdaptersDefaults() {
        ModelDescription d = parse(valid());
        assertEquals(ValueRange.SYMMETRIC, d.valueRange());
        assertEquals(new ModelDescription.Shape(3, 64, 64), d.adapter().accepts(), "rgb-to-grey accepts RGB at the input's size");
        assertEquals(List.of(0.299, 0.587, 0.114), d.adapter().greyWeights().stream()
                .map(w -> Math.round(w * 1000) / 1000.0).toList(), "BT.601 by default");
        assertEquals("none", d.adapter().resize());
        assertNull(d.mean());
        assertEquals("3x64x64", d.spec().input().toString());
        assertEquals(OutputKind.SOFTMAX, d.spec().outputKind());
        ObjectNode bare = valid();
        bare.remove("adapter");
        bare.put("range", "unit");
        ModelDescription plain = parse(bare);
        assertEquals(new ModelDescription.Shape(1, 64, 64), plain.adapter().accepts(), "no adapter: vcex images are the input");
        assertEquals("none", plain.adapter().colour());
    }

    private static Arguments mistake(String field, Consumer<ObjectNode> change) {
        return Arguments.of(field, change);
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                mistake("name", t -> t.put("name", " ")),
                mistake("format", t -> t.remove("format")),
                mistake("format", t -> t.put("format", "keras")),
                mistake("file", t -> t.put("format", "onnx")),
                mistake("file", t -> t.put("format", "torchscript")),
                mistake("kind", t -> t.put("kind", "gan")),
                mistake("kind", t -> t.put("kind", "denoiser")),
                mistake("denoiser", t -> t.putObject("denoiser").put("schedule", "linear").put("steps", 1000)),
                mistake("generator", t -> t.putObject("generator").putArray("latent").add(8)),
                mistake("output", t -> t.put("format", "torchscript").put("file", "m.pt").put("output", "logits")),
                mistake("file", t -> t.remove("file")),
                mistake("file", t -> t.put("file", "/etc/model.json")),
                mistake("file", t -> t.put("file", "../other/model.json")),
                mistake("file", t -> t.put("file", "emotion.bin")),
                mistake("input", t -> t.remove("input")),
                mistake("input.channels", t -> ((ObjectNode) t.get("input")).put("channels", 2)),
                mistake("input.height", t -> ((ObjectNode) t.get("input")).put("height", 0)),
                mistake("input.width", t -> ((ObjectNode) t.get("input")).remove("width")),
                mistake("range", t -> t.remove("range")),
                mistake("range", t -> t.put("range", "imagenet")),
                mistake("mean", t -> t.putArray("mean").add(0.5).add(0.5)),
                mistake("mean.[0]", t -> t.putArray("mean").add("x")),
                mistake("std", t -> t.putArray("std").add(0.0)),
                mistake("std", t -> t.putArray("std").add(0.2).add(0.2).add(0.2)),
                mistake("classNames", t -> t.remove("classNames")),
                mistake("classNames", t -> t.putArray("classNames")),
                mistake("classNames", t -> t.putArray("classNames").add("a").add("a")),
                mistake("classNames", t -> t.putArray("classNames").add("a").add(" ")),
                mistake("classNames", t -> t.put("outputKind", "BINARY_LOGIT")),
                mistake("outputKind", t -> t.remove("outputKind")),
                mistake("outputKind", t -> t.put("outputKind", "LOGITS")),
                mistake("output", t -> t.put("output", "")),
                mistake("adapter.colour", t -> ((ObjectNode) t.get("adapter")).put("colour", "sepia")),
                mistake("adapter.colour", t -> ((ObjectNode) t.get("adapter")).put("colour", "grey-to-rgb")),
                mistake("adapter.greyWeights", t -> ((ObjectNode) t.get("adapter")).putArray("greyWeights").add(0.5).add(0.5)),
                mistake("adapter.greyWeights", t -> ((ObjectNode) t.get("adapter")).put("colour", "none")
                        .putArray("greyWeights").add(0.3).add(0.6).add(0.1)),
                mistake("adapter.accepts.channels", t -> ((ObjectNode) t.get("adapter")).putObject("accepts")
                        .put("channels", 1).put("height", 64).put("width", 64)),
                mistake("adapter.accepts.width", t -> ((ObjectNode) t.get("adapter")).putObject("accepts")
                        .put("channels", 3).put("height", 64).put("width", -1)),
                mistake("adapter.resize", t -> ((ObjectNode) t.get("adapter")).putObject("accepts")
                        .put("channels", 3).put("height", 128).put("width", 128)),
                mistake("adapter.resize", t -> ((ObjectNode) t.get("adapter")).put("resize", "nearest")),
                mistake("sha256", t -> ((ObjectNode) t.get("sha256")).put("../x.bin", "00")),
                mistake("sha256.emotion.json", t -> ((ObjectNode) t.get("sha256")).put("emotion.json", "ABC")),
                mistake("nickname", t -> t.put("nickname", "x")),
                mistake("network", t -> t.putObject("network").put("architecture", "conv5").put("width", 8)),
                mistake("file", t -> vcex(t).put("file", "weights.pt")),
                mistake("network", t -> vcex(t).remove("network")),
                mistake("network.architecture", t -> ((ObjectNode) vcex(t).get("network")).put("architecture", "resnet50")),
                mistake("network.width", t -> ((ObjectNode) vcex(t).get("network")).put("width", 0)),
                mistake("network.width", t -> ((ObjectNode) vcex(t).get("network")).remove("width")),
                mistake("kind", t -> vcex(t).put("kind", "denoiser")));
    }

    /** Turns the valid description into a valid one of format vcex (a classifier trained by vcex). */
    private static ObjectNode vcex(ObjectNode t) {
        t.put("format", "vcex").put("file", "weights.params").remove("sha256");
        t.putObject("network").put("architecture", "conv5").put("width", 8);
        return t;
    }

    @Test
    void aVcexDescriptionNamesItsNetwork() {
        ModelDescription d = parse(vcex(valid()));
        assertEquals(new NetworkSettings("conv5", 8), d.network());
        assertNull(parse(valid()).network());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void everyMistakeNamesItsField(String field, Consumer<ObjectNode> change) {
        ObjectNode tree = valid();
        change.accept(tree);
        VcexException e = assertThrows(VcexException.class, () -> parse(tree));
        assertTrue(e.getMessage().startsWith("vcex-model.json: "), e.getMessage());
        assertTrue(e.getMessage().contains("'" + field + "'"), "message names '" + field + "': " + e.getMessage());
    }

    private static final String DENOISER = """
            {
              "name": "my-ddpm",
              "format": "torchscript",
              "kind": "denoiser",
              "file": "denoiser.pt",
              "input": {"channels": 3, "height": 32, "width": 32},
              "range": "symmetric",
              "denoiser": {"schedule": "linear", "steps": 1000}
            }
            """;

    private static final String GENERATOR = """
            {
              "name": "my-autoencoder",
              "format": "torchscript",
              "kind": "generator",
              "file": "ae.pt",
              "input": {"channels": 1, "height": 28, "width": 28},
              "range": "unit",
              "generator": {"latent": [16]}
            }
            """;

    private static ObjectNode tree(String json) {
        try {
            return (ObjectNode) Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void denoisersAndGeneratorsGetTheirDefaults() {
        ModelDescription d = parse(tree(DENOISER));
        assertEquals("float32", d.denoiser().timestep());
        assertEquals(io.vcex.core.diffusion.NoiseSchedule.linear(1000), d.denoiser().noiseSchedule());
        assertFalse(d.isClassifier());
        VcexException spec = assertThrows(VcexException.class, d::spec);
        assertTrue(spec.getMessage().contains("is a denoiser, not a classifier"), spec.getMessage());
        ObjectNode betas = tree(DENOISER);
        betas.putObject("denoiser").put("timestep", "int64").putArray("betas").add(0.1).add(0.2).add(0.3);
        assertEquals(3, parse(betas).denoiser().noiseSchedule().steps());
        ModelDescription g = parse(tree(GENERATOR));
        assertEquals("encode", g.generator().encode());
        assertEquals("decode", g.generator().decode());
        assertEquals("1x28x28", g.input().toImageSpec().toString());
        assertEquals("classifier", parse(valid()).kind(), "the default kind");
    }

    private static Arguments generative(String json, String field, Consumer<ObjectNode> change) {
        return Arguments.of(json.equals(DENOISER) ? "denoiser" : "generator", field, change);
    }

    static Stream<Arguments> generativeMistakes() {
        return Stream.of(
                generative(DENOISER, "denoiser", t -> t.remove("denoiser")),
                generative(DENOISER, "denoiser.schedule", t -> ((ObjectNode) t.get("denoiser")).put("schedule", "sigmoid")),
                generative(DENOISER, "denoiser.schedule", t -> ((ObjectNode) t.get("denoiser")).remove("schedule")),
                generative(DENOISER, "denoiser.steps", t -> ((ObjectNode) t.get("denoiser")).remove("steps")),
                generative(DENOISER, "denoiser.steps", t -> ((ObjectNode) t.get("denoiser")).put("steps", 10)),
                generative(DENOISER, "denoiser.betas", t -> ((ObjectNode) t.get("denoiser")).putArray("betas").add(0.1)),
                generative(DENOISER, "denoiser.betas[1]", t -> t.putObject("denoiser").putArray("betas").add(0.1).add(1.5)),
                generative(DENOISER, "denoiser.timestep", t -> ((ObjectNode) t.get("denoiser")).put("timestep", "int32")),
                generative(DENOISER, "range", t -> t.put("range", "unit")),
                generative(DENOISER, "mean", t -> t.putArray("mean").add(0).add(0).add(0)),
                generative(DENOISER, "classNames", t -> t.putArray("classNames").add("a")),
                generative(DENOISER, "outputKind", t -> t.put("outputKind", "SOFTMAX")),
                generative(DENOISER, "output", t -> t.put("output", "0")),
                generative(DENOISER, "adapter", t -> t.putObject("adapter").put("colour", "none")),
                generative(DENOISER, "generator", t -> t.putObject("generator").putArray("latent").add(8)),
                generative(DENOISER, "kind", t -> t.put("format", "onnx").put("file", "denoiser.onnx")),
                generative(DENOISER, "file", t -> t.remove("file")),
                generative(GENERATOR, "generator", t -> t.remove("generator")),
                generative(GENERATOR, "generator.latent", t -> ((ObjectNode) t.get("generator")).putArray("latent")),
                generative(GENERATOR, "generator.latent", t -> ((ObjectNode) t.get("generator")).putArray("latent").add(0)),
                generative(GENERATOR, "generator.encode", t -> ((ObjectNode) t.get("generator")).put("encode", "to latent")),
                generative(GENERATOR, "generator.decode", t -> ((ObjectNode) t.get("generator")).put("decode", "")),
                generative(GENERATOR, "denoiser", t -> t.putObject("denoiser").put("schedule", "linear").put("steps", 100)),
                generative(GENERATOR, "kind", t -> t.put("format", "tfjs").put("file", "model.json")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("generativeMistakes")
    void everyMistakeOfADenoiserOrGeneratorNamesItsField(String kind, String field, Consumer<ObjectNode> change) {
        ObjectNode t = tree(kind.equals("denoiser") ? DENOISER : GENERATOR);
        change.accept(t);
        VcexException e = assertThrows(VcexException.class, () -> parse(t));
        assertTrue(e.getMessage().startsWith("vcex-model.json: "), e.getMessage());
        assertTrue(e.getMessage().contains("'" + field + "'"), "message names '" + field + "': " + e.getMessage());
    }

    @Test
    void resizingAndNormalisationAreAccepted() {
        ObjectNode t = valid();
        ((ObjectNode) t.get("adapter")).put("resize", "bilinear-legacy").putObject("accepts")
                .put("channels", 3).put("height", 128).put("width", 96);
        t.putArray("mean").add(0.1);
        t.putArray("std").add(0.5);
        ModelDescription d = parse(t);
        assertTrue(d.adapter().resizes(d.input()));
        assertEquals("3x128x96", d.spec().input().toString());
        assertEquals(List.of(0.5), d.std());
    }
}
