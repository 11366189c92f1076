package io.vcex.metrics.attribution;

/**
 * A metric of one attribution map (Quantus conventions: the map is taken in absolute value and
 * flattened).
 */
public interface AttributionMetric {

    /** @return the name */
    String name();

    /**
     * @param attribution one value per pixel (or per pixel and channel), any layout
     * @return the figure
     */
    double compute(float[] attribution);
}
