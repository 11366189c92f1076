package io.vcex.zoo.recipes;

import io.vcex.core.config.Check;
import io.vcex.core.config.ConfigException;
import io.vcex.zoo.train.TrainSettings;
import java.util.List;

/**
 * The recipe of the style generator ({@link io.vcex.zoo.nn.StyleNetBlock}), trained as an
 * autoencoder on the in-prior faces world.
 *
 * @param seed seed of data, weights, batches and evaluation
 * @param trainImages training renders (64x64)
 * @param widths synthesis channels per resolution 4, 8, ..., 64 (five entries for 64x64)
 * @param wDim length of one w vector
 * @param encoderHead channels of the encoder's last 1x1 convolution
 * @param offsetWeight weight of the mean squared W+ offsets (e4e's delta regulariser, Tov et al. 2021)
 * @param perceptualWeight weight of the feature network's perceptual distance in the loss (0: l1 only)
 * @param priorImages training images whose codes the prior is fitted to
 * @param evalImages held-out images (and samples) behind each figure
 * @param emaDecay decay of the weights' moving average that is shipped
 * @param train optimisation
 */
public record StyleGenConfig(long seed, int trainImages, List<Integer> widths, int wDim, int encoderHead, double offsetWeight,
        double perceptualWeight, int priorImages, int evalImages, double emaDecay, TrainSettings train) {

    /** Validates; errors name the field. */
    public StyleGenConfig {
        Check.positive("trainImages", trainImages);
        Check.present("widths", widths);
        if (widths.size() != 5 || widths.stream().anyMatch(w -> w == null || w < 1)) {
            throw new ConfigException("widths", widths, "needs five positive channel counts, for resolutions 4, 8, 16, 32 and 64");
        }
        Check.positive("wDim", wDim);
        Check.positive("encoderHead", encoderHead);
        Check.nonNegative("offsetWeight", offsetWeight);
        Check.nonNegative("perceptualWeight", perceptualWeight);
        Check.positive("priorImages", priorImages);
        Check.positive("evalImages", evalImages);
        Check.probability("emaDecay", emaDecay);
        Check.present("train", train);
        widths = List.copyOf(widths);
    }
}
