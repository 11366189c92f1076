package io.vcex.io.tfjs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/**
 * TensorFlow's image ops on the engine's tensors, keeping TensorFlow's conventions: activations
 * are NHWC, convolution filters come as {@code [height, width, in, out]} and depthwise filters
 * as {@code [height, width, in, multiplier]}, and padding is TensorFlow's. Each op transposes to
 * the engine's NCHW around its kernel; everything is an engine op, so gradients flow.
 *
 * <p>TensorFlow's {@code SAME} padding: the output has {@code ceil(in / stride)} positions and
 * the total padding is {@code max((out - 1) * stride + (k - 1) * dilation + 1 - in, 0)}; when it
 * is odd the extra row or column goes at the end (bottom, right), which the engine's symmetric
 * padding cannot express, so such inputs are padded explicitly first (zeros for convolutions,
 * minus infinity for max pooling, which TensorFlow's pooling ignores).
 *
 * <p>The data argument comes first in every engine call, so results land in the data's scope.
 */
public final class TfjsOps {

    private TfjsOps() {
    }

    /**
     * Padding of one 2-D op.
     *
     * @param top rows before
     * @param bottom rows after
     * @param left columns before
     * @param right columns after
     */
    public record Pads(int top, int bottom, int left, int right) {

        /** @return true when the engine's symmetric padding can express this */
        public boolean symmetric() {
            return top == bottom && left == right;
        }
    }

    /**
     * @param padding {@code SAME}, {@code VALID} or {@code EXPLICIT}
     * @param explicit for {@code EXPLICIT}: TensorFlow's 8 numbers (before and after per NHWC axis)
     * @param height input rows
     * @param width input columns
     * @param kernelH kernel rows
     * @param kernelW kernel columns
     * @param strideH row stride
     * @param strideW column stride
     * @param dilationH row dilation
     * @param dilationW column dilation
     * @return the padding TensorFlow applies
     */
    public static Pads pads(String padding, int[] explicit, long height, long width, long kernelH, long kernelW,
            int strideH, int strideW, int dilationH, int dilationW) {
        switch (padding) {
            case "VALID":
                return new Pads(0, 0, 0, 0);
            case "SAME": {
                int th = sameTotal(height, kernelH, strideH, dilationH);
                int tw = sameTotal(width, kernelW, strideW, dilationW);
                return new Pads(th / 2, th - th / 2, tw / 2, tw - tw / 2);
            }
            case "EXPLICIT":
                if (explicit == null || explicit.length != 8) {
                    throw new IllegalArgumentException("EXPLICIT padding needs 8 explicit_paddings values");
                }
                return new Pads(explicit[2], explicit[3], explicit[4], explicit[5]);
            default:
                throw new IllegalArgumentException("unknown padding '" + padding + "'");
        }
    }

    private static int sameTotal(long in, long kernel, int stride, int dilation) {
        long out = (in + stride - 1) / stride;
        long effective = (kernel - 1) * dilation + 1;
        return (int) Math.max((out - 1) * stride + effective - in, 0);
    }

    /**
     * @param hwio a TensorFlow convolution filter {@code [h, w, in, out]}
     * @return the engine's layout {@code [out, in, h, w]}, in the filter's scope
     */
    public static NDArray convFilter(NDArray hwio) {
        return hwio.transpose(3, 2, 0, 1);
    }

    /**
     * Output channel {@code i * multiplier + m} of a depthwise convolution is input channel
     * {@code i} filtered by {@code filter[:, :, i, m]}; the engine's grouped convolution (one group
     * per input channel) numbers its outputs the same way.
     *
     * @param hwim a TensorFlow depthwise filter {@code [h, w, in, multiplier]}
     * @return the engine's grouped layout {@code [in * multiplier, 1, h, w]}, in the filter's scope
     */
    public static NDArray depthwiseFilter(NDArray hwim) {
        Shape s = hwim.getShape();
        return hwim.transpose(2, 3, 0, 1).reshape(s.get(2) * s.get(3), 1, s.get(0), s.get(1));
    }

    /**
     * A 2-D convolution, plain or grouped (depthwise), with optional bias.
     *
     * @param x NHWC input
     * @param filter engine layout {@code [out, in / groups, h, w]} (see {@link #convFilter},
     *     {@link #depthwiseFilter})
     * @param bias one value per output channel, or null
     * @param groups 1, or the input channels for a depthwise convolution
     * @param strides TensorFlow's NHWC strides {@code [1, sh, sw, 1]}
     * @param dilations TensorFlow's NHWC dilations {@code [1, dh, dw, 1]}
     * @param padding {@code SAME}, {@code VALID} or {@code EXPLICIT}
     * @param explicit the explicit paddings for {@code EXPLICIT}, else ignored
     * @return NHWC output
     */
    public static NDArray conv2d(NDArray x, NDArray filter, NDArray bias, int groups, int[] strides, int[] dilations,
            String padding, int[] explicit) {
        Shape xs = x.getShape();
        Shape fs = filter.getShape();
        Pads p = pads(padding, explicit, xs.get(1), xs.get(2), fs.get(2), fs.get(3), strides[1], strides[2],
                dilations[1], dilations[2]);
        NDArray nchw = x.transpose(0, 3, 1, 2);
        Shape enginePad;
        if (p.symmetric()) {
            enginePad = new Shape(p.top(), p.left());
        } else {
            nchw = nchw.pad(new Shape(p.left(), p.right(), p.top(), p.bottom()), 0);
            enginePad = new Shape(0, 0);
        }
        NDArray y = Conv2d.conv2d(nchw, filter, bias, new Shape(strides[1], strides[2]), enginePad,
                new Shape(dilations[1], dilations[2]), groups).singletonOrThrow();
        return y.transpose(0, 2, 3, 1);
    }

