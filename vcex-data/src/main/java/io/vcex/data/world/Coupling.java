package io.vcex.data.world;

import io.vcex.core.config.Check;
import io.vcex.core.config.ConfigException;

/**
 * A planted correlation between two binary attributes: after the attributes are drawn
 * independently, {@code effect} is set equal to {@code cause} with probability
 * {@code agreement} and to its opposite otherwise. So {@code (smiling, eyeglasses, 0.95)} makes
 * 95% of smiling faces wear glasses and 95% of non-smiling faces go without: a data set on which
 * a classifier can learn "glasses" as a shortcut for "smile". An agreement below 0.5 makes the
 * two anti-correlated.
 *
 * @param cause a binary attribute (see {@link FaceAttributes#BINARY})
 * @param effect another binary attribute, overwritten
 * @param agreement probability that effect equals cause, in [0, 1]
 */
public record Coupling(String cause, String effect, double agreement) {

    /** Validates the names and the probability. */
    public Coupling {
        if (!FaceAttributes.BINARY.contains(cause)) {
            throw new ConfigException("couplings.cause", cause, "must be one of " + FaceAttributes.BINARY);
        }
        if (!FaceAttributes.BINARY.contains(effect)) {
            throw new ConfigException("couplings.effect", effect, "must be one of " + FaceAttributes.BINARY);
        }
        if (cause.equals(effect)) {
            throw new ConfigException("couplings.effect", effect, "must differ from the cause");
        }
        Check.probability("couplings.agreement", agreement);
    }
}
