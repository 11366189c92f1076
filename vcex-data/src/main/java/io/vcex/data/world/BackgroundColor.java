package io.vcex.data.world;

import java.awt.Color;
import java.util.Locale;

/** Background colour; all in prior. */
public enum BackgroundColor implements WorldColor {
    /** grey */
    GREY(200, 200, 205),
    /** light blue */
    BLUE(170, 200, 235),
    /** light green */
    GREEN(180, 225, 180),
    /** beige */
    BEIGE(235, 220, 190);

    private final Color rgb;

    BackgroundColor(int r, int g, int b) {
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
