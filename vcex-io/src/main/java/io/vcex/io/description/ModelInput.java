package io.vcex.io.description;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.image.ValueRange;
import io.vcex.io.description.ModelDescription.Adapter;
import java.util.List;

/**
 * Carries out a description's adapter and normalisation: vcex images (NCHW in [0, 1], of the
 * adapter's accepted shape) become the model's input tensor (NCHW, the model's channels, size,
 * range and normalisation). In order: resize, colour conversion, range, mean and std. All of it
 * is linear engine ops, so gradients reach the vcex image; every tensor made lives in the
 * images' scope.
 *
 * <p>Resizing is a product with two interpolation matrices (rows, then columns), which is exact
 * bilinear interpolation and keeps the gradient simple. The source coordinate of target pixel
 * {@code t} is {@code t * in / out} for {@code bilinear-legacy} (TF.js {@code resizeBilinear}
 * with {@code alignCorners} and {@code halfPixelCenters} false) and {@code (t + 0.5) * in / out
 * - 0.5} for {@code bilinear}; the neighbours are {@code max(0, floor(s))} and {@code min(in - 1,
 * ceil(s))}, weighted by {@code s - max(0, floor(s))}, as TF.js's CPU kernel computes it.
 */
public final class ModelInput {
    private final ModelDescription description;
    private final float[] rowMatrix;
    private final float[] columnMatrix;

    /** @param description a validated description */
    public ModelInput(ModelDescription description) {
        this.description = description;
        Adapter a = description.adapter();
        if (a.resizes(description.input())) {
            boolean halfPixel = a.resize().equals("bilinear");
            rowMatrix = transposed(bilinear(a.accepts().height(), description.input().height(), halfPixel));
            columnMatrix = transposed(bilinear(a.accepts().width(), description.input().width(), halfPixel));
        } else {
            rowMatrix = null;
            columnMatrix = null;
        }
    }

    /**
     * @param in source size
     * @param out target size
     * @param halfPixel true for half-pixel centres, false for TF.js's legacy coordinates
     * @return the interpolation matrix, {@code out} rows of {@code in} weights
     */
    public static float[][] bilinear(int in, int out, boolean halfPixel) {
        float[][] m = new float[out][in];
        double scale = (double) in / out;
        for (int t = 0; t < out; t++) {
            double s = halfPixel ? (t + 0.5) * scale - 0.5 : t * scale;
            int lo = (int) Math.max(0, Math.floor(s));
            int hi = (int) Math.min(in - 1, Math.ceil(s));
            double frac = s - lo;
            m[t][lo] += (float) (1 - frac);
            m[t][hi] += (float) frac;
        }
        return m;
    }

    private static float[] transposed(float[][] m) {
        int out = m.length;
        int in = m[0].length;
        float[] t = new float[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i * out + o] = m[o][i];
            }
        }
        return t;
    }

    /**
     * @param images NCHW batch in [0, 1] of the adapter's accepted shape
     * @return the model's input, NCHW
     */
    public NDArray apply(NDArray images) {
        ModelDescription d = description;
        ModelDescription.Shape accepts = d.adapter().accepts();
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != accepts.channels() || s.get(2) != accepts.height()
                || s.get(3) != accepts.width()) {
            throw new VcexException("Model '" + d.name() + "' takes images of " + accepts.channels() + "x"
                    + accepts.height() + "x" + accepts.width() + " (N x channels x height x width) but was given " + s);
        }
        NDManager m = images.getManager();
        NDArray x = images;
        if (rowMatrix != null) {
            int inH = accepts.height();
            int inW = accepts.width();
            int outH = d.input().height();
            int outW = d.input().width();
            x = x.matMul(m.create(columnMatrix, new Shape(inW, outW)));
            x = x.transpose(0, 1, 3, 2).matMul(m.create(rowMatrix, new Shape(inH, outH))).transpose(0, 1, 3, 2);
        }
        switch (d.adapter().colour()) {
            case "rgb-to-grey" -> {
                List<Double> w = d.adapter().greyWeights();
                float[] weights = {w.get(0).floatValue(), w.get(1).floatValue(), w.get(2).floatValue()};
                x = x.mul(m.create(weights, new Shape(1, 3, 1, 1))).sum(new int[] {1}, true);
            }
            case "grey-to-rgb" -> x = x.repeat(1, 3);
            default -> {
            }
        }
        ValueRange range = d.valueRange();
        if (range != ValueRange.UNIT) {
            x = x.mul(range.high() - range.low()).add(range.low());
        }
        int c = d.input().channels();
        if (d.mean() != null) {
            x = x.sub(m.create(floats(d.mean()), new Shape(1, c, 1, 1)));
        }
        if (d.std() != null) {
            x = x.div(m.create(floats(d.std()), new Shape(1, c, 1, 1)));
        }
        return x;
    }

    /**
     * The inverse of {@link #apply} for a generator's output: undoes {@code std}, {@code mean}
     * and {@code range}, so values in the model's scale become vcex values (in [0, 1] when the
     * model keeps to its range). Only for descriptions without resize or colour conversion, as
     * generators' are.
     *
     * @param values NCHW, in the model's range and normalisation
     * @return NCHW in vcex's scale, in the values' scope
     */
    public NDArray invert(NDArray values) {
        ModelDescription d = description;
        if (!d.adapter().colour().equals("none") || rowMatrix != null) {
            throw new VcexException("Model '" + d.name() + "': values can be mapped back to vcex images only without "
                    + "an adapter");
        }
        NDManager m = values.getManager();
        int c = d.input().channels();
        NDArray x = values;
        if (d.std() != null) {
            x = x.mul(m.create(floats(d.std()), new Shape(1, c, 1, 1)));
        }
        if (d.mean() != null) {
            x = x.add(m.create(floats(d.mean()), new Shape(1, c, 1, 1)));
        }
        ValueRange range = d.valueRange();
        if (range != ValueRange.UNIT) {
            x = x.sub(range.low()).div(range.high() - range.low());
        }
        return x;
    }

    private static float[] floats(List<Double> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i).floatValue();
        }
        return out;
    }
}
