package io.vcex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcex.core.VcexHome;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.methods.cfclip.CfClipMapper;
import io.vcex.zoo.recipes.StyleGenRecipe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edit cfclip} and {@code bench cfclip} end to end on a tiny style generator trained for the
 * test and the shipped MiniCLIP, feature network and oracle; and their mistakes, reported in the
 * user's terms before any slow work. (What the edits do is tested on the toy generator in
 * vcex-methods.)
 */
class CfClipCommandTest {
    @TempDir
    static Path dir;
    static Path models;
    static Path noGenerator;

    @BeforeAll
    static void tinyZoo() throws Exception {
        models = dir.resolve("models");
        noGenerator = dir.resolve("no-generator");
        for (String m : new String[] {"miniclip", "feature-net"}) {
            Path from = VcexHome.resolve("models/" + m);
            Files.createDirectories(noGenerator.resolve(m));
            for (String f : new String[] {"card.json", "weights.params"}) {
                Files.copy(from.resolve(f), noGenerator.resolve(m).resolve(f));
            }
        }
        StyleGenRecipe r = new StyleGenRecipe();
        try (VcexContext ctx = VcexContext.builder().build()) {
            r.train(ctx, r.tiny(), models.resolve("stylegen"), dir.resolve("work"));
        }
        for (String m : new String[] {"miniclip", "feature-net", "oracle"}) {
            Path from = VcexHome.resolve("models/" + m);
            Files.createDirectories(models.resolve(m));
            for (String f : new String[] {"card.json", "weights.params"}) {
                Files.copy(from.resolve(f), models.resolve(m).resolve(f));
            }
        }
    }

    @Test
    void commandsAreListed() {
        Cli.Run edit = Cli.run("edit", "--help");
        assertEquals(0, edit.code());
        assertTrue(edit.out().contains("cfclip"), edit.out());
        Cli.Run cf = Cli.run("edit", "cfclip", "--help");
        assertTrue(cf.out().contains("train") && cf.out().contains("apply"), cf.out());
        Cli.Run train = Cli.run("edit", "cfclip", "train", "--help");
        for (String o : new String[] {"--text", "--loss", "--no-tem", "--steps", "--generator", "--clip"}) {
            assertTrue(train.out().contains(o), o + " in\n" + train.out());
        }
        assertTrue(Cli.run("bench", "--help").out().contains("cfclip"));
    }

