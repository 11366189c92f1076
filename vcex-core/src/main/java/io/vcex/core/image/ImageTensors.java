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

    /**
     * Bilinear 2x up-sampling with half-pixel centres and replicated edges (the same as PyTorch's
     * {@code interpolate(scale_factor=2, mode="bilinear", align_corners=False)}), built from
     * differentiable ops: an output pixel is 3/4 of its nearest input pixel plus 1/4 of the next
     * one on that side, along each axis.
     *
     * @param x NCHW batch; the result is in its scope
     * @return N x C x 2H x 2W
     */
    public static NDArray upsample2x(NDArray x) {
        Shape s = x.getShape();
        // the engine's own interpolation (one operation and one backward node; mode 1 is bilinear,
        // half-pixel centres): the slices below compute the same numbers in about twelve operations
        return x.getNDArrayInternal().interpolation(new long[] {2 * s.get(2), 2 * s.get(3)}, 1, false);
    }

    /**
     * {@link #upsample2x} from slices, concatenations and stacks, for checking the engine's version.
     *
     * @param x NCHW batch
     * @return N x C x 2H x 2W
     */
    static NDArray upsample2xBySlices(NDArray x) {
        return upsampleAxis(upsampleAxis(x, 2), 3);
    }

    private static NDArray upsampleAxis(NDArray x, int axis) {
        long n = x.getShape().get(axis);
        NDArray before = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(slice(x, axis, "0:1"), slice(x, axis, "0:" + (n - 1))), axis);
        NDArray after = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(slice(x, axis, "1:" + n), slice(x, axis, (n - 1) + ":" + n)), axis);
        NDArray even = x.mul(0.75f).add(before.mul(0.25f));
        NDArray odd = x.mul(0.75f).add(after.mul(0.25f));
        // interleave: stack on a new axis after {@code axis}, then merge the two
        var shape = x.getShape();
        NDArray stacked = ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(even, odd), axis + 1);
        long[] out = shape.getShape().clone();
        out[axis] = 2 * n;
        return stacked.reshape(out);
    }

    private static NDArray slice(NDArray x, int axis, String range) {
        String[] parts = {":", ":", ":", ":"};
        parts[axis] = range;
        return x.get(String.join(",", parts));
    }

    /**
     * Area down-sampling by an integer factor (each output pixel the mean of a factor x factor block).
     *
     * @param x NCHW batch with H and W multiples of the factor
     * @param factor the factor (1 returns x)
     * @return N x C x H/factor x W/factor
     */
    public static NDArray downsample(NDArray x, int factor) {
        if (factor == 1) {
            return x;
        }
        ai.djl.ndarray.types.Shape k = new ai.djl.ndarray.types.Shape(factor, factor);
        return ai.djl.nn.pooling.Pool.avgPool2d(x, k, k, new ai.djl.ndarray.types.Shape(0, 0), false, true);
    }

    /**
     * One Java row per sample: the values of each sample of a batch, flattened (features, codes,
     * gradients), for arithmetic outside the engine.
     *
     * @param batch N x ... tensor
     * @return N rows of size / N values each
     */
    public static float[][] rows(NDArray batch) {
        int n = Math.toIntExact(batch.getShape().get(0));
        int d = Math.toIntExact(batch.size() / n);
        float[] flat = batch.toFloatArray();
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }
}
