package io.vcex.core.image;

import io.vcex.core.VcexException;
import io.vcex.core.config.Check;

/**
 * The image shape a model takes or makes.
 *
 * @param channels 1 or 3
 * @param height rows
 * @param width columns
 */
public record ImageSpec(int channels, int height, int width) {

    /** Validates the shape. */
    public ImageSpec {
        Check.range("channels", channels, 1, 3);
        if (channels == 2) {
            throw new io.vcex.core.config.ConfigException("channels", 2, "must be 1 (grey) or 3 (RGB)");
        }
        Check.positive("height", height);
        Check.positive("width", width);
    }

    /**
     * @param image an image
     * @param what a description for the message, for example the file name
     * @return the image, when it has this shape
     */
    public ImageData require(ImageData image, String what) {
        if (image.channels() != channels || image.height() != height || image.width() != width) {
            throw new VcexException(what + " is " + image.shapeString() + " (channels x height x width) but "
                    + this + " is expected");
        }
        return image;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