    @Test
    void trainApplyAndBenchWriteTheirFiles() throws Exception {
        Path out = dir.resolve("green");
        String[] train = {"edit", "cfclip", "train", "--text", "a face with green hair", "--steps", "2", "--pool", "6",
            "--preview", "2", "--out", out.toString(), "--models", models.toString(), "--quiet"};
        Cli.Run t = Cli.run(train);
        assertEquals(0, t.code(), t.out() + t.err());
        for (String f : new String[] {CfClipMapper.CARD, CfClipMapper.PARAMS, "preview.png", "summary.json", "checkpoint/state.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("a face with green hair", summary.get("text").asText());
        assertEquals(2, summary.get("steps").asInt());
        assertEquals("nce", summary.get("loss").asText());
        assertTrue(summary.get("tem").asBoolean());
        assertTrue(summary.get("latents").asText().startsWith("encoded 6 in-prior"), summary.get("latents").asText());
        assertTrue(summary.get("provenance").get("models").toString().contains("stylegen/weights.params"));
        // the same command again resumes at the end: nothing more to train
        Cli.Run again = Cli.run(train);
        assertEquals(0, again.code(), again.err());
        assertEquals(2, Json.mapper().readTree(out.resolve("summary.json").toFile()).get("resumed_from").asInt());

        Path faces = dir.resolve("faces");
        assertEquals(0, Cli.run("world", "render", "--seed", "5", "--count", "2", "--out", faces.toString(), "--quiet").code());
        Path applied = dir.resolve("applied");
        Cli.Run a = Cli.run("edit", "cfclip", "apply", "--mapper", out.toString(), "--images", faces.toString(), "--out",
                applied.toString(), "--models", models.toString(), "--quiet");
        assertEquals(0, a.code(), a.out() + a.err());
        assertTrue(a.out().contains("edited 2 image(s) towards 'a face with green hair'"), a.out());
        assertTrue(Files.isRegularFile(applied.resolve("grid.png")));
        assertTrue(Files.isRegularFile(applied.resolve("edited/00000.png")));
        JsonNode s = Json.mapper().readTree(applied.resolve("summary.json").toFile());
        assertEquals(2, s.get("per_image").size());
        assertTrue(s.has("mean_clip_similarity_edited"));
        assertEquals("cfclip.apply", s.get("provenance").get("kind").asText());

        Path bench = dir.resolve("bench");
        Cli.Run b = Cli.run("bench", "cfclip", "--steps", "1", "--count", "2", "--pool", "4", "--texts", "0", "--variants",
                "cfclip,directional", "--out", bench.toString(), "--models", models.toString(), "--quiet");
        assertEquals(0, b.code(), b.out() + b.err());
        JsonNode results = Json.mapper().readTree(bench.resolve("results.json").toFile()).get("results");
        JsonNode row = results.get("a face with green hair").get("variants").get("directional");
        for (String k : new String[] {"edit_accuracy", "clip_similarity_after", "mnac", "face_similarity", "fid_vs_real"}) {
            assertTrue(row.has(k), k + " in " + row);
        }
        assertTrue(Files.isRegularFile(bench.resolve("results.md")) && Files.isRegularFile(bench.resolve("report.html")));
        assertTrue(Files.isRegularFile(bench.resolve("mappers/cfclip/a-face-with-green-hair/mapper.json")));
    }

    @Test
    void aWordMiniClipDoesNotKnowIsNamedBeforeTheGeneratorIsNeeded() {
        Cli.Run r = Cli.run("edit", "cfclip", "train", "--text", "a face with sparkly hair", "--out", dir.resolve("a").toString(),
                "--models", models.toString(), "--quiet");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("'sparkly'") && r.err().contains("target text"), r.err());
        assertFalse(Files.exists(dir.resolve("a")), "nothing written");
    }

    @Test
    void badSettingsAndMissingModelsAreNamed() {
        Cli.Run loss = Cli.run("edit", "cfclip", "train", "--text", "a face with green hair", "--loss", "cosine", "--out",
                dir.resolve("b").toString(), "--models", models.toString(), "--quiet");
        assertEquals(1, loss.code());
        assertTrue(loss.err().contains("'loss'") && loss.err().contains("directional"), loss.err());
        Cli.Run gen = Cli.run("edit", "cfclip", "train", "--text", "a face with green hair", "--steps", "1", "--out",
                dir.resolve("c").toString(), "--models", noGenerator.toString(), "--quiet");
        assertEquals(1, gen.code(), gen.err());
        assertTrue(gen.err().contains("stylegen"), gen.err());
        Cli.Run mapper = Cli.run("edit", "cfclip", "apply", "--mapper", dir.resolve("none").toString(), "--images",
                dir.resolve("none.png").toString(), "--out", dir.resolve("d").toString(), "--quiet");
        assertEquals(1, mapper.code());
        assertTrue(mapper.err().contains("Image not found"), mapper.err());
        Path img = dir.resolve("faces");
        assertEquals(0, Cli.run("world", "render", "--seed", "5", "--count", "1", "--out", img.toString(), "--quiet").code());
        Cli.Run none = Cli.run("edit", "cfclip", "apply", "--mapper", dir.resolve("none").toString(), "--images", img.toString(),
                "--out", dir.resolve("d").toString(), "--quiet");
        assertEquals(1, none.code());
        assertTrue(none.err().contains("No CF-CLIP mapper"), none.err());
        Cli.Run texts = Cli.run("bench", "cfclip", "--texts", "9", "--models", noGenerator.toString(), "--out", dir.resolve("e").toString(),
                "--quiet");
        assertEquals(1, texts.code());
        assertTrue(texts.err().contains("--texts takes indices 0-7"), texts.err());
    }
}
