package io.vcex.zoo.recipes;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vcex.core.config.Check;
import io.vcex.core.config.ConfigException;
import io.vcex.zoo.train.TrainSettings;
import java.util.List;

/**
 * The recipe of a diffusion model: a pixel DDPM (Ho et al. 2020) when {@code codeDim} is 0, a
 * diffusion autoencoder (Preechakul et al. 2022) otherwise.
 *
 * @param seed seed of data, weights, batches and evaluation
 * @param data "faces" (the in-prior faces world, area-reduced to {@code side}) or "mnist"
 * @param trainImages training images
 * @param side image side the model works at (faces: 64 divided by a whole number)
 * @param base UNet width of the first level
 * @param mult UNet channel multipliers per level
 * @param codeDim length of z_sem (0: no semantic encoder)
 * @param encoderBase width of the semantic encoder
 * @param timesteps T of the linear schedule (Ho et al.: 1000)
 * @param emaDecay decay of the weights' moving average that is shipped
 * @param evalImages samples (and held-out images) behind each figure
 * @param train optimisation
 * @param gradClip global gradient-norm clipping (Ho et al. 2020: 1); null or 0: none (then left out of
 *     the JSON, so configs written before the field existed keep their hash and checkpoints resume)
 */
public record DiffusionConfig(long seed, String data, int trainImages, int side, int base, List<Integer> mult, int codeDim,
        int encoderBase, int timesteps, double emaDecay, int evalImages, TrainSettings train,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) Double gradClip) {

    /** Validates; errors name the field. */
    public DiffusionConfig {
        if (!"faces".equals(data) && !"mnist".equals(data)) {
            throw new ConfigException("data", data, "must be \"faces\" or \"mnist\"");
        }
        Check.positive("trainImages", trainImages);
        Check.positive("side", side);
        if ("faces".equals(data) && 64 % side != 0) {
            throw new ConfigException("side", side, "faces are 64x64; the side must divide 64");
        }
        Check.positive("base", base);
        Check.present("mult", mult);
        if (mult.isEmpty() || mult.stream().anyMatch(m -> m == null || m < 1)) {
            throw new ConfigException("mult", mult, "needs at least one level, each multiplier a positive whole number");
        }
        Check.nonNegative("codeDim", codeDim);
        Check.positive("encoderBase", encoderBase);
        Check.range("timesteps", timesteps, 21, 4000);
        Check.probability("emaDecay", emaDecay);
        Check.positive("evalImages", evalImages);
        Check.present("train", train);
        gradClip = gradClip == null ? 0.0 : Check.nonNegative("gradClip", gradClip);
        mult = List.copyOf(mult);
    }

    /** @return the multipliers as an array */
    public int[] levels() {
        return mult.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return true for a diffusion autoencoder */
    public boolean autoencoder() {
        return codeDim > 0;
    }

    /** @return image channels (3 for faces, 1 for MNIST) */
    public int channels() {
        return "faces".equals(data) ? 3 : 1;
    }
}
