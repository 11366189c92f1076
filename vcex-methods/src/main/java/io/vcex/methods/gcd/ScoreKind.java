package io.vcex.methods.gcd;

/**
 * Which classifier score enters the counterfactual loss (eq. 1) and the proxy's first output.
 * The paper writes f(x) for "a positive score"; the authors' code uses the logit.
 */
public enum ScoreKind {
    /**
     * The logit of the source image's class: log p / (1 - p), which for a binary-logit classifier
     * is its raw output with the sign flipped when the source is class 0 (the authors' code; default).
     */
    LOGIT,
    /** The probability of the source image's class. */
    PROBABILITY
}
