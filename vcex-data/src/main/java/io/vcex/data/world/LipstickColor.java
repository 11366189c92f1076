package io.vcex.data.world;

import java.awt.Color;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Lipstick colour; RED and PINK are in prior, the others counterfactual. */
public enum LipstickColor implements WorldColor {
    /** in prior */
    RED(200, 20, 40, true),
    /** in prior */
    PINK(235, 100, 150, true),
    /** counterfactual */
    BLUE(30, 60, 200, false),
    /** counterfactual */
    GREEN(30, 150, 60, false),
    /** counterfactual */
    BLACK(20, 20, 20, false),
    /** counterfactual */
    PURPLE(120, 30, 150, false);

    private final Color rgb;
    private final boolean inPrior;

    LipstickColor(int r, int g, int b, boolean inPrior) {
        this.rgb = new Color(r, g, b);
        this.inPrior = inPrior;
    }

    @Override
    public Color rgb() {
        return rgb;
    }

    @Override
    public boolean inPrior() {
        return inPrior;
    }

    @Override
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the in-prior colours */
    public static List<LipstickColor> prior() {
        return Arrays.stream(values()).filter(c -> c.inPrior).toList();
    }

    /** @return the counterfactual colours */
    public static List<LipstickColor> counterfactual() {
        return Arrays.stream(values()).filter(c -> !c.inPrior).toList();
    }
}
