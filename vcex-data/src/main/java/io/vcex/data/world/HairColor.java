package io.vcex.data.world;

import java.awt.Color;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Hair colour. GREY is the colour of old faces only; the last four are counterfactual. */
public enum HairColor implements WorldColor {
    /** in prior */
    BLACK(35, 30, 30, true),
    /** in prior */
    BROWN(110, 70, 40, true),
    /** in prior */
    BLONDE(235, 200, 110, true),
    /** in prior */
    RED(190, 70, 35, true),
    /** in prior, drawn exactly when the face is old */
    GREY(178, 178, 184, true),
    /** counterfactual */
    BLUE(40, 90, 220, false),
    /** counterfactual */
    GREEN(40, 170, 70, false),
    /** counterfactual */
    PINK(245, 120, 190, false),
    /** counterfactual */
    PURPLE(130, 60, 180, false);

    private final Color rgb;
    private final boolean inPrior;

    HairColor(int r, int g, int b, boolean inPrior) {
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

    /** @return the colours a young face may have, in prior (not GREY) */
    public static List<HairColor> youngInPrior() {
        return List.of(BLACK, BROWN, BLONDE, RED);
    }

    /** @return the counterfactual colours */
    public static List<HairColor> counterfactual() {
        return Arrays.stream(values()).filter(c -> !c.inPrior).toList();
    }
}
