package io.vcex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcex.core.VcexHome;
import io.vcex.core.config.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain dvce} and {@code zoo samples} end to end, on a tiny diffusion model trained here. */
class ExplainDvceTest {
    @TempDir
    static Path dir;

    static Path models;


    @BeforeAll
    static void tinyZoo() throws Exception {
        models = dir.resolve("models");
        for (String m : new String[] {"smile", "smile-robust"}) {
            Path to = models.resolve(m);
            Files.createDirectories(to);
            for (String f : new String[] {"card.json", "weights.params"}) {
                Files.copy(VcexHome.resolve("models/" + m + "/" + f), to.resolve(f));
            }
        }
        Cli.Run train = Cli.run("zoo", "train", "diffusion", "--tiny", "--models", models.toString(), "--quiet");
        assertEquals(0, train.code(), train.err());
        assertEquals(0, Cli.run("world", "render", "--count", "3", "--seed", "77", "--out", dir.resolve("faces").toString(),
                "--quiet").code());
    }

    @Test
    void explainWritesCounterfactualsResultsSummaryAndReport() throws Exception {
        Path out = dir.resolve("dvce");
        Cli.Run r = Cli.run("explain", "dvce", "--models", models.toString(), "--classifier", "smile", "--robust", "smile-robust",
                "--augmentations", "2", "--images", dir.resolve("faces").toString(), "--steps", "10", "--out", out.toString(),
                "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("flip rate"), r.out());
        for (String f : new String[] {"counterfactual.png", "difference.png", "trajectory.png", "result.json"}) {
            assertTrue(Files.isRegularFile(out.resolve("00001").resolve(f)), f);
        }
        JsonNode result = Json.read(out.resolve("00001/result.json"), JsonNode.class);
        assertEquals(5, result.get("target_probability_per_step").size(), "half of 10 respaced steps");
        assertTrue(result.get("provenance").get("models").toString().contains("smile-robust"), "the cone's model is recorded");
        JsonNode summary = Json.read(out.resolve("summary.json"), JsonNode.class);
        assertEquals(3, summary.get("images").asInt());
        assertTrue(summary.get("cone").asBoolean());
        double flip = summary.get("flip_rate").asDouble();
        long flipped = 0;
        for (JsonNode p : summary.get("per_image")) {
            flipped += p.get("flipped").asBoolean() ? 1 : 0;
        }
        assertEquals(flipped / 3.0, flip, 1e-9);
        assertTrue(Files.readString(out.resolve("report.html")).contains("data:image/png;base64"));
    }

    @Test
    void badTargetsAndMissingModelsAreOneLineErrors() {
        Cli.Run target = Cli.run("explain", "dvce", "--models", models.toString(), "--classifier", "smile", "--images",
                dir.resolve("faces").toString(), "--target", "happy", "--steps", "4", "--out", dir.resolve("x").toString(), "--quiet");
        assertEquals(1, target.code());
        assertTrue(target.err().startsWith("vcex: error: Classifier 'smile' has no class 'happy'"), target.err());
        Cli.Run missing = Cli.run("explain", "dvce", "--models", models.toString(), "--classifier", "smile", "--images",
                dir.resolve("faces").toString(), "--diffusion", "diffae", "--out", dir.resolve("y").toString(), "--quiet");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("./vcex zoo train diffae"), missing.err());
        Cli.Run image = Cli.run("explain", "dvce", "--models", models.toString(), "--classifier", "smile", "--images",
                dir.resolve("nothing.png").toString(), "--out", dir.resolve("z").toString(), "--quiet");
        assertEquals(1, image.code());
        assertTrue(image.err().contains("Image not found: "), image.err());
    }

    @Test
    void sampleSheetsAreWritten() {
        Path out = dir.resolve("sheet");
        Cli.Run r = Cli.run("zoo", "samples", "diffusion", "--models", models.toString(), "--count", "2", "--steps", "5", "--out",
                out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("samples.png")) && Files.isRegularFile(out.resolve("reconstructions.png")));
        Cli.Run notGenerator = Cli.run("zoo", "samples", "smile", "--models", models.toString(), "--out", out.toString(), "--quiet");
        assertEquals(1, notGenerator.code());
        assertTrue(notGenerator.err().contains("is not a generator"), notGenerator.err());
    }
}
