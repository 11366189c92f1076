package io.vcex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.VcexHome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edit cfclip} and {@code bench cfclip}: the commands exist and report mistakes in the
 * user's terms before any slow work. (Training and applying are tested on the toy generator in
 * vcex-methods; the zoo's style generator is not shipped yet.)
 */
class CfClipCommandTest {
    @TempDir
    static Path dir;
    static Path models;

    @BeforeAll
    static void zooWithoutAStyleGenerator() throws Exception {
        models = dir.resolve("models");
        for (String m : new String[] {"miniclip", "feature-net"}) {
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
                dir.resolve("c").toString(), "--models", models.toString(), "--quiet");
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
        Cli.Run texts = Cli.run("bench", "cfclip", "--texts", "9", "--models", models.toString(), "--out", dir.resolve("e").toString(),
                "--quiet");
        assertEquals(1, texts.code());
        assertTrue(texts.err().contains("--texts takes indices 0-7"), texts.err());
    }
}
