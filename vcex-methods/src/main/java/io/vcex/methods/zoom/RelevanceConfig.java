package io.vcex.methods.zoom;

import io.vcex.core.config.Check;

/**
 * How the channel relevance of StyleCLIP's global directions (Patashnik et al. 2021, sec. 6) is
 * measured; the defaults are ZOOM's (REFERENCE-NOTES: about 100 images, +/- 5 standard
 * deviations). A null field takes its default.
 *
 * @param samples images each channel is moved on (100)
 * @param k how many standard deviations a channel moves each way (5)
 * @param stdSamples sampled style codes the per-channel standard deviation is taken over (1000;
 *     drawn without truncation, as StyleSpace's statistics are)
 * @param truncation psi of the images the relevance is measured on (0.7, the diagnosis's)
 * @param batch images per generator call, a memory bound only (64)
 * @param seed the seed of the sampled codes (0); part of the cache key
 */
public record RelevanceConfig(Integer samples, Double k, Integer stdSamples, Double truncation, Integer batch, Long seed) {

    /** Fills the defaults and validates; errors name the field. */
    public RelevanceConfig {
        samples = samples == null ? 100 : Check.range("samples", samples, 1, 100_000);
        k = k == null ? 5.0 : Check.positive("k", k);
        stdSamples = stdSamples == null ? 1000 : Check.range("stdSamples", stdSamples, 2, 1_000_000);
        truncation = truncation == null ? 0.7 : Check.range("truncation", truncation, 0.0, 1.0);
        batch = batch == null ? 64 : Check.range("batch", batch, 2, 1 << 16);
        seed = seed == null ? 0L : seed;
    }

    /** @return the defaults */
    public static RelevanceConfig defaults() {
        return new RelevanceConfig(null, null, null, null, null, null);
    }

    /**
     * @param count images per channel
     * @return a copy with that count
     */
    public RelevanceConfig withSamples(int count) {
        return new RelevanceConfig(count, k, stdSamples, truncation, batch, seed);
    }

    /** @return this config without the batch size, which does not change the numbers (the cache key) */
    public RelevanceConfig key() {
        return new RelevanceConfig(samples, k, stdSamples, truncation, 64, seed);
    }
}
