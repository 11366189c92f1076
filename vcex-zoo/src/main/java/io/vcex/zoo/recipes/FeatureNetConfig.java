package io.vcex.zoo.recipes;

import io.vcex.core.config.Check;
import io.vcex.zoo.train.TrainSettings;

/**
 * The feature network's recipe.
 *
 * @param seed seed of identities, views, weights and batches; test identities use seed + 1000
 * @param identities training identities
 * @param views renders per identity (two are drawn per step as a positive pair)
 * @param testIdentities held-out identities for the figures
 * @param width backbone width w
 * @param embeddingDim identity embedding size
 * @param temperature NT-Xent temperature tau
 * @param train optimisation (batch = identities per step; each gives two images)
 */
public record FeatureNetConfig(long seed, int identities, int views, int testIdentities, int width, int embeddingDim,
        double temperature, TrainSettings train) {

    /** Validates; errors name the field. */
    public FeatureNetConfig {
        Check.positive("identities", identities);
        Check.range("views", views, 2, 16);
        Check.positive("testIdentities", testIdentities);
        Check.positive("width", width);
        Check.positive("embeddingDim", embeddingDim);
        Check.positive("temperature", temperature);
        Check.present("train", train);
    }
}
