package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Bilinear resampling of an image batch at given source coordinates, written with the engine's
 * gather so that it is differentiable with respect to the images (the coordinates are constants).
 * Pixel (x, y) of the source has its centre at (x, y); a neighbour outside the source contributes
 * the fill value 0 (torchvision's fill = 0), or with clamping the nearest edge pixel.
 */
final class BilinearSampler {

    private BilinearSampler() {
    }

    /**
     * @param images N x C x H x W
     * @param srcX for every output pixel (row-major, outH x outW) the source abscissa
     * @param srcY the source ordinate
     * @param outH output height
     * @param outW output width
     * @param clamp true: coordinates outside the source read the nearest edge pixel; false: 0
     * @return N x C x outH x outW, in the images' scope
     */
    static NDArray sample(NDArray images, double[] srcX, double[] srcY, int outH, int outW, boolean clamp) {
        return sample(images, new double[][] {srcX}, new double[][] {srcY}, outH, outW, clamp);
    }

    /**
     * Several resamplings of the same batch in one gather.
     *
     * @param images N x C x H x W
     * @param srcX per view, for every output pixel (row-major, outH x outW) the source abscissa
     * @param srcY per view, the source ordinate
     * @param outH output height
     * @param outW output width
     * @param clamp true: coordinates outside the source read the nearest edge pixel; false: 0
     * @return (V N) x C x outH x outW, view-major (row v N + i is view v of image i), in the images' scope
     */
    static NDArray sample(NDArray images, double[][] srcX, double[][] srcY, int outH, int outW, boolean clamp) {
        Shape s = images.getShape();
        long n = s.get(0);
        long c = s.get(1);
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        int p = outH * outW;
        int views = srcX.length;
        long[] index = new long[views * 4 * p];
        float[] weight = new float[views * 4 * p];
        for (int v = 0; v < views; v++) {
            int base = v * 4 * p;
            for (int i = 0; i < p; i++) {
                double u = srcX[v][i];
                double y = srcY[v][i];
                if (clamp) {
                    u = Math.min(Math.max(u, 0), w - 1);
                    y = Math.min(Math.max(y, 0), h - 1);
                }
                int x0 = (int) Math.floor(u);
                int y0 = (int) Math.floor(y);
                double fx = u - x0;
                double fy = y - y0;
                int[] xs = {x0, x0 + 1, x0, x0 + 1};
                int[] ys = {y0, y0, y0 + 1, y0 + 1};
                double[] ws = {(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy};
                for (int k = 0; k < 4; k++) {
                    boolean inside = xs[k] >= 0 && xs[k] < w && ys[k] >= 0 && ys[k] < h;
                    index[base + k * p + i] = inside ? (long) ys[k] * w + xs[k] : 0;
                    weight[base + k * p + i] = inside ? (float) ws[k] : 0f;
                }
            }
        }
        long q = (long) views * 4 * p;
        NDArray flat = images.reshape(n, c, (long) h * w);
        NDArray idx = flat.getManager().create(index, new Shape(1, 1, q)).broadcast(new Shape(n, c, q));
        NDArray wts = flat.getManager().create(weight, new Shape(1, 1, q));
        // out[v][.., i] = sum_k weight_vk[i] * in[.., index_vk[i]]
        NDArray out = flat.gather(idx, 2).mul(wts).reshape(n, c, views, 4, p).sum(new int[] {3}); // N x C x V x P
        return out.transpose(2, 0, 1, 3).reshape((long) views * n, c, outH, outW);
    }

    /**
     * Resizes with align-corners-false coordinates and edge clamping (PyTorch's bilinear
     * interpolation without antialiasing).
     *
     * @param images N x C x H x W
     * @param outH new height
     * @param outW new width
     * @return N x C x outH x outW, the images themselves when the size is already right
     */
    static NDArray resize(NDArray images, int outH, int outW) {
        Shape s = images.getShape();
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        if (h == outH && w == outW) {
            return images;
        }
        double[] xs = new double[outH * outW];
        double[] ys = new double[outH * outW];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                xs[y * outW + x] = (x + 0.5) * w / outW - 0.5;
                ys[y * outW + x] = (y + 0.5) * h / outH - 0.5;
            }
        }
        return sample(images, xs, ys, outH, outW, true);
    }
}
