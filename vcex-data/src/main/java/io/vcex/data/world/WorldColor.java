package io.vcex.data.world;

import java.awt.Color;

/**
 * A colour value of a faces-world attribute. Values marked {@code inPrior() == false} are
 * <em>counterfactual</em>: they never appear in the data the generators are trained on (the
 * in-prior world), only in the full world that the oracle and MiniCLIP see, so a text-driven
 * edit towards them can be checked against the truth.
 */
public interface WorldColor {

    /** @return the drawn colour */
    Color rgb();

    /** @return whether the value appears in the in-prior world */
    boolean inPrior();

    /** @return the value's name as it appears in labels and captions (lower case) */
    String word();
}
