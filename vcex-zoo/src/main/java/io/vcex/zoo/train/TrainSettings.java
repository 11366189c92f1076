package io.vcex.zoo.train;

import io.vcex.core.config.Check;

/**
 * The optimisation part of every recipe: AdamW with linear warm-up then cosine decay.
 *
 * @param steps optimisation steps
 * @param batch images per step
 * @param learningRate peak learning rate
 * @param weightDecay decoupled weight decay
 * @param warmup share of steps with a linear warm-up
 * @param checkpointEvery save a checkpoint every this many steps (and at the end)
 */
public record TrainSettings(int steps, int batch, double learningRate, double weightDecay, double warmup,
        int checkpointEvery) {

    /** Validates; errors name the field. */
    public TrainSettings {
        Check.positive("steps", steps);
        Check.positive("batch", batch);
        Check.positive("learningRate", learningRate);
        Check.nonNegative("weightDecay", weightDecay);
        Check.probability("warmup", warmup);
        Check.positive("checkpointEvery", checkpointEvery);
    }

    /**
     * @param step 0-based step
     * @return the learning rate at that step
     */
    public double learningRate(int step) {
        int warm = (int) Math.ceil(warmup * steps);
        if (step < warm) {
            return learningRate * (step + 1) / warm;
        }
        double progress = (double) (step - warm) / Math.max(1, steps - warm);
        return learningRate * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
