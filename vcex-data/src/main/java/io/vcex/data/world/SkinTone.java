package io.vcex.data.world;

import java.awt.Color;
import java.util.Locale;

/** Skin tone; all in prior. */
public enum SkinTone implements WorldColor {
    /** light */
    LIGHT(245, 215, 190),
    /** medium */
    MEDIUM(225, 180, 140),
    /** tan */
    TAN(190, 140, 100),
    /** dark */
    DARK(130, 90, 60);

    private final Color rgb;

    SkinTone(int r, int g, int b) {
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
