package io.vcex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonSpeedTest {

    @Test
    void withoutPythonTheTableSaysSoAndTheBenchGoesOn() {
        assertNull(PythonSpeed.probe("/nonexistent/python3"), "a missing interpreter is no interpreter");
        try (PythonSpeed.Session s = PythonSpeed.prepare(null, null, "smile", null, null, List.of(), new int[][] {{1, 2}}, 200, 1,
                "none")) {
            PythonSpeed.Outcome out = s.run(2, 1, 2);
            assertEquals("skipped with --python none", out.reason());
            assertEquals(false, out.json().get("available"));
            String row = out.row(2, 1, 2);
            assertTrue(row.contains("not measured: skipped with --python none"), row);
            assertEquals(12, row.chars().filter(c -> c == '|').count(), "as many cells as the header: " + row);
            assertNull(PythonSpeed.ratios(2, Map.of(), out));
            assertTrue(PythonSpeed.equivalence(out).contains("not measured"));
        }
    }

    @Test
    void rowsAndRatios() {
        Map<String, Object> java = new LinkedHashMap<>();
        java.put("batch_1", row(4.0, 2.0));
        Map<String, Object> py = new LinkedHashMap<>();
        py.put("batch_1", row(2.0, 1.0));
        PythonSpeed.Outcome out = new PythonSpeed.Outcome(py, null, "Python");
        String r = out.row(1, 1, 2);
        assertEquals("| 1 | Python | 1 | 2 | 2.00 | 1.00 | 50% | 10% | 40% | 300 | 1/2 |", r);
        assertEquals(PythonSpeed.table(List.of(r)).lines().findFirst().orElseThrow().chars().filter(c -> c == '|').count(),
                r.chars().filter(c -> c == '|').count());
        assertEquals("1 thread(s): batch 1 2.00 (CPU time 2.00)", PythonSpeed.ratios(1, java, out));

        PythonSpeed.Outcome failed = PythonSpeed.Outcome.missing("broken");
        Map<String, Object> b8 = new LinkedHashMap<>();
        b8.put("batch_8", row(1.0, 1.0));
        b8.put("equivalence", Map.of("passed", true));
        PythonSpeed.Outcome merged = PythonSpeed.merge(List.of(out, new PythonSpeed.Outcome(b8, null, "Python"), failed));
        assertNull(merged.reason());
        assertTrue(merged.json().containsKey("batch_1") && merged.json().containsKey("batch_8"), merged.json().toString());
        assertEquals("broken", PythonSpeed.merge(List.of(failed)).reason());
    }

    private static Map<String, Object> row(double seconds, double cpu) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("images", 2);
        r.put("seconds_per_counterfactual", seconds);
        r.put("cpu_seconds_per_counterfactual", cpu);
        r.put("share_denoiser_forward", 0.5);
        r.put("share_classifier_forward", 0.1);
        r.put("share_backward_and_rest", 0.4);
        r.put("peak_rss_mb", 300.0);
        r.put("flipped", 1);
        return r;
    }
}
