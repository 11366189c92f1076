package io.vcex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcex.core.config.Json;
import io.vcex.core.provenance.Hashing;
import io.vcex.methods.testing.ToyStyleGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code diagnose zoom}, {@code diagnose zoom-train} and {@code bench zoom} end to end, on the zoo's
 * classifiers and MiniCLIP with a tiny 64x64 toy style generator standing in for {@code stylegen}.
 */
class DiagnoseZoomTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void toyGenerator() {
        Models.testStyleGenerators = (ctx, name) -> "toy64".equals(name) ? new ToyStyleGenerator(64, "toy64") : null;
    }

    @AfterAll
    static void reset() {
        Models.testStyleGenerators = null;
    }

    /** Quick settings: few images and iterations, every channel in the directions (the toy's colours barely match words). */
    private static String[] quick(String... args) {
        return Stream.concat(Stream.of(args), Stream.of("--generator", "toy64", "--relevance-samples", "2", "--relevance-cache",
                dir.resolve("cache").toString(), "--beta", "0", "--iterations", "3", "--quiet")).toArray(String[]::new);
    }

    @Test
    void diagnoseWritesHistogramAttributesGridsStripsTraversalsAndReport() throws Exception {
        Path out = dir.resolve("zoom");
        Cli.Run r = Cli.run(quick("diagnose", "zoom", "--classifier", "smile-biased", "--attributes", "eyeglasses,hat,blonde hair",
                "--samples", "3", "--keep", "2", "--traversals", "1", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("attribute sensitivities of smile-biased (3 images, single)"), r.out());
        JsonNode s = Json.read(out.resolve("summary.json"), JsonNode.class);
        assertEquals(3, s.get("samples").asInt());
        assertEquals(9, s.get("edits").asInt(), "3 images x 3 attributes");
        double total = 0;
        for (JsonNode a : s.get("attributes")) {
            total += a.get("sensitivity").asDouble();
            assertEquals(6, a.get("active_channels").asInt(), "beta 0 keeps every channel of the toy");
        }
        assertTrue(Math.abs(total - 1) < 1e-9 || total == 0, "sensitivities are shares: " + total);
        assertEquals("a serious face", s.get("class_prompts").get(0).asText());
        assertTrue(s.get("relevance").get("file").asText().contains("relevance-toy64-miniclip-"));
        assertTrue(s.get("provenance").get("models").toString().contains("miniclip"));
        JsonNode eyeglasses = Json.read(out.resolve("attributes/eyeglasses.json"), JsonNode.class);
        assertEquals(3, eyeglasses.get("edits").size());
        assertEquals(3, eyeglasses.get("weights").size());
        assertEquals("a face with eyeglasses", eyeglasses.get("phrase").asText());
        int counted = 0;
        for (JsonNode c : eyeglasses.get("weight_histogram").get("counts")) {
            counted += c.asInt();
        }
        assertEquals(3, counted);
        for (String f : new String[] {"sensitivity.png", "counterfactuals.png", "multi.png", "report.html",
            "attributes/blonde-hair.json", "traversals/hat.png", "strips/eyeglasses-0.png", "strips/hat-1.png"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertTrue(Files.readString(out.resolve("report.html")).contains("data:image/png;base64"));

        // a second run reads the cached relevance (the file is not rewritten)
        Path cache = Path.of(s.get("relevance").get("file").asText());
        String before = Hashing.sha256(cache);
        long modified = Files.getLastModifiedTime(cache).toMillis();
        Cli.Run again = Cli.run(quick("diagnose", "zoom", "--classifier", "smile", "--attributes", "eyeglasses", "--samples", "1",
                "--traversals", "0", "--optimizer", "pgd", "--multi", "--out", dir.resolve("zoom2").toString()));
        assertEquals(0, again.code(), again.err());
        assertEquals(before, Hashing.sha256(cache));
        assertEquals(modified, Files.getLastModifiedTime(cache).toMillis());
        assertEquals("multi", Json.read(dir.resolve("zoom2/summary.json"), JsonNode.class).get("mode").asText());
    }

    @Test
    void relevanceCommandWritesBesideTheGeneratorWhereDiagnosesFindIt() throws Exception {
        Path models = dir.resolve("zoo");
        Files.createDirectories(models.resolve("toy64"));
        for (String m : new String[] {"miniclip", "smile"}) {
            Files.createDirectories(models.resolve(m));
            for (String f : new String[] {"card.json", "weights.params"}) {
                Files.copy(io.vcex.core.VcexHome.resolve("models/" + m + "/" + f), models.resolve(m).resolve(f));
            }
        }
        Cli.Run r = Cli.run("diagnose", "zoom-relevance", "--models", models.toString(), "--generator", "toy64",
                "--relevance-samples", "2", "--relevance-cache", models.resolve("toy64").toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("channel relevance of toy64 and miniclip: 6 channels, 2 images, k = 5.0"), r.out());
        Path shipped;
        try (Stream<Path> s = Files.list(models.resolve("toy64"))) {
            shipped = s.filter(p -> p.getFileName().toString().startsWith("relevance-toy64-miniclip-")).findFirst().orElseThrow();
        }
        // without --relevance-cache a diagnosis finds the shipped file in the generator's folder
        Cli.Run d = Cli.run("diagnose", "zoom", "--models", models.toString(), "--generator", "toy64", "--relevance-samples", "2",
                "--classifier", "smile", "--attributes", "hat", "--samples", "1", "--iterations", "1", "--beta", "0",
                "--traversals", "0", "--out", dir.resolve("shipped").toString(), "--quiet");
        assertEquals(0, d.code(), d.err());
        assertEquals(shipped.toString(), Json.read(dir.resolve("shipped/summary.json"), JsonNode.class).get("relevance").get("file")
                .asText());
    }

    @Test
    void unknownWordsMissingGeneratorsAndBadClassesAreOneLineErrors() {
        Cli.Run word = Cli.run(quick("diagnose", "zoom", "--classifier", "smile", "--attributes", "eyeglasses,unicorn",
                "--samples", "1", "--out", dir.resolve("e1").toString()));
        assertEquals(1, word.code());
        assertTrue(word.err().startsWith("vcex: error: Cannot phrase the attribute 'unicorn' (\"a face with unicorn\") for the "
                + "text-image encoder 'miniclip': Unknown word 'unicorn'"), word.err());
        Cli.Run missing = Cli.run("diagnose", "zoom", "--classifier", "smile", "--attributes", "hat", "--samples", "1",
                "--generator", "nosuchgen", "--out", dir.resolve("e2").toString(), "--quiet");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("No zoo model named 'nosuchgen'"), missing.err());
        Cli.Run prompts = Cli.run(quick("diagnose", "zoom", "--classifier", "smile", "--attributes", "hat", "--samples", "1",
                "--class-prompts", "a smiling face", "--out", dir.resolve("e3").toString()));
        assertEquals(1, prompts.code());
        assertTrue(prompts.err().contains("has 2 classes [not smiling, smiling] but 1 class prompts were given"), prompts.err());
    }

    @Test
    void counterfactualTrainingReportsBeforeAndAfterAndSavesALoadableModel() throws Exception {
        Path out = dir.resolve("train");
        Cli.Run r = Cli.run(quick("diagnose", "zoom-train", "--classifier", "smile-biased", "--attributes", "eyeglasses,hat",
                "--samples", "4", "--eval-samples", "2", "--test-faces", "16", "--steps", "2", "--bound", "100", "--step", "20",
                "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sensitivity to eyeglasses:"), r.out());
        JsonNode s = Json.read(out.resolve("summary.json"), JsonNode.class);
        assertEquals("eyeglasses", s.get("spurious_attribute").asText());
        assertEquals(4, s.get("training").get("originals").asInt());
        assertTrue(s.get("before").get("accuracy").has("bias_conflicting"), s.toString());
        assertTrue(s.get("after").has("spurious_sensitivity"));
        JsonNode card = Json.read(out.resolve("models/smile-biased/card.json"), JsonNode.class);
        assertEquals(Hashing.sha256(out.resolve("models/smile-biased/weights.params")), card.get("weightsSha256").asText());
        assertTrue(Files.isRegularFile(out.resolve("sensitivity-after.png")));
    }

    @Test
    void benchRunsItsThreePartsOnATinyBudget() throws Exception {
        Path out = dir.resolve("bench");
        Cli.Run r = Cli.run(quick("bench", "zoom", "--samples", "2", "--attributes", "eyeglasses,hat,old,blonde hair",
                "--classifiers", "smile", "--oracle-samples", "2", "--truth-samples", "4", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("## Bias discovery") && md.contains("## SGD against PGD") && md.contains("## Oracle check")
                && md.contains("## Stability across phrasings"), md);
        JsonNode j = Json.read(out.resolve("results.json"), JsonNode.class);
        int rank = j.get("bias").get("smile-biased").get("bias_rank").asInt();
        assertTrue(rank >= 1 && rank <= 4, "eyeglasses has a rank among the 4 attributes: " + rank);
        assertEquals(rank == 1, j.get("bias").get("smile-biased").get("pass").asBoolean());
        assertTrue(j.get("bias").has("old+hat"));
        assertEquals("hair_color=blonde", j.get("oracle").get("blonde hair").get("oracle_attribute").asText());
        assertTrue(j.get("optimizers").has("pgd/smile"));
        assertEquals(4, j.get("stability").get("phrasings").size());
        assertTrue(j.get("stability").get("phrasings").get(1).asText().startsWith("a person with glasses; a person with a hat"));
    }
}
