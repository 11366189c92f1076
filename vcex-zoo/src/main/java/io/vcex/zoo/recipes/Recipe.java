package io.vcex.zoo.recipes;

import io.vcex.core.context.VcexContext;
import io.vcex.zoo.card.ModelCard;
import java.nio.file.Path;
import java.util.Map;

/**
 * How one zoo model is made and measured. {@code vcex zoo train NAME} runs {@link #train}, which
 * checkpoints into a work folder and resumes from it, then writes the weights and the card;
 * {@code vcex zoo eval NAME} runs {@link #evaluate} on the shipped weights.
 *
 * @param <C> the recipe's config record (defaults are the shipped model's; a tiny one runs in tests)
 * @param <M> the model it makes, in vcex's roles
 */
public interface Recipe<C, M> {

    /** @return the zoo name, for example "smile" */
    String name();

    /** @return one line for {@code vcex zoo list} */
    String summary();

    /** @return the config type, for reading configs from JSON */
    Class<C> configType();

    /** @return the config of the shipped model */
    C defaults();

    /** @return a configuration that trains in seconds, for tests */
    C tiny();

    /**
     * Trains from scratch (or resumes), evaluates, and writes {@code weights.params} and
     * {@code card.json} into {@code modelDir}.
     *
     * @param ctx seed, progress and scopes
     * @param config the config
     * @param modelDir where the model goes (replaced)
     * @param workDir where checkpoints go (kept until the model is written)
     * @return the card written
     */
    ModelCard train(VcexContext ctx, C config, Path modelDir, Path workDir);

    /**
     * @param ctx scopes and progress
     * @param config the config the model was trained with (from its card)
     * @param modelDir a folder with weights and card
     * @return the figures, by name
     */
    Map<String, Double> evaluate(VcexContext ctx, C config, Path modelDir);

    /**
     * Loads the model from a folder whose weights were already checked against their card.
     *
     * @param ctx the context whose scope will own the weights
     * @param config the config the model was trained with
     * @param modelDir the folder
     * @return the model
     */
    M load(VcexContext ctx, C config, Path modelDir);
}
