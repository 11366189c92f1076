package io.vcex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.vcex.core.config.Json;
import io.vcex.core.provenance.Hashing;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;


    @Test
    void helpListsEveryCommandWithADescription() {
        Cli.Run r = Cli.run("--help");
        assertEquals(0, r.code());
        for (String cmd : new String[] {"demo", "world"}) {
            assertTrue(r.out().matches("(?s).*\\n  " + cmd + " +\\S.*"), cmd + " is listed with a description:\n" + r.out());
        }
        Cli.Run w = Cli.run("world", "--help");
        for (String cmd : new String[] {"render", "dataset", "grid"}) {
            assertTrue(w.out().contains("  " + cmd + " "), w.out());
        }
    }

    @Test
    void worldRenderWritesPngsAndLabelsByteIdenticallyForASeed() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(0, Cli.run("world", "render", "--seed", "1", "--count", "4", "--out", a.toString(), "--quiet").code());
        assertEquals(0, Cli.run("world", "render", "--seed", "1", "--count", "4", "--out", b.toString(), "--quiet").code());
        try (Stream<Path> s = Files.list(a)) {
            for (Path f : s.toList()) {
                assertEquals(Hashing.sha256(f), Hashing.sha256(b.resolve(f.getFileName())), f.toString());
            }
        }
        assertEquals(4, Files.readAllLines(a.resolve("labels.jsonl")).size());
        assertTrue(Cli.run("world", "render", "--count", "1", "--out", dir.resolve("c").toString(), "--quiet").out()
                .contains("wrote 1 faces"));
        assertTrue(Files.exists(a.resolve("00003.png")));
    }

    @Test
    void datasetCommandReadsAConfigAndReportsBadFieldsWithoutAStackTrace() throws Exception {
        Path cfg = dir.resolve("cfg.json");
        Files.writeString(cfg, "{\"seed\": 3, \"count\": 2, \"world\": {\"counterfactualRate\": 1.0}}");
        Path out = dir.resolve("set");
        assertEquals(0, Cli.run("world", "dataset", "--config", cfg.toString(), "--out", out.toString(), "--quiet").code());
        String labels = Files.readString(out.resolve("labels.jsonl"));
        // counterfactualRate 1: every young face has a counterfactual hair colour
        for (String line : labels.split("\n")) {
            assertTrue(line.contains("\"hair_color\":\"grey\"") || line.contains("\"in_prior\":\"false\""), line);
        }

        Files.writeString(cfg, "{\"count\": 2, \"world\": {\"maxRotationDeg\": 90}}");
        Cli.Run bad = Cli.run("world", "dataset", "--config", cfg.toString(), "--out", out.toString(), "--quiet");
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("vcex: error: " + cfg + ": Invalid value for 'maxRotationDeg': 90.0"), bad.err());
        assertFalse(bad.err().contains("\tat "), "no stack trace without --verbose");

        Cli.Run missing = Cli.run("world", "dataset", "--config", dir.resolve("nope.json").toString(), "--out", out.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("File not found: " + dir.resolve("nope.json")), missing.err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        Cli.Run r = Cli.run("world", "render", "--count", "2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required option: '--out=<out>'"), r.err());
        Cli.Run w = Cli.run("world", "render", "--out", dir.toString(), "--world", "martian");
        assertEquals(2, w.code());
        assertTrue(w.err().contains("martian"), w.err());
    }

    @Test
    void demoFindsThePlantedBiasAndWritesTheReport() throws Exception {
        Path out = dir.resolve("demo");
        Cli.Run r = Cli.run("demo", "--out", out.toString(), "--samples", "40", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("finding: the decision of smile-biased depends on eyeglasses"), r.out());
        assertTrue(r.out().contains(out.resolve("report.html").toAbsolutePath().toString()), r.out());
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.indexOf("class=\"finding\"") < html.indexOf("<svg"), "the report leads with its findings");
    }

    @Test
    void dataCheckSummarisesGoodDataAndNamesTheFirstProblem() throws Exception {
        Cli.Run mnist = Cli.run("data", "check", "mnist:test", "--quiet");
        assertEquals(0, mnist.code(), mnist.err());
        assertTrue(mnist.out().contains("10000 images of 1x28x28") && mnist.out().contains("7=1028"), mnist.out());

        Path set = dir.resolve("set");
        assertEquals(0, Cli.run("world", "render", "--count", "3", "--out", set.toString(), "--quiet").code());
        Cli.Run ok = Cli.run("data", "check", set.toString(), "--size", "64", "--quiet");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("3 images of 3x64x64") && ok.out().contains("captions, e.g.: "), ok.out());

        Cli.Run wrongSize = Cli.run("data", "check", set.toString(), "--size", "32x32", "--quiet");
        assertEquals(1, wrongSize.code());
        assertTrue(wrongSize.err().contains("00000.png") && wrongSize.err().contains("32x32"), wrongSize.err());

        Files.delete(set.resolve("00001.png"));
        Cli.Run missing = Cli.run("data", "check", set.toString(), "--quiet");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("labels.jsonl line 2") && missing.err().contains("00001.png"), missing.err());

        Cli.Run mnistSize = Cli.run("data", "check", "mnist:test", "--size", "64", "--quiet");
        assertEquals(1, mnistSize.code());
        assertTrue(mnistSize.err().contains("1x28x28") && mnistSize.err().contains("3x64x64 was required"), mnistSize.err());
        Cli.Run grey = Cli.run("data", "check", "world:in-prior:1:3", "--channels", "1", "--quiet");
        assertEquals(1, grey.code());
        assertTrue(grey.err().contains("1x64x64 was required"), grey.err());

        Cli.Run idx = Cli.run("data", "check", set.resolve("00000.png").toString());
        assertEquals(1, idx.code());
        assertTrue(idx.err().contains("needs its label file with --labels"), idx.err());
    }

    @Test
    void zooTrainListAndEvalWorkOnATinyRecipe() throws Exception {
        Path models = dir.resolve("models");
        Cli.Run train = Cli.run("zoo", "train", "eyeglasses", "--tiny", "--models", models.toString(), "--quiet");
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("trained eyeglasses in") && train.out().contains("test_accuracy="), train.out());
        Cli.Run list = Cli.run("zoo", "list", "--models", models.toString());
        assertTrue(list.out().contains("eyeglasses: classifier") && list.out().contains("4653 parameters"), list.out());
        assertTrue(list.out().contains("not shipped: ./vcex zoo train smile"), list.out());
        Cli.Run eval = Cli.run("zoo", "eval", "eyeglasses", "--models", models.toString(), "--quiet");
        assertEquals(0, eval.code(), eval.out() + eval.err());
        assertTrue(eval.out().contains("test_accuracy") && eval.out().contains(" ok"), eval.out());
        Files.write(models.resolve("eyeglasses/weights.params"), new byte[] {1, 2, 3});
        Cli.Run corrupt = Cli.run("zoo", "eval", "eyeglasses", "--models", models.toString(), "--quiet");
        assertEquals(1, corrupt.code());
        assertTrue(corrupt.err().contains("corrupt or were replaced"), corrupt.err());
        Cli.Run unknown = Cli.run("zoo", "train", "smiley", "--tiny", "--models", models.toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("No zoo model named 'smiley'"), unknown.err());
    }

    @Test
    void evalMeasuresTrueCounterfactualsAndNamesUnmatchedFiles() throws Exception {
        Path pairs = dir.resolve("pairs");
        assertEquals(0, Cli.run("world", "pairs", "--attribute", "smiling", "--count", "6", "--out", pairs.toString(), "--quiet")
                .code());
        Path out = dir.resolve("eval");
        Cli.Run r = Cli.run("eval", "--originals", pairs.resolve("originals").toString(), "--counterfactuals",
                pairs.resolve("counterfactuals").toString(), "--classifier", "smile", "--metrics", "flip_rate,l1,ssim",
                "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        var json = io.vcex.core.config.Json.mapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(6, json.get("pairs").asInt());
        // true smile counterfactuals flip the (99.6% accurate) smile classifier
        assertTrue(json.get("metrics").get("flip_rate").get("value").asDouble() >= 5.0 / 6, json.toString());
        assertTrue(Files.readString(out.resolve("per_pair.csv")).startsWith("file,flip_rate,l1,ssim\n"));
        assertTrue(Files.readString(out.resolve("report.html")).contains("data:image/png;base64,"));

        Files.delete(pairs.resolve("counterfactuals/00002.png"));
        Cli.Run unmatched = Cli.run("eval", "--originals", pairs.resolve("originals").toString(), "--counterfactuals",
                pairs.resolve("counterfactuals").toString(), "--out", out.toString(), "--quiet");
        assertEquals(1, unmatched.code());
        assertTrue(unmatched.err().contains("1 original(s)") && unmatched.err().contains("00002.png"), unmatched.err());
    }

    @Test
    void modelCheckLoadsTheVendoredEmotionModelAndExplainsAMissingDescription() {
        Path emotion = io.vcex.core.VcexHome.resolve("models/emotion");
        Cli.Run ok = Cli.run("model", "check", emotion.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("[angry, disgust, fear, happy, sad, surprise, neutral]")
                && ok.out().contains("sum to 1.0000") && ok.out().contains("available (white-box)"), ok.out());
        Cli.Run none = Cli.run("model", "check", dir.toString());
        assertEquals(1, none.code());
        assertTrue(none.err().contains("needs a vcex-model.json"), none.err());
    }

    @Test
    void modelCheckOfAnHttpModelAsksForScoresOnlyAndSaysItIsABlackBox() throws Exception {
        List<Integer> batches = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/classify", ex -> {
            try (ex) {
                int n = Json.mapper().readTree(ex.getRequestBody().readAllBytes()).get("images").size();
                batches.add(n);
                byte[] body = ("{\"scores\": [" + String.join(", ", Collections.nCopies(n, "[0.25, 0.75]")) + "]}")
                        .getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.start();
        try {
            String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/classify";
            Files.writeString(dir.resolve("vcex-model.json"), """
                    {"name": "remote-smile", "format": "http", "input": {"channels": 3, "height": 8, "width": 8},
                     "range": "unit", "classNames": ["not smiling", "smiling"], "outputKind": "PROBABILITIES",
                     "http": {"endpoint": "%s"}}
                    """.formatted(endpoint));
            Cli.Run ok = Cli.run("model", "check", dir.toString());
            assertEquals(0, ok.code(), ok.err());
            assertTrue(ok.out().contains("endpoint: " + endpoint + " (batches of at most 32"), ok.out());
            assertTrue(ok.out().contains("[not smiling, smiling] (PROBABILITIES)"), ok.out());
            assertTrue(ok.out().contains("2 outputs each, probabilities of image 0 sum to 1.0000"), ok.out());
            assertTrue(ok.out().contains("input gradients: NOT available (black-box"), ok.out());
            assertEquals(List.of(2), batches, "one request with the dummy batch, nothing else");
        } finally {
            server.stop(0);
        }
    }
}
