package io.vcex.data.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.VcexException;
import io.vcex.core.config.ConfigException;
import io.vcex.core.config.Json;
import org.junit.jupiter.api.Test;

class WorldConfigTest {

    @Test
    void partialJsonTakesDefaultsForEverythingElse() {
        WorldDatasetConfig c = Json.parse("{\"count\": 5, \"world\": {\"probabilities\": {\"hat\": 0.9},"
                + " \"couplings\": [{\"cause\": \"smiling\", \"effect\": \"eyeglasses\", \"agreement\": 0.95}]}}",
                WorldDatasetConfig.class, "cfg");
        assertEquals(5, c.count());
        assertEquals(1L, c.seed());
        assertEquals(0.9, c.world().probabilities().get("hat"));
        assertEquals(0.5, c.world().probabilities().get("smiling"));
        assertEquals(64, c.world().size());
        assertEquals(WorldConfig.smileBiased().couplings(), c.world().couplings());
        assertEquals(c, Json.parse(Json.write(c), WorldDatasetConfig.class, "again"));
    }

    @Test
    void badValuesNameTheirField() {
        var e = assertThrows(VcexException.class, () -> Json.parse("{\"world\": {\"probabilities\": {\"hats\": 0.9}}}",
                WorldDatasetConfig.class, "cfg.json"));
        assertTrue(e.getMessage().contains("'probabilities.hats'") && e.getMessage().contains("known:"), e.getMessage());
        var e2 = assertThrows(VcexException.class, () -> Json.parse("{\"world\": {\"probabilities\": {\"hat\": 1.5}}}",
                WorldDatasetConfig.class, "cfg.json"));
        assertTrue(e2.getMessage().contains("'probabilities.hat': 1.5"), e2.getMessage());
        var e3 = assertThrows(ConfigException.class, () -> new Coupling("smiling", "smiling", 0.9));
        assertEquals("couplings.effect", e3.field());
        var e4 = assertThrows(ConfigException.class, () -> new Coupling("smiling", "glasses", 0.9));
        assertTrue(e4.getMessage().contains("eyeglasses"), e4.getMessage());
        var e5 = assertThrows(ConfigException.class, () -> new WorldConfig(null, null, null, null, null, null, null,
                null, null, 0.8, 0.3));
        assertEquals("valFraction", e5.field());
    }
}
