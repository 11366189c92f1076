package io.vcex.metrics;

/**
 * One figure of merit of counterfactual explanations, computed from an {@link Evaluation} that
 * holds the images and whatever models the metric needs. A metric that needs a model the
 * evaluation lacks fails with a message naming the metric and the missing model.
 */
public interface Metric {

    /** What a metric needs besides the image pairs. */
    enum Requirement {
        /** the explained classifier */
        CLASSIFIER,
        /** a feature network */
        FEATURES,
        /** a multi-attribute oracle */
        ORACLE,
        /** the oracle attribute the counterfactuals should change */
        TARGET_ATTRIBUTE
    }

    /** @return what the metric needs besides the pairs (none by default) */
    default java.util.Set<Requirement> requires() {
        return java.util.Set.of();
    }

    /** @return the fewest pairs the metric is defined for (1 by default) */
    default int minPairs() {
        return 1;
    }

    /** @return the name used on the command line and in {@code metrics.json} */
    String name();

    /** @return one line: what it measures, and which way is better */
    String description();

    /**
     * @param evaluation originals, counterfactuals, models
     * @return the figure
     */
    MetricResult compute(Evaluation evaluation);
}
