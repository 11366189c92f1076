package io.vcex.core.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.VcexException;
import io.vcex.core.config.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {
    @TempDir
    Path dir;

    record Cfg(int steps) {
    }

    @Test
    void sha256OfKnownInput() {
        // FIPS 180-2 test vector
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Hashing.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void provenanceRecordsConfigHashesSeedAndBuildVersionsAndRoundTrips() throws Exception {
        Path weights = dir.resolve("w.bin");
        Files.writeString(weights, "abc");
        Provenance p = Provenance.of("test.kind", new Cfg(7), 42, Map.of("model", weights));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", p.models().get("model"));
        assertEquals(7, p.config().get("steps").asInt());
        assertTrue(p.vcexVersion().matches("\\d+\\.\\d+\\.\\d+.*"), "filtered from the build: " + p.vcexVersion());
        assertEquals("0.35.1", p.djlVersion());
        Provenance back = Json.parse(Json.write(p), Provenance.class, "p");
        assertEquals(p, back);
        assertEquals(Json.write(p), Json.write(Provenance.of("test.kind", new Cfg(7), 42, Map.of("model", weights))));
        assertNotEquals(Json.write(p), Json.write(Provenance.of("test.kind", new Cfg(8), 42, Map.of("model", weights))));
    }

    @Test
    void hashingAMissingFileNamesIt() {
        var e = assertThrows(VcexException.class, () -> Hashing.sha256(dir.resolve("gone.bin")));
        assertTrue(e.getMessage().contains("gone.bin") && e.getMessage().contains("not found"), e.getMessage());
    }
}