    /**
     * @param x NHWC input
     * @param ksize TensorFlow's NHWC window {@code [1, kh, kw, 1]}
     * @param strides TensorFlow's NHWC strides {@code [1, sh, sw, 1]}
     * @param padding {@code SAME} or {@code VALID}
     * @return NHWC output
     */
    public static NDArray maxPool(NDArray x, int[] ksize, int[] strides, String padding) {
        Shape xs = x.getShape();
        Pads p = pads(padding, null, xs.get(1), xs.get(2), ksize[1], ksize[2], strides[1], strides[2], 1, 1);
        NDArray nchw = x.transpose(0, 3, 1, 2);
        Shape enginePad;
        if (p.symmetric()) {
            enginePad = new Shape(p.top(), p.left());
        } else {
            nchw = nchw.pad(new Shape(p.left(), p.right(), p.top(), p.bottom()), Double.NEGATIVE_INFINITY);
            enginePad = new Shape(0, 0);
        }
        NDArray y = Pool.maxPool2d(nchw, new Shape(ksize[1], ksize[2]), new Shape(strides[1], strides[2]), enginePad, false);
        return y.transpose(0, 2, 3, 1);
    }

    /**
     * The engine reduces one axis at a time; the mean over several axes is the mean of means
     * (every slice has the same size), taken from the last axis back.
     *
     * @param x any tensor
     * @param axes the axes to average over (negative counts from the end)
     * @param keepDims true to keep them with size 1
     * @return the mean
     */
    public static NDArray mean(NDArray x, int[] axes, boolean keepDims) {
        int rank = x.getShape().dimension();
        boolean[] reduce = new boolean[rank];
        for (int a : axes) {
            reduce[a < 0 ? a + rank : a] = true;
        }
        NDArray y = x;
        for (int a = rank - 1; a >= 0; a--) {
            if (reduce[a]) {
                y = y.mean(new int[] {a}, true);
            }
        }
        if (keepDims) {
            return y;
        }
        long[] shape = new long[rank];
        int n = 0;
        for (int a = 0; a < rank; a++) {
            if (!reduce[a]) {
                shape[n++] = x.getShape().get(a);
            }
        }
        return y.reshape(new Shape(java.util.Arrays.copyOf(shape, n)));
    }

    /**
     * @param x any tensor
     * @param dims the axes of size 1 to remove (negative counts from the end), or null for all
     * @return the tensor without them
     */
    public static NDArray squeeze(NDArray x, int[] dims) {
        Shape s = x.getShape();
        int rank = s.dimension();
        boolean[] drop = new boolean[rank];
        for (int a = 0; a < rank; a++) {
            drop[a] = dims == null && s.get(a) == 1;
        }
        if (dims != null) {
            for (int d : dims) {
                int a = d < 0 ? d + rank : d;
                if (s.get(a) != 1) {
                    throw new IllegalArgumentException("cannot squeeze axis " + d + " of shape " + s);
                }
                drop[a] = true;
            }
        }
        long[] shape = new long[rank];
        int n = 0;
        for (int a = 0; a < rank; a++) {
            if (!drop[a]) {
                shape[n++] = s.get(a);
            }
        }
        return x.reshape(new Shape(java.util.Arrays.copyOf(shape, n)));
    }

    /**
     * @param name a TensorFlow activation op ({@code Relu}, {@code Relu6}, {@code LeakyRelu},
     *     {@code Sigmoid}, {@code Tanh}, {@code Elu})
     * @param x any tensor
     * @param alpha the slope of {@code LeakyRelu} for negative values
     * @return the activation, or null when the name is not one of these
     */
    public static NDArray activation(String name, NDArray x, float alpha) {
        return switch (name) {
            case "Relu" -> Activation.relu(x);
            case "Relu6" -> Activation.relu6(x);
            case "LeakyRelu" -> Activation.leakyRelu(x, alpha);
            case "Sigmoid" -> Activation.sigmoid(x);
            case "Tanh" -> Activation.tanh(x);
            case "Elu" -> Activation.elu(x, 1f);
            default -> null;
        };
    }
}
