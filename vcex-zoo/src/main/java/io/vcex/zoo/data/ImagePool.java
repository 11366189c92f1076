package io.vcex.zoo.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.image.ImageData;
import io.vcex.data.dataset.Dataset;
import java.nio.ByteBuffer;

/**
 * Training images in memory as bytes at one resolution, for the generative recipes: faces of the
 * world reduced by area averaging (the reduction explanations apply to a 64x64 image before a 32x32
 * diffusion model sees it), or the images of a data set such as MNIST.
 */
public final class ImagePool {
    private final int channels;
    private final int side;
    private final int count;
    private final byte[] pixels;

    private ImagePool(int channels, int side, int count, byte[] pixels) {
        this.channels = channels;
        this.side = side;
        this.count = count;
        this.pixels = pixels;
    }

    /**
     * @param faces rendered faces
     * @param side target side; the faces' side must be a multiple of it
     * @return the faces, area-averaged to side x side
     */
    public static ImagePool of(FaceTensors faces, int side) {
        int per = 3 * side * side;
        byte[] px = new byte[per * faces.size()];
        for (int i = 0; i < faces.size(); i++) {
            ImageData img = reduce(faces.image(i), side);
            float[] f = img.pixels();
            for (int k = 0; k < per; k++) {
                px[i * per + k] = (byte) Math.round(f[k] * 255f);
            }
        }
        return new ImagePool(3, side, faces.size(), px);
    }

    /**
     * @param data a data set of equally sized images
     * @param first first index
     * @param count how many
     * @return those images, at their size
     */
    public static ImagePool of(Dataset data, int first, int count) {
        int c = data.imageSpec().channels();
        int side = data.imageSpec().height();
        int per = c * side * side;
        byte[] px = new byte[per * count];
        for (int i = 0; i < count; i++) {
            float[] f = data.get(first + i).image().pixels();
            for (int k = 0; k < per; k++) {
                px[i * per + k] = (byte) Math.round(f[k] * 255f);
            }
        }
        return new ImagePool(c, side, count, px);
    }

    /**
     * Area averaging by an integer factor (each output pixel the mean of a factor x factor block).
     *
     * @param image the image (its side a multiple of {@code side})
     * @param side the output side
     * @return the reduced image
     */
    public static ImageData reduce(ImageData image, int side) {
        int f = image.height() / side;
        if (f * side != image.height() || image.width() != image.height()) {
            throw new IllegalArgumentException("cannot reduce a " + image.width() + "x" + image.height()
                    + " image to " + side + "x" + side + " by an integer factor");
        }
        if (f == 1) {
            return image;
        }
        int c = image.channels();
        float[] in = image.pixels();
        float[] out = new float[c * side * side];
        int h = image.height();
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    float sum = 0;
                    for (int dy = 0; dy < f; dy++) {
                        for (int dx = 0; dx < f; dx++) {
                            sum += in[(ch * h + y * f + dy) * h + x * f + dx];
                        }
                    }
                    out[(ch * side + y) * side + x] = sum / (f * f);
                }
            }
        }
        return new ImageData(c, side, side, out);
    }

    /** @return number of images */
    public int size() {
        return count;
    }

    /** @return channels */
    public int channels() {
        return channels;
    }

    /** @return side length */
    public int side() {
        return side;
    }

    /**
     * @param manager scope of the result
     * @param indices positions
     * @return NCHW float batch in [0, 1]
     */
    public NDArray batch(NDManager manager, int[] indices) {
        int per = channels * side * side;
        ByteBuffer buf = ByteBuffer.allocateDirect(indices.length * per);
        for (int i : indices) {
            buf.put(pixels, i * per, per);
        }
        buf.flip();
        return manager.create(buf, new Shape(indices.length, channels, side, side), DataType.UINT8)
                .toType(DataType.FLOAT32, false).divi(255f);
    }
}
