package io.vcex.zoo.recipes;

import io.vcex.core.config.Check;
import io.vcex.data.dataset.Mnist;
import io.vcex.zoo.train.TrainSettings;

/**
 * The recipe of the MNIST measuring network.
 *
 * @param seed seed of weights and batches
 * @param trainImages the first this many MNIST training digits
 * @param testImages the first this many MNIST test digits, for the figures
 * @param width backbone width w
 * @param train optimisation
 */
public record MnistNetConfig(long seed, int trainImages, int testImages, int width, TrainSettings train) {

    /** Validates; errors name the field. */
    public MnistNetConfig {
        Check.range("trainImages", trainImages, 1, Mnist.TRAIN_SIZE);
        Check.range("testImages", testImages, 1, Mnist.TEST_SIZE);
        Check.positive("width", width);
        Check.present("train", train);
    }
}
