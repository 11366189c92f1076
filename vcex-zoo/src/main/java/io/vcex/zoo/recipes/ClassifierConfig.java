package io.vcex.zoo.recipes;

import io.vcex.core.config.Check;
import io.vcex.core.config.ConfigException;
import io.vcex.data.world.FaceAttributes;
import io.vcex.data.world.WorldConfig;
import io.vcex.zoo.train.PgdL2;
import io.vcex.zoo.train.TrainSettings;
import java.util.List;

/**
 * A faces-world classifier's recipe: one logit per target, trained with binary cross-entropy.
 * A target is a binary attribute ({@code "smiling"}) or a categorical value
 * ({@code "hair_color=green"}); one target makes a binary classifier, many make an oracle.
 *
 * @param targets what the logits predict
 * @param trainWorld the training distribution (a planted coupling makes a biased classifier)
 * @param testWorld the test distribution (null: the unbiased in-prior world)
 * @param seed seed of the training faces, the weights and the batch order; test faces use seed + 1000
 * @param trainCount training faces
 * @param testCount test faces
 * @param width backbone width w (channels w, 2w, 2w, 4w, 4w)
 * @param train optimisation
 * @param adversarial PGD-l2 adversarial training, or null for standard training
 */
public record ClassifierConfig(List<String> targets, WorldConfig trainWorld, WorldConfig testWorld, long seed,
        int trainCount, int testCount, int width, TrainSettings train, PgdL2 adversarial) {

    /** Validates; errors name the field. */
    public ClassifierConfig {
        if (targets == null || targets.isEmpty()) {
            throw new ConfigException("targets", targets, "at least one target is required");
        }
        for (String t : targets) {
            if (!Targets.known(t)) {
                throw new ConfigException("targets", t, "a binary attribute " + FaceAttributes.BINARY
                        + " or a categorical value such as hair_color=green");
            }
        }
        targets = List.copyOf(targets);
        Check.present("trainWorld", trainWorld);
        testWorld = testWorld == null ? WorldConfig.inPrior() : testWorld;
        if (trainWorld.size() != 64 || testWorld.size() != 64) {
            throw new ConfigException(trainWorld.size() != 64 ? "trainWorld.size" : "testWorld.size",
                    trainWorld.size() != 64 ? trainWorld.size() : testWorld.size(), "the zoo's classifiers take 64x64 faces");
        }
        Check.positive("trainCount", trainCount);
        Check.positive("testCount", testCount);
        Check.positive("width", width);
        Check.present("train", train);
    }
}
