package io.vcex.methods.gcd;

import io.vcex.core.config.Check;
import io.vcex.core.config.ConfigException;
import java.util.List;

/**
 * The proxy network and its training (GCD appendix E; REFERENCE-NOTES "GCD"). Every field may be
 * left null (in code or JSON) for its default.
 *
 * @param hidden hidden widths; the input is the code's length and the output 2 (default
 *     512-256-128-64, sigmoid activations, as in the paper)
 * @param learningRate AdamW learning rate (default 1e-3, PyTorch's AdamW default the authors kept)
 * @param weightDecay AdamW decoupled weight decay (default 1e-2, PyTorch's default)
 * @param batchSize proxy training batch (default 128)
 * @param validationFraction share of the data held out for early stopping (default 0.2; the
 *     paper's ratio did not survive in our copy of the text)
 * @param window early stopping: training ends once the mean validation loss of the previous
 *     {@code window} epochs is lower than the last epoch's (default 5)
 * @param maxEpochs a cap on epochs (default 200)
 * @param minSteps optimizer steps before early stopping may end training (default 1000; a vcex
 *     addition, 0 gives the paper's rule alone): with the few hundred perturbations of the first
 *     iterations an epoch is a handful of steps, and the rule would stop a sigmoid network in its
 *     initial plateau, before it has learned the distance's curvature
 * @param scoreWeight w1, the weight of the score MSE (default 1)
 * @param distanceWeight w2, the weight of the distance MSE (default 1: the paper's lambda = 1
 *     gives both components the same weight)
 * @param standardize train on targets standardised to mean 0 and deviation 1 (the network's
 *     outputs are mapped back); default true, a vcex choice: a logit varies by units and a
 *     perceptual distance by hundredths, and unscaled MSE would neglect the distance
 */
public record ProxyConfig(List<Integer> hidden, Double learningRate, Double weightDecay, Integer batchSize,
        Double validationFraction, Integer window, Integer maxEpochs, Integer minSteps, Double scoreWeight, Double distanceWeight,
        Boolean standardize) {

    /** Fills defaults and validates; errors name the field. */
    public ProxyConfig {
        hidden = hidden == null ? List.of(512, 256, 128, 64) : List.copyOf(hidden);
        if (hidden.isEmpty()) {
            throw new ConfigException("proxy.hidden", hidden, "needs at least one hidden layer");
        }
        for (Integer h : hidden) {
            if (h == null || h < 1 || h > 8192) {
                throw new ConfigException("proxy.hidden", hidden, "widths must be whole numbers in [1, 8192]");
            }
        }
        learningRate = learningRate == null ? 1e-3 : Check.positive("proxy.learningRate", learningRate);
        weightDecay = weightDecay == null ? 1e-2 : Check.nonNegative("proxy.weightDecay", weightDecay);
        batchSize = batchSize == null ? 128 : Check.range("proxy.batchSize", batchSize, 1, 1 << 16);
        validationFraction = validationFraction == null ? 0.2
                : Check.range("proxy.validationFraction", validationFraction, 0.01, 0.9);
        window = window == null ? 5 : Check.range("proxy.window", window, 1, 1000);
        maxEpochs = maxEpochs == null ? 200 : Check.range("proxy.maxEpochs", maxEpochs, 1, 100_000);
        minSteps = minSteps == null ? 1000 : Check.range("proxy.minSteps", minSteps, 0, 100_000_000);
        scoreWeight = scoreWeight == null ? 1.0 : Check.nonNegative("proxy.scoreWeight", scoreWeight);
        distanceWeight = distanceWeight == null ? 1.0 : Check.nonNegative("proxy.distanceWeight", distanceWeight);
        if (scoreWeight == 0 && distanceWeight == 0) {
            throw new ConfigException("proxy.scoreWeight", scoreWeight, "score and distance weights cannot both be 0");
        }
        standardize = standardize == null ? Boolean.TRUE : standardize;
    }

    /** @return every default */
    public static ProxyConfig defaults() {
        return new ProxyConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * @param value hidden widths
     * @param epochs the epoch cap
     * @return a copy with these
     */
    public ProxyConfig withHidden(List<Integer> value, int epochs) {
        return new ProxyConfig(value, learningRate, weightDecay, batchSize, validationFraction, window, epochs, minSteps,
                scoreWeight, distanceWeight, standardize);
    }

    /**
     * @param value the learning rate
     * @return a copy with it
     */
    public ProxyConfig withLearningRate(double value) {
        return new ProxyConfig(hidden, value, weightDecay, batchSize, validationFraction, window, maxEpochs, minSteps,
                scoreWeight, distanceWeight, standardize);
    }

    /**
     * @param batch the training batch
     * @param steps the minimum optimizer steps
     * @return a copy with these
     */
    public ProxyConfig withSteps(int batch, int steps) {
        return new ProxyConfig(hidden, learningRate, weightDecay, batch, validationFraction, window, maxEpochs, steps,
                scoreWeight, distanceWeight, standardize);
    }
}
