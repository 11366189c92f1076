package io.vcex.cli;

import io.vcex.data.world.WorldConfig;

/** The named faces-world distributions the command line offers. */
enum WorldPreset {
    /** what generators are trained on */
    IN_PRIOR,
    /** with counterfactual hair and lipstick colours */
    FULL,
    /** in-prior with smiling and eyeglasses coupled at 95% */
    SMILE_BIASED;

    WorldConfig config() {
        return switch (this) {
            case IN_PRIOR -> WorldConfig.inPrior();
            case FULL -> WorldConfig.full();
            case SMILE_BIASED -> WorldConfig.smileBiased();
        };
    }

    /** Accepts in-prior, full, smile-biased. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<WorldPreset> {
        @Override
        public WorldPreset convert(String value) {
            return WorldPreset.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
    }
}
