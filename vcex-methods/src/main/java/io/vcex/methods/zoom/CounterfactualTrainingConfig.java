package io.vcex.methods.zoom;

import io.vcex.core.config.Check;

/**
 * Settings of counterfactual training (ZOOM, sec. 4.4): the classifier is fine-tuned on its own
 * counterfactuals, each labelled with its original's label, mixed with the originals. The paper
 * gives no optimiser settings; these are small-step fine-tuning defaults. A null field takes its
 * default.
 *
 * @param steps optimiser steps (200)
 * @param batch images per step, half originals and half counterfactuals (32)
 * @param learningRate Adam's step (1e-4)
 * @param counterfactualShare share of each batch taken from the counterfactuals (0.5)
 * @param seed the batch order's seed (0)
 */
public record CounterfactualTrainingConfig(Integer steps, Integer batch, Double learningRate, Double counterfactualShare,
        Long seed) {

    /** Fills the defaults and validates; errors name the field. */
    public CounterfactualTrainingConfig {
        steps = steps == null ? 200 : Check.range("steps", steps, 1, 10_000_000);
        batch = batch == null ? 32 : Check.range("batch", batch, 1, 4096);
        learningRate = learningRate == null ? 1e-4 : Check.positive("learningRate", learningRate);
        counterfactualShare = counterfactualShare == null ? 0.5 : Check.probability("counterfactualShare", counterfactualShare);
        seed = seed == null ? 0L : seed;
    }

    /** @return the defaults */
    public static CounterfactualTrainingConfig defaults() {
        return new CounterfactualTrainingConfig(null, null, null, null, null);
    }
}
