package io.vcex.metrics;

/**
 * One figure of merit of counterfactual explanations, computed from an {@link Evaluation} that
 * holds the images and whatever models the metric needs. A metric that needs a model the
 * evaluation lacks fails with a message naming the metric and the missing model.
 */
public interface Metric {

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
