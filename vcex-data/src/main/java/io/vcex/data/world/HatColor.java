package io.vcex.data.world;

import java.awt.Color;
import java.util.Locale;

/** Hat colour (drawn when the face wears a hat); all in prior, none close to a hair colour. */
public enum HatColor implements WorldColor {
    /** red */
    RED(200, 45, 45),
    /** blue */
    BLUE(45, 70, 175),
    /** green */
    GREEN(45, 130, 65),
    /** orange */
    ORANGE(235, 140, 30);

    private final Color rgb;

    HatColor(int r, int g, int b) {
        this.rgb = new Color(r, g, b);
    }

    @Override
    public Color rgb() {
        return rgb;
    }

    @Override
    public boolean inPrior() {
        return true;
    }

    @Override
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
