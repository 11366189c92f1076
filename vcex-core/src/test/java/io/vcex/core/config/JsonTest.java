package io.vcex.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.VcexException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
    @TempDir
    Path dir;

    /** A config with a default and a rule, as every vcex config is written. */
    record Sample(Integer steps, Double rate, Map<String, Integer> extra) {
        Sample {
            steps = steps == null ? 100 : Check.positive("steps", steps);
            rate = rate == null ? 0.5 : Check.probability("rate", rate);
            extra = extra == null ? Map.of() : extra;
        }
    }

    @Test
    void missingFieldsTakeDefaultsAndOutputIsStable() {
        Sample s = Json.parse("{\"rate\": 0.25}", Sample.class, "test");
        assertEquals(100, s.steps());
        assertEquals(0.25, s.rate());
        Sample withMap = new Sample(3, 0.1, Map.of("b", 2, "a", 1));
        String text = Json.write(withMap);
        assertTrue(text.indexOf("\"a\"") < text.indexOf("\"b\""), "map keys are sorted: " + text);
        assertTrue(text.endsWith("}\n"));
        assertEquals(withMap, Json.parse(text, Sample.class, "test"));
    }

    @Test
    void brokenRuleNamesTheFileAndTheField() throws Exception {
        Path f = dir.resolve("cfg.json");
        Files.writeString(f, "{\"steps\": -3}");
        var e = assertThrows(VcexException.class, () -> Json.read(f, Sample.class));
        assertEquals(f + ": Invalid value for 'steps': -3 (must be a positive whole number)", e.getMessage());
    }

    @Test
    void unknownFieldsWrongTypesAndBadSyntaxAreNamed() throws Exception {
        var e = assertThrows(VcexException.class, () -> Json.parse("{\"stepz\": 3}", Sample.class, "cfg.json"));
        assertTrue(e.getMessage().startsWith("cfg.json: unknown field 'stepz'") && e.getMessage().contains("steps"),
                e.getMessage());
        var e2 = assertThrows(VcexException.class, () -> Json.parse("{\"rate\": \"high\"}", Sample.class, "cfg.json"));
        assertTrue(e2.getMessage().startsWith("cfg.json: field 'rate'"), e2.getMessage());
        var e3 = assertThrows(VcexException.class, () -> Json.parse("{\n\"rate\": 0.2,,\n}", Sample.class, "cfg.json"));
        assertTrue(e3.getMessage().contains("not valid JSON at line 2"), e3.getMessage());
        var e4 = assertThrows(VcexException.class, () -> Json.read(dir.resolve("none.json"), Sample.class));
        assertTrue(e4.getMessage().startsWith("File not found"), e4.getMessage());
    }
}
