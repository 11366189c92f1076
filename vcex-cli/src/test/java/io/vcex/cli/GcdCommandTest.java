package io.vcex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcex.core.VcexHome;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.methods.gcd.GcdResult;
import io.vcex.zoo.recipes.DiffusionRecipe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** explain gcd discover, apply and attribute on a tiny diffusion autoencoder and the shipped smile classifier. */
class GcdCommandTest {
    @TempDir
    static Path dir;
    static Path models;
    static Path faces;


    @BeforeAll
    static void tinyZoo() throws Exception {
        models = dir.resolve("models");
        DiffusionRecipe r = DiffusionRecipe.facesAutoencoder();
        try (VcexContext ctx = VcexContext.builder().build()) {
            r.train(ctx, r.tiny(), models.resolve("diffae"), dir.resolve("work"));
        }
        for (String m : new String[] {"smile", "smile-biased", "oracle", "feature-net"}) {
            Path from = VcexHome.resolve("models/" + m);
            Files.createDirectories(models.resolve(m));
            for (String f : new String[] {"card.json", "weights.params"}) {
                Files.copy(from.resolve(f), models.resolve(m).resolve(f));
            }
        }
        faces = dir.resolve("faces");
        assertEquals(0, Cli.run("world", "render", "--seed", "5", "--count", "3", "--out", faces.toString(), "--quiet").code());
        Files.writeString(dir.resolve("gcd.json"), "{\"proxy\": {\"hidden\": [16], \"minSteps\": 50, \"maxEpochs\": 20},"
                + " \"hDirections\": 2, \"lineSearchSteps\": 4, \"transferSteps\": 4, \"pathPoints\": 6, \"decodeBatch\": 8}");
    }

    private static String[] discover(Path out, String modelsDir) {
        return new String[] {"explain", "gcd", "discover", "--classifier", "smile", "--source", faces.resolve("00000.png").toString(),
            "--out", out.toString(), "--models", modelsDir, "--config", dir.resolve("gcd.json").toString(),
            "--iterations", "1", "--batches", "1", "--batch-size", "12", "--encode-steps", "2", "--decode-steps", "2", "--quiet"};
    }

    @Test
    void discoverApplyAndAttributeWriteTheirFiles() throws Exception {
        Path out = dir.resolve("gcd");
        Cli.Run d = Cli.run(discover(out, models.toString()));
        assertEquals(0, d.code(), d.out() + d.err());
        GcdResult r = GcdResult.read(out);
        assertEquals("smile", r.classifier());
        assertEquals(3, r.directions().size());
        assertEquals(8, r.codeLength(), "the tiny autoencoder's z_sem");
        assertTrue(r.generator().contains("bilinear up-sampling x2"), r.generator());
        assertEquals(12 + 3 * 4 + 1, r.cost().decodedImages());
        assertTrue(r.provenance().models().keySet().stream().anyMatch(k -> k.startsWith("smile/")), r.provenance().models().toString());
        JsonNode g = Json.mapper().readTree(out.resolve("generator.json").toFile());
        assertEquals(2, g.get("resize").asInt());
        assertTrue(Files.exists(out.resolve("reconstruction.png")) && Files.exists(out.resolve("curves.csv")));
        assertEquals(1 + 3 * 4, Files.readAllLines(out.resolve("curves.csv")).size());

        Cli.Run again = Cli.run(discover(out, models.toString()));
        assertEquals(0, again.code(), again.err());
        assertEquals(1, GcdResult.read(out).cost().resumedIterations(), "the second run resumes from the checkpoint");
        assertEquals(3 * 4 + 1, GcdResult.read(out).cost().decodedImages());

        Path applied = dir.resolve("applied");
        Cli.Run a = Cli.run("explain", "gcd", "apply", "--directions", out.toString(), "--images", faces.toString(), "--limit", "2",
                "--out", applied.toString(), "--models", models.toString(), "--quiet");
        assertEquals(0, a.code(), a.out() + a.err());
        JsonNode s = Json.mapper().readTree(applied.resolve("summary.json").toFile());
        assertEquals(2, s.get("images").asInt());
        assertEquals(4, s.get("rates").size(), "g, h1, h2, h-combined");
        assertEquals("h-combined", s.get("rates").get(3).get("name").asText());
        assertEquals(2L * 3 * 4, s.get("decoded").asLong());
        assertEquals(1 + 2 * 3 * 4, Files.readAllLines(applied.resolve("curves.csv")).size());

        Path attr = dir.resolve("attr");
        Cli.Run b = Cli.run("explain", "gcd", "attribute", "--directions", out.toString(), "--images", faces.resolve("00001.png").toString(),
                "--out", attr.toString(), "--models", models.toString(), "--max-step", "30", "--quiet");
        assertEquals(0, b.code(), b.out() + b.err());
        for (String m : new String[] {"bb-lig", "bb-ig", "ad"}) {
            assertTrue(Files.exists(attr.resolve("00001." + m + ".png")), m);
            assertEquals(64, Files.readAllLines(attr.resolve("arrays/00001." + m + ".csv")).size());
        }
        JsonNode as = Json.mapper().readTree(attr.resolve("summary.json").toFile());
        assertEquals(1, as.get("images").asInt());
        assertTrue(as.get("per_image").get(0).get("bb-ig").has("sparseness"));
    }

    @Test
    void withoutTheDiffusionAutoencoderTheCommandSaysHowToMakeIt() throws Exception {
        Path bare = dir.resolve("bare");
        for (String m : new String[] {"smile", "feature-net"}) {
            Files.createDirectories(bare.resolve(m));
            for (String f : new String[] {"card.json", "weights.params"}) {
                Files.copy(models.resolve(m).resolve(f), bare.resolve(m).resolve(f));
            }
        }
        Cli.Run r = Cli.run(discover(dir.resolve("none"), bare.toString()));
        assertEquals(1, r.code());
        assertTrue(r.err().contains("./vcex zoo train diffae") && !r.err().contains("Exception"), r.err());
    }

    @Test
    void benchWritesTheTableWithEverySection() throws Exception {
        Path out = dir.resolve("bench");
        Cli.Run b = Cli.run("bench", "gcd", "--classifiers", "smile", "--sources", "2", "--images", "3", "--attribution-images", "1",
                "--config", dir.resolve("gcd.json").toString(), "--iterations", "1", "--batches", "1", "--batch-size", "12",
                "--encode-steps", "2", "--decode-steps", "2", "--models", models.toString(), "--out", out.toString(), "--work", dir.resolve("bench-work").toString(), "--quiet");
        assertEquals(0, b.code(), b.out() + b.err());
        String table = Files.readString(out.resolve("table.md"));
        assertTrue(table.contains("| smile | 0 | g |") && table.contains("| smile | 0 | h combined |")
                && table.contains("| smile | 1 | g |"), table);
        assertTrue(table.contains("over source images") && table.contains("| smile | BB-LIG |") && table.contains("| smile | AD |"), table);
        assertTrue(table.contains("What the g-direction of smile-biased changes"), table);
        assertTrue(table.contains("--iterations 1"), "the table names the command that made it");
        JsonNode r = Json.mapper().readTree(out.resolve("results.json").toFile());
        assertEquals(37, r.get("smile-biased").get("oracle_changes").size(), "every oracle output, largest change first");
        assertTrue(r.get("smile").get("source-0").get("discovery_cost").get("decodedImages").asLong() == 12 + 3 * 4 + 1);
    }
}
