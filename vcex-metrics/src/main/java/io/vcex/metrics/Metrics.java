package io.vcex.metrics;

import io.vcex.core.VcexException;
import io.vcex.metrics.attributes.CorrelationDifference;
import io.vcex.metrics.attributes.Mnac;
import io.vcex.metrics.closeness.LpDistance;
import io.vcex.metrics.perceptual.FaceSimilarity;
import io.vcex.metrics.perceptual.PerceptualDistance;
import io.vcex.metrics.perceptual.Ssim;
import io.vcex.metrics.realism.Fid;
import io.vcex.metrics.realism.SplitFid;
import io.vcex.metrics.validity.Cout;
import io.vcex.metrics.validity.FlipRate;
import io.vcex.metrics.validity.TargetConfidence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of counterfactual metrics, by name. */
public final class Metrics {
    private static final Map<String, Metric> ALL = registry();

    private Metrics() {
    }

    private static Map<String, Metric> registry() {
        Map<String, Metric> m = new LinkedHashMap<>();
        for (Metric metric : List.of(new FlipRate(), new TargetConfidence(), new LpDistance(1), new LpDistance(1.5),
                new LpDistance(2), new Ssim(), new PerceptualDistance(), new FaceSimilarity(), new Fid(), new SplitFid(),
                new Mnac(), new CorrelationDifference(), Cout.standard())) {
            m.put(metric.name(), metric);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** @return every metric, in report order */
    public static List<Metric> all() {
        return new ArrayList<>(ALL.values());
    }

    /**
     * @param name a metric name
     * @return the metric
     */
    public static Metric get(String name) {
        Metric m = ALL.get(name.trim());
        if (m == null) {
            throw new VcexException("Unknown metric '" + name + "'; the metrics are " + ALL.keySet());
        }
        return m;
    }

    /**
     * Computes a metric after checking that the evaluation has what it needs.
     *
     * @param metric the metric
     * @param e the evaluation
     * @return the figure
     */
    public static MetricResult compute(Metric metric, Evaluation e) {
        String missing = e.missing(metric.requires());
        if (missing != null) {
            throw new VcexException("Metric '" + metric.name() + "' needs " + missing);
        }
        if (e.size() < metric.minPairs()) {
            throw new VcexException("Metric '" + metric.name() + "' needs at least " + metric.minPairs() + " pairs, got "
                    + e.size());
        }
        return metric.compute(e);
    }

    /**
     * @param e an evaluation
     * @return the metrics it can compute: every requirement met and enough pairs
     */
    public static List<Metric> applicable(Evaluation e) {
        List<Metric> out = new ArrayList<>();
        for (Metric m : ALL.values()) {
            if (e.missing(m.requires()) == null && e.size() >= m.minPairs()) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * @param names comma-separated metric names
     * @return the metrics
     */
    public static List<Metric> parse(String names) {
        List<Metric> out = new ArrayList<>();
        for (String n : names.split(",")) {
            if (!n.isBlank()) {
                out.add(get(n));
            }
        }
        return out;
    }
}
