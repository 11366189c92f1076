package io.vcex.core.image;

/**
 * The value conventions of image tensors, stated once for the whole toolkit.
 *
 * <p>Inside vcex an image is always {@link #UNIT}: float channels in [0, 1], layout CHW
 * (a batch is NCHW), RGB channel order, or one grey channel. Models declare the range they
 * expect (diffusion models use {@link #SYMMETRIC}, [-1, 1]) and the conversion happens at the
 * model's boundary through {@link #fromUnit(float)} and {@link #toUnit(float)}, never ad hoc.
 */
public enum ValueRange {
    /** [0, 1]: the toolkit's own convention. */
    UNIT(0f, 1f),
    /** [-1, 1]: the convention of diffusion models (DDPM, DVCE) and of the emotion net. */
    SYMMETRIC(-1f, 1f),
    /** [0, 255]: raw bytes as floats, as many user models expect. */
    BYTE(0f, 255f);

    private final float low;
    private final float high;

    ValueRange(float low, float high) {
        this.low = low;
        this.high = high;
    }

    /** @return the smallest value of the range */
    public float low() {
        return low;
    }

    /** @return the largest value of the range */
    public float high() {
        return high;
    }

    /**
     * @param unit a value in [0, 1]
     * @return the same intensity in this range
     */
    public float fromUnit(float unit) {
        return low + unit * (high - low);
    }

    /**
     * @param value a value in this range
     * @return the same intensity in [0, 1]
     */
    public float toUnit(float value) {
        return (value - low) / (high - low);
    }
}
