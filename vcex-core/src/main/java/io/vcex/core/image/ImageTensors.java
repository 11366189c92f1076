package io.vcex.core.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import java.util.ArrayList;
import java.util.List;

/**
 * Images to engine tensors and back. A batch is NCHW float32; the value range is converted at
 * this boundary only (see {@link ValueRange}).
 */
public final class ImageTensors {

    private ImageTensors() {
    }

    /**
     * @param manager the scope that will own the tensor
     * @param images images of one shape
     * @param range the value range the consumer expects
     * @return an NCHW float32 tensor
     */
    public static NDArray toBatch(NDManager manager, List<ImageData> images, ValueRange range) {
        if (images.isEmpty()) {
            throw new VcexException("Cannot make a batch of zero images");
        }
        ImageData first = images.get(0);
        int per = first.pixels().length;
        float[] all = new float[per * images.size()];
        for (int i = 0; i < images.size(); i++) {
            ImageData img = images.get(i);
            if (img.channels() != first.channels() || img.height() != first.height() || img.width() != first.width()) {
                throw new VcexException("Image " + i + " of the batch is " + img.shapeString()
                        + " but image 0 is " + first.shapeString() + "; a batch needs one shape");
            }
            float[] px = img.pixels();
            for (int j = 0; j < per; j++) {
                all[i * per + j] = range.fromUnit(px[j]);
            }
        }
        return manager.create(all, new Shape(images.size(), first.channels(), first.height(), first.width()));
    }

    /**
     * @param manager the scope that will own the tensor
     * @param image one image
     * @param range the value range the consumer expects
     * @return a 1xCxHxW tensor
     */
    public static NDArray toBatch(NDManager manager, ImageData image, ValueRange range) {
        return toBatch(manager, List.of(image), range);
    }

    /**
     * Copies a batch out of the engine. Values are converted to [0, 1] and clamped.
     *
     * @param batch an NCHW tensor with 1 or 3 channels
     * @param range the value range the tensor is in
     * @return one image per batch element
     */
    public static List<ImageData> fromBatch(NDArray batch, ValueRange range) {
        Shape s = batch.getShape();
        if (s.dimension() != 4 || (s.get(1) != 1 && s.get(1) != 3)) {
            throw new VcexException("Expected an image batch of shape (N, 1 or 3, H, W) but got " + s);
        }
        int n = (int) s.get(0);
        int c = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        float[] all = batch.toType(DataType.FLOAT32, false).toFloatArray();
        int per = c * h * w;
        List<ImageData> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] px = new float[per];
            for (int j = 0; j < per; j++) {
                float v = range.toUnit(all[i * per + j]);
                px[j] = v < 0f ? 0f : Math.min(v, 1f);
            }
            out.add(new ImageData(c, h, w, px));
        }
        return out;
    }
}
