package io.vcex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcex.core.VcexHome;
import io.vcex.core.config.Json;
import io.vcex.methods.gcd.GcdResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users' own model files from the command line: {@code model check} for every format, DVCE on a
 * TorchScript classifier (with the zoo's diffusion model, and with a TorchScript denoiser), GCD
 * on an ONNX classifier (with the zoo's diffusion autoencoder, and with a TorchScript
 * generator), and GCD on a classifier behind an HTTP API (a loopback server in the test). The file models are vcex-io's fixtures (tools/fixtures/make_fixtures.py; random weights),
 * so the runs show that everything connects, not that the explanations are good.
 */
class BringYourOwnModelTest {
    private static final Path FIXTURES = VcexHome.resolve("vcex-io/src/test/resources/fixtures");

    @TempDir
    static Path dir;

    static Path faces;

    @BeforeAll
    static void faces() throws Exception {
        faces = dir.resolve("faces");
        assertEquals(0, Cli.run("world", "render", "--count", "2", "--seed", "77", "--out", faces.toString(), "--quiet").code());
        Files.writeString(dir.resolve("gcd.json"), "{\"proxy\": {\"hidden\": [16], \"minSteps\": 50, \"maxEpochs\": 20},"
                + " \"hDirections\": 2, \"lineSearchSteps\": 4, \"transferSteps\": 4, \"pathPoints\": 6, \"decodeBatch\": 8}");
    }

    private static String fixture(String name) {
        return FIXTURES.resolve(name).toString();
    }

    @Test
    void modelCheckRunsEveryFormatAndSaysWhetherGradientsAreAvailable() {
        Cli.Run ts = Cli.run("model", "check", fixture("ts-classifier"));
        assertEquals(0, ts.code(), ts.err());
        assertTrue(ts.out().contains("(torchscript, ") && ts.out().contains("input:    3x64x64")
                && ts.out().contains("[left, right] (SOFTMAX)") && ts.out().contains("input gradients: available (white-box)"),
                ts.out());
        Cli.Run onnx = Cli.run("model", "check", fixture("onnx-mnist"));
        assertEquals(0, onnx.code(), onnx.err());
        assertTrue(onnx.out().contains("(onnx, ") && onnx.out().contains("input:    1x28x28")
                && onnx.out().contains("graph:    input 'image', output 'logits', batch axis dynamic")
                && onnx.out().contains("10 outputs each") && onnx.out().contains("input gradients: NOT available (black-box"),
                onnx.out());
        Cli.Run denoiser = Cli.run("model", "check", fixture("ts-denoiser"));
        assertEquals(0, denoiser.code(), denoiser.err());
        assertTrue(denoiser.out().contains("torchscript denoiser") && denoiser.out().contains("t as int64")
                && denoiser.out().contains("schedule: 1000 steps") && denoiser.out().contains("eps of shape (2, 3, 32, 32)")
                && denoiser.out().contains("input gradients: available"), denoiser.out());
        Cli.Run generator = Cli.run("model", "check", fixture("ts-generator"));
        assertEquals(0, generator.code(), generator.err());
        assertTrue(generator.out().contains("torchscript generator") && generator.out().contains("latent:   (8) per image")
                && generator.out().contains("codes of shape (2, 8), decoded to (2, 3, 32, 32)"), generator.out());
    }

    @Test
    void mistakesInTheDescriptionNameTheFieldOrFile() throws Exception {
        Path format = copy("onnx-mnist", "format");
        edit(format, "\"format\": \"onnx\"", "\"format\": \"onnxx\"");
        Cli.Run f = Cli.run("model", "check", format.toString());
        assertEquals(1, f.code());
        assertTrue(f.err().contains("vcex-model.json: Invalid value for 'format': onnxx"), f.err());
        Path shape = copy("ts-classifier", "shape");
        edit(shape, "\"height\": 64", "\"height\": 48");
        Cli.Run s = Cli.run("model", "check", shape.toString());
        assertEquals(1, s.code());
        assertTrue(s.err().contains("fails on an input of shape (1, 3, 48, 64), as the description's 'input' says")
                && s.err().contains("RuntimeError: mat1 and mat2 shapes cannot be multiplied"), s.err());
        Path missing = copy("ts-mnist", "missing");
        Files.delete(missing.resolve("mnist.pt"));
        Cli.Run m = Cli.run("model", "check", missing.toString());
        assertEquals(1, m.code());
        assertTrue(m.err().contains("is missing: ") && m.err().contains("mnist.pt"), m.err());
    }

    @Test
    void dvceRunsOnATorchScriptClassifierWithTheZoosDiffusionModelOrATorchScriptDenoiser() throws Exception {
        for (String diffusion : new String[] {"diffusion", fixture("ts-denoiser")}) {
            Path out = dir.resolve("dvce-" + Path.of(diffusion).getFileName());
            Cli.Run r = Cli.run("explain", "dvce", "--classifier", fixture("ts-classifier"), "--diffusion", diffusion, "--images",
                    faces.toString(), "--steps", "4", "--out", out.toString(), "--quiet");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("flip rate"), r.out());
            JsonNode summary = Json.read(out.resolve("summary.json"), JsonNode.class);
            assertEquals(2, summary.get("images").asInt());
            String models = summary.get("provenance").get("models").toString();
            assertTrue(models.contains("ts-classifier/classifier.pt"), models);
            assertTrue(diffusion.equals("diffusion") || models.contains("ts-denoiser/denoiser.pt"), models);
            assertEquals(2, Json.read(out.resolve("00000/result.json"), JsonNode.class).get("target_probability_per_step").size());
        }
    }

    @Test
    void gcdRunsOnAClassifierBehindAnHttpApi() throws Exception {
        // the remote model: p(bright) = sigmoid(20 (mean - 0.5)) of the 4x4 grey image it is sent
        java.util.concurrent.atomic.AtomicInteger classified = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/classify", ex -> {
            try (ex) {
                JsonNode images = Json.mapper().readTree(ex.getRequestBody().readAllBytes()).get("images");
                StringBuilder answer = new StringBuilder("{\"scores\": [");
                for (int i = 0; i < images.size(); i++) {
                    double sum = 0;
                    for (JsonNode v : images.get(i)) {
                        sum += v.asDouble();
                    }
                    double p = 1 / (1 + Math.exp(-20 * (sum / images.get(i).size() - 0.5)));
                    answer.append(i == 0 ? "" : ", ").append('[').append(1 - p).append(", ").append(p).append(']');
                }
                classified.addAndGet(images.size());
                byte[] out = answer.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, out.length);
                ex.getResponseBody().write(out);
            }
        });
        http.start();
        try {
            Path model = Files.createDirectories(dir.resolve("remote-brightness"));
            Files.writeString(model.resolve("vcex-model.json"), """
                    {"name": "remote-brightness", "format": "http", "input": {"channels": 1, "height": 4, "width": 4},
                     "range": "unit", "classNames": ["dark", "bright"], "outputKind": "PROBABILITIES",
                     "adapter": {"accepts": {"channels": 3, "height": 64, "width": 64}, "colour": "rgb-to-grey",
                                 "resize": "bilinear"},
                     "http": {"endpoint": "http://127.0.0.1:%d/classify", "backoffMillis": 10}}
                    """.formatted(http.getAddress().getPort()));
            Path out = dir.resolve("gcd-http");
            Cli.Run d = Cli.run("explain", "gcd", "discover", "--classifier", model.toString(), "--source",
                    faces.resolve("00000.png").toString(), "--out", out.toString(), "--config", dir.resolve("gcd.json").toString(),
                    "--iterations", "1", "--batches", "1", "--batch-size", "6", "--encode-steps", "2", "--decode-steps", "2",
                    "--quiet");
            assertEquals(0, d.code(), d.out() + d.err());
            GcdResult r = GcdResult.read(out);
            assertEquals("remote-brightness", r.classifier());
            assertEquals(3, r.directions().size(), "g and two h-directions");
            int queries = classified.get();
            assertTrue(queries >= 7, "the source and the 6 perturbed codes went to the server, got " + queries);
            Path applied = dir.resolve("gcd-http-applied");
            Cli.Run a = Cli.run("explain", "gcd", "apply", "--directions", out.toString(), "--classifier", model.toString(),
                    "--images", faces.toString(), "--out", applied.toString(), "--quiet");
            assertEquals(0, a.code(), a.out() + a.err());
            JsonNode summary = Json.read(applied.resolve("summary.json"), JsonNode.class);
            assertEquals(2, summary.get("images").asInt());
            assertTrue(classified.get() > queries, "apply asked the server too");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void gcdRunsOnAnOnnxClassifierWithTheZoosAutoencoderOrATorchScriptGenerator() throws Exception {
        for (String generator : new String[] {"diffae", fixture("ts-generator")}) {
            Path out = dir.resolve("gcd-" + Path.of(generator).getFileName());
            Cli.Run d = Cli.run("explain", "gcd", "discover", "--classifier", fixture("onnx-classifier"), "--generator", generator,
                    "--source", faces.resolve("00000.png").toString(), "--out", out.toString(), "--config",
                    dir.resolve("gcd.json").toString(), "--iterations", "1", "--batches", "1", "--batch-size", "6",
                    "--encode-steps", "2", "--decode-steps", "2", "--quiet");
            assertEquals(0, d.code(), d.out() + d.err());
            GcdResult r = GcdResult.read(out);
            assertEquals("onnx-classifier", r.classifier());
            assertEquals(3, r.directions().size());
            assertTrue(r.generator().contains("bilinear up-sampling x2"), r.generator());
            assertTrue(r.provenance().models().keySet().stream().anyMatch(k -> k.startsWith("onnx-classifier/")),
                    r.provenance().models().toString());
            if (!generator.equals("diffae")) {
                assertEquals(8, r.codeLength(), "the TorchScript generator's latent");
                Path applied = dir.resolve("applied");
                Cli.Run a = Cli.run("explain", "gcd", "apply", "--directions", out.toString(), "--classifier",
                        fixture("onnx-classifier"), "--images", faces.toString(), "--out", applied.toString(), "--quiet");
                assertEquals(0, a.code(), a.out() + a.err());
                assertEquals(2, Json.read(applied.resolve("summary.json"), JsonNode.class).get("images").asInt());
            }
        }
    }

    private static Path copy(String fixture, String name) throws Exception {
        Path to = dir.resolve(name);
        Files.createDirectories(to);
        try (var files = Files.list(FIXTURES.resolve(fixture))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private static void edit(Path folder, String from, String to) throws Exception {
        Path d = folder.resolve("vcex-model.json");
        String s = Files.readString(d);
        assertTrue(s.contains(from), from);
        Files.writeString(d, s.replace(from, to));
    }
}
