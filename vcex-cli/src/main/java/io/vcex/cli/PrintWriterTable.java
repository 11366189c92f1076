package io.vcex.cli;

import io.vcex.metrics.MetricResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints metric results as an aligned two-column table. */
final class PrintWriterTable {

    private PrintWriterTable() {
    }

    static void print(PrintWriter out, List<MetricResult> results) {
        for (MetricResult r : results) {
            out.printf(Locale.ROOT, "  %-20s %12.4f%n", r.name(), r.value());
            r.details().forEach((k, v) -> out.printf(Locale.ROOT, "    %-30s %10.4f%n", k, v));
        }
    }
}
