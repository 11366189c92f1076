package io.vcex.methods.zoom;

import io.vcex.core.VcexException;
import java.util.Locale;

/**
 * A global edit direction in StyleSpace for one attribute (ZOOM, sec. 3.2, eq. 2; StyleCLIP
 * global directions): delta_s = R . delta_t, channels with |delta_s| < beta (the paper's lambda)
 * set to zero, divided by max |delta_s|, then scaled to unit L2 length over all channels, so that
 * an edit weight w moves the styles by exactly |w| (times {@code scale} where a generator-specific
 * weight unit is chosen, see {@link ZoomConfig#weightUnit()}).
 *
 * @param attribute the attribute
 * @param textDirection delta_t (unit, in the encoder's space)
 * @param relevance delta_s before the threshold, one value per channel
 * @param direction the edit direction, one value per channel (layer by layer); its L2 length is scale
 * @param activeChannels channels that passed the threshold
 * @param scale the direction's L2 length: 1 (the paper), or the style unit chosen
 */
public record EditDirection(Attribute attribute, float[] textDirection, float[] relevance, float[] direction,
        int activeChannels, double scale) {

    /**
     * The paper's direction, of unit length.
     *
     * @param attribute the attribute
     * @param deltaT its text direction
     * @param matrix the channel relevance
     * @param beta the threshold
     * @param scaleByStd multiply each channel by its standard deviation before the L2 normalisation
     * @return the direction
     */
    public static EditDirection of(Attribute attribute, float[] deltaT, RelevanceMatrix matrix, double beta, boolean scaleByStd) {
        return of(attribute, deltaT, matrix, beta, scaleByStd, 1.0);
    }

    /**
     * @param attribute the attribute
     * @param deltaT its text direction
     * @param matrix the channel relevance
     * @param beta the threshold
     * @param scaleByStd multiply each channel by its standard deviation before the L2 normalisation
     *     (StyleCLIP's code); false is the paper
     * @param scale the L2 length of the result (1: the paper)
     * @return the direction
     */
    public static EditDirection of(Attribute attribute, float[] deltaT, RelevanceMatrix matrix, double beta, boolean scaleByStd,
            double scale) {
        float[] ds = matrix.project(deltaT);
        float[] d = new float[ds.length];
        double max = 0;
        double largest = 0;
        int active = 0;
        for (int c = 0; c < ds.length; c++) {
            largest = Math.max(largest, Math.abs(ds[c]));
            if (Math.abs(ds[c]) >= beta) {
                d[c] = ds[c];
                max = Math.max(max, Math.abs(ds[c]));
                active++;
            }
        }
        if (active == 0 || max == 0) {
            throw new VcexException(String.format(Locale.ROOT, "No style channel is relevant enough to the attribute '%s' "
                    + "(\"%s\"): the largest |delta_s| is %.4f, below the threshold beta = %s; lower beta or rephrase it",
                    attribute.name(), attribute.phrase(), largest, beta));
        }
        double norm = 0;
        for (int c = 0; c < d.length; c++) {
            d[c] /= max;
            if (scaleByStd) {
                d[c] *= matrix.std()[c];
            }
            norm += (double) d[c] * d[c];
        }
        if (norm == 0) {
            throw new VcexException("The channels relevant to the attribute '" + attribute.name()
                    + "' all have standard deviation 0; use the paper's direction (no std scaling)");
        }
        double n = Math.sqrt(norm) / scale;
        for (int c = 0; c < d.length; c++) {
            d[c] = (float) (d[c] / n);
        }
        return new EditDirection(attribute, deltaT, ds, d, active, scale);
    }
}
