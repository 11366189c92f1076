package io.vcex.metrics;

import java.util.Map;
import java.util.TreeMap;

/**
 * A metric's value over a set of counterfactuals.
 *
 * @param name the metric's name
 * @param value the figure (for per-pair metrics, the mean over pairs)
 * @param perItem one value per pair, or null for set-level metrics
 * @param details further figures (for example the two halves of sFID)
 */
public record MetricResult(String name, double value, double[] perItem, Map<String, Double> details) {

    /** Sorts the details. */
    public MetricResult {
        details = java.util.Collections.unmodifiableMap(new TreeMap<>(details == null ? Map.of() : details));
    }

    /**
     * @param name metric name
     * @param perItem per-pair values
     * @return the result whose value is their mean (NaN for none)
     */
    public static MetricResult mean(String name, double[] perItem) {
        double s = 0;
        for (double v : perItem) {
            s += v;
        }
        return new MetricResult(name, perItem.length == 0 ? Double.NaN : s / perItem.length, perItem, Map.of());
    }
}
