package io.vcex.methods.zoom;

import io.vcex.core.VcexException;
import io.vcex.core.config.Json;
import io.vcex.core.generator.StyleLayer;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.provenance.Provenance;
import java.nio.file.Path;
import java.util.List;

/**
 * StyleCLIP's channel relevance for one (style generator, text-image encoder) pair: for every
 * style channel c, R_c is the mean over images of the unit change of the unit image embedding when
 * c moves from s - k sigma_c to s + k sigma_c (Patashnik et al. 2021, sec. 6). A text direction
 * delta_t then gives each channel its relevance delta_s[c] = R_c . delta_t (ZOOM's eq. 2 before the
 * threshold). Saved as JSON with its provenance, and reused while the models and settings match.
 *
 * @param generator the style generator (name and file hashes)
 * @param encoder the text-image encoder (name and file hashes)
 * @param config how it was measured (samples, k, standard-deviation samples, truncation, seed)
 * @param layers the generator's style layers; channels are numbered layer by layer in this order
 * @param std per channel, its standard deviation over sampled style codes (sigma_c)
 * @param relevance per channel, R_c (embeddingDim values)
 * @param seconds wall time of the measurement
 * @param provenance versions, seed, model hashes
 */
public record RelevanceMatrix(ModelInfo generator, ModelInfo encoder, RelevanceConfig config, List<StyleLayer> layers,
        float[] std, float[][] relevance, double seconds, Provenance provenance) {

    /** Checks that the arrays agree with the layers. */
    public RelevanceMatrix {
        layers = List.copyOf(layers);
        int c = layers.stream().mapToInt(StyleLayer::channels).sum();
        if (std.length != c || relevance.length != c) {
            throw new VcexException("A relevance matrix for " + c + " style channels has " + std.length
                    + " standard deviations and " + relevance.length + " rows");
        }
    }

    /** @return the number of style channels, all layers together */
    public int channels() {
        return std.length;
    }

    /** @return the embedding length of the encoder */
    public int embeddingDim() {
        return relevance.length == 0 ? 0 : relevance[0].length;
    }

    /** @return the median of the channels' standard deviations (a generator's typical style scale) */
    public double medianStd() {
        float[] s = std.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n == 0 ? 0 : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    /**
     * delta_s = R . delta_t: each channel's relevance to a text direction.
     *
     * @param deltaT a direction in the encoder's embedding space
     * @return one value per channel
     */
    public float[] project(float[] deltaT) {
        if (deltaT.length != embeddingDim()) {
            throw new VcexException("A text direction of length " + deltaT.length + " does not fit a relevance matrix of "
                    + "embedding length " + embeddingDim() + " (encoder '" + encoder.name() + "')");
        }
        float[] out = new float[channels()];
        for (int c = 0; c < out.length; c++) {
            double s = 0;
            for (int j = 0; j < deltaT.length; j++) {
                s += (double) relevance[c][j] * deltaT[j];
            }
            out[c] = (float) s;
        }
        return out;
    }

    /**
     * @param channel a channel number (layer by layer)
     * @return "layer name[index in layer]"
     */
    public String channelName(int channel) {
        int start = 0;
        for (StyleLayer l : layers) {
            if (channel < start + l.channels()) {
                return l.name() + "[" + (channel - start) + "]";
            }
            start += l.channels();
        }
        throw new VcexException("No style channel " + channel + "; there are " + channels());
    }

    /**
     * @param otherGenerator a generator's info
     * @param otherEncoder an encoder's info
     * @param otherConfig settings
     * @param otherLayers the generator's style layers
     * @return whether this matrix was measured for exactly these
     */
    public boolean matches(ModelInfo otherGenerator, ModelInfo otherEncoder, RelevanceConfig otherConfig,
            List<StyleLayer> otherLayers) {
        return generator.equals(otherGenerator) && encoder.equals(otherEncoder) && config.key().equals(otherConfig.key())
                && layers.equals(otherLayers);
    }

    /**
     * @param otherGenerator a generator's info
     * @param otherEncoder an encoder's info
     * @param otherLayers the generator's style layers
     * @return whether this matrix was measured on exactly these models and layers, with any settings
     */
    public boolean matchesModels(ModelInfo otherGenerator, ModelInfo otherEncoder, List<StyleLayer> otherLayers) {
        return generator.equals(otherGenerator) && encoder.equals(otherEncoder) && layers.equals(otherLayers);
    }

    /** @param file where to write it (atomically) */
    public void write(Path file) {
        Json.write(file, this);
    }

    /**
     * @param file a file written by {@link #write}
     * @return the matrix
     */
    public static RelevanceMatrix read(Path file) {
        return Json.read(file, RelevanceMatrix.class);
    }
}
