package io.vcex.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    @Test
    void logModePrintsOneLinePerTenthWithCountsAndTimes() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        ConsoleProgress p = new ConsoleProgress(new PrintStream(buf, true, StandardCharsets.UTF_8), false, clock::get);
        try (Progress.Task t = p.start("work", 100)) {
            for (int i = 0; i < 100; i++) {
                clock.addAndGet(10);
                t.step();
            }
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(11, lines.length, String.join("\n", lines));
        assertTrue(lines[0].startsWith("work [") && lines[0].contains("0/100"), lines[0]);
        assertTrue(lines[5].contains("50/100") && lines[5].contains("50%") && lines[5].contains("0.5s eta 1s"), lines[5]);
        assertTrue(lines[10].contains("100/100 100% 1.0s"), lines[10]);
    }
}
