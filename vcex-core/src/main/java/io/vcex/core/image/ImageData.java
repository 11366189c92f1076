package io.vcex.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.util.Arrays;

/**
 * One image in the toolkit's convention: {@code channels} x {@code height} x {@code width}
 * floats in [0, 1] (see {@link ValueRange#UNIT}), channel-major (CHW), RGB or grey.
 *
 * <p>Immutable by contract: the pixel array is not copied on construction for speed, so callers
 * must not change it afterwards; every method returns a new image.
 *
 * @param channels 1 (grey) or 3 (RGB)
 * @param height rows
 * @param width columns
 * @param pixels CHW values, length channels*height*width
 */
public record ImageData(int channels, int height, int width, float[] pixels) {

    /** Luma weights of ITU-R BT.601, used for every RGB to grey conversion. */
    public static final float[] LUMA = {0.299f, 0.587f, 0.114f};

    /** Validates the shape; the message names the wrong value. */
    public ImageData {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("image channels must be 1 or 3, got " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        if (pixels == null || pixels.length != channels * height * width) {
            throw new IllegalArgumentException("pixel array of length "
                    + (pixels == null ? "null" : pixels.length) + " does not match " + channels
                    + "x" + height + "x" + width);
        }
    }

    /**
     * @param channels 1 or 3
     * @param height rows
     * @param width columns
     * @return an all-zero (black) image
     */
    public static ImageData zeros(int channels, int height, int width) {
        return new ImageData(channels, height, width, new float[channels * height * width]);
    }

    /** @return a short description such as {@code 3x64x64} */
    public String shapeString() {
        return channels + "x" + height + "x" + width;
    }

    /**
     * @param c channel
     * @param y row
     * @param x column
     * @return the value at that place, in [0, 1]
     */
    public float get(int c, int y, int x) {
        return pixels[(c * height + y) * width + x];
    }

    /**
     * Reads a Java2D image. Grey 8-bit and 16-bit rasters are read from their samples directly
     * (not through {@code getRGB}, which applies a colour-space conversion to grey images).
     *
     * @param image the picture
     * @param channels 3 for RGB, 1 for grey (BT.601 luma when the source is colour)
     * @return the image in [0, 1]
     */
    public static ImageData fromBufferedImage(BufferedImage image, int channels) {
        int h = image.getHeight();
        int w = image.getWidth();
        Raster raster = image.getRaster();
        boolean grey = raster.getNumBands() == 1 && image.getColorModel().getNumColorComponents() == 1;
        float[] px = new float[channels * h * w];
        if (grey) {
            float max = (1 << image.getColorModel().getComponentSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = raster.getSample(x, y, 0) / max;
                    for (int c = 0; c < channels; c++) {
                        px[(c * h + y) * w + x] = v;
                    }
                }
            }
            return new ImageData(channels, h, w, px);
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            float r = ((argb[i] >> 16) & 0xff) / 255f;
            float g = ((argb[i] >> 8) & 0xff) / 255f;
            float b = (argb[i] & 0xff) / 255f;
            if (channels == 3) {
                px[i] = r;
                px[h * w + i] = g;
                px[2 * h * w + i] = b;
            } else {
                px[i] = LUMA[0] * r + LUMA[1] * g + LUMA[2] * b;
            }
        }
        return new ImageData(channels, h, w, px);
    }

    /**
     * @return an 8-bit Java2D image (TYPE_INT_RGB, or TYPE_BYTE_GRAY for one channel); values
     *     are clamped to [0, 1] and rounded to the nearest byte
     */
    public BufferedImage toBufferedImage() {
        if (channels == 1) {
            BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            var raster = out.getRaster();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    raster.setSample(x, y, 0, toByte(pixels[y * width + x]));
                }
            }
            return out;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = (toByte(pixels[i]) << 16) | (toByte(pixels[plane + i]) << 8) | toByte(pixels[2 * plane + i]);
        }
        out.setRGB(0, 0, width, height, rgb, 0, width);
        return out;
    }

    private static int toByte(float v) {
        float c = v < 0f ? 0f : Math.min(v, 1f);
        return Math.round(c * 255f);
    }

    /** @return this image with 3 channels (grey is repeated; RGB is returned as is) */
    public ImageData toRgb() {
        if (channels == 3) {
            return this;
        }
        int plane = height * width;
        float[] px = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(pixels, 0, px, c * plane, plane);
        }
        return new ImageData(3, height, width, px);
    }

    /** @return this image with one channel (BT.601 luma of RGB; grey is returned as is) */
    public ImageData toGrey() {
        if (channels == 1) {
            return this;
        }
        int plane = height * width;
        float[] px = new float[plane];
        for (int i = 0; i < plane; i++) {
            px[i] = LUMA[0] * pixels[i] + LUMA[1] * pixels[plane + i] + LUMA[2] * pixels[2 * plane + i];
        }
        return new ImageData(1, height, width, px);
    }

    /**
     * @param targetChannels 1 or 3
     * @return this image converted to that many channels
     */
    public ImageData withChannels(int targetChannels) {
        return targetChannels == 1 ? toGrey() : targetChannels == 3 ? toRgb()
                : withChannelsError(targetChannels);
    }

    private static ImageData withChannelsError(int c) {
        throw new IllegalArgumentException("image channels must be 1 or 3, got " + c);
    }

    /**
     * Bilinear resize with half-pixel centres (PyTorch's {@code align_corners=false}). When
     * shrinking by an integer factor, the image is first box-averaged so no detail aliases.
     *
     * @param newHeight rows of the result
     * @param newWidth columns of the result
     * @return the resized image
     */
    public ImageData resize(int newHeight, int newWidth) {
        if (newHeight == height && newWidth == width) {
            return this;
        }
        if (height % newHeight == 0 && width % newWidth == 0) {
            return boxDownsample(height / newHeight, width / newWidth);
        }
        float[] px = new float[channels * newHeight * newWidth];
        float sy = (float) height / newHeight;
        float sx = (float) width / newWidth;
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < newHeight; y++) {
                float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
                int y0 = Math.min((int) fy, height - 1);
                int y1 = Math.min(y0 + 1, height - 1);
                float wy = fy - y0;
                for (int x = 0; x < newWidth; x++) {
                    float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                    int x0 = Math.min((int) fx, width - 1);
                    int x1 = Math.min(x0 + 1, width - 1);
                    float wx = fx - x0;
                    float top = get(c, y0, x0) * (1 - wx) + get(c, y0, x1) * wx;
                    float bottom = get(c, y1, x0) * (1 - wx) + get(c, y1, x1) * wx;
                    px[(c * newHeight + y) * newWidth + x] = top * (1 - wy) + bottom * wy;
                }
            }
        }
        return new ImageData(channels, newHeight, newWidth, px);
    }

    private ImageData boxDownsample(int fy, int fx) {
        int nh = height / fy;
        int nw = width / fx;
        float[] px = new float[channels * nh * nw];
        float norm = 1f / (fy * fx);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < nh; y++) {
                for (int x = 0; x < nw; x++) {
                    float s = 0f;
                    for (int dy = 0; dy < fy; dy++) {
                        for (int dx = 0; dx < fx; dx++) {
                            s += get(c, y * fy + dy, x * fx + dx);
                        }
                    }
                    px[(c * nh + y) * nw + x] = s * norm;
                }
            }
        }
        return new ImageData(channels, nh, nw, px);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageData other && channels == other.channels && height == other.height
                && width == other.width && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * channels + height) + width) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "ImageData[" + shapeString() + "]";
    }
}
