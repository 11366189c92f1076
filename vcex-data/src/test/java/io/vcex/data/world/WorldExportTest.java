package io.vcex.data.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcex.core.VcexException;
import io.vcex.core.config.Json;
import io.vcex.core.context.Progress;
import io.vcex.core.image.ImageFiles;
import io.vcex.core.provenance.Hashing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldExportTest {
    @TempDir
    Path dir;

    private static List<Path> files(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    @Test
    void exportWritesPngsLabelsAndManifestByteIdenticallyForTheSameSeed() throws Exception {
        WorldDatasetConfig cfg = new WorldDatasetConfig(1L, 16, WorldConfig.inPrior());
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(16, WorldExport.export(cfg, a, Progress.silent()));
        WorldExport.export(cfg, b, Progress.silent());
        List<Path> fa = files(a);
        assertEquals(18, fa.size(), "16 PNGs, labels.jsonl, world.json: " + fa);
        for (Path f : fa) {
            assertEquals(Hashing.sha256(f), Hashing.sha256(b.resolve(f.getFileName())), f.getFileName().toString());
        }
        List<String> lines = Files.readAllLines(a.resolve(WorldExport.LABELS));
        assertEquals(16, lines.size());
        FacesWorld world = new FacesWorld(WorldConfig.inPrior(), 1);
        for (int i = 0; i < 16; i++) {
            JsonNode row = Json.mapper().readTree(lines.get(i));
            assertEquals(String.format("%05d.png", i), row.get("file").asText());
            FaceAttributes truth = world.attributes(i);
            assertEquals(truth.hat(), row.get("hat").asBoolean());
            assertEquals(truth.eyeglasses(), row.get("eyeglasses").asBoolean());
            assertEquals(truth.hairColor().word(), row.get("hair_color").asText());
            assertEquals(3, row.get("captions").size());
            assertArrayEquals(world.sample(i).image().pixels(), ImageFiles.read(a.resolve(row.get("file").asText())).pixels(),
                    0.5f / 255 + 1e-6f);
        }
        JsonNode manifest = Json.mapper().readTree(a.resolve(WorldExport.MANIFEST).toFile());
        assertEquals(16, manifest.get("config").get("count").asInt());
        assertEquals("world.dataset", manifest.get("kind").asText());
    }

    @Test
    void anEarlierExportIsReplacedButAForeignFolderIsNeverTouched() throws Exception {
        Path out = dir.resolve("set");
        WorldExport.export(new WorldDatasetConfig(1L, 3, null), out, Progress.silent());
        WorldExport.export(new WorldDatasetConfig(2L, 2, null), out, Progress.silent());
        assertEquals(4, files(out).size());
        Path mine = dir.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("thesis.txt"), "precious");
        var e = assertThrows(VcexException.class, () -> WorldExport.export(new WorldDatasetConfig(1L, 2, null), mine,
                Progress.silent()));
        assertTrue(e.getMessage().contains("not empty") && e.getMessage().contains(mine.toString()), e.getMessage());
        assertEquals("precious", Files.readString(mine.resolve("thesis.txt")));
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".partial")), "no partial folder is left");
        }
    }
}
