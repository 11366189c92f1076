package io.vcex.metrics.perceptual;

import io.vcex.core.VcexException;
import io.vcex.core.image.ImageData;
import io.vcex.metrics.Evaluation;
import io.vcex.metrics.Metric;
import io.vcex.metrics.MetricResult;

/**
 * Structural similarity (Wang, Bovik, Sheikh and Simoncelli 2004), as scikit-image computes it
 * with {@code gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1}: local
 * means, variances and covariance under a Gaussian window (sigma 1.5, truncated at 3.5 sigma: 11
 * taps) with mirror ("reflect") borders; S = ((2 mu_x mu_y + C1)(2 s_xy + C2)) / ((mu_x^2 + mu_y^2 +
 * C1)(s_x^2 + s_y^2 + C2)), C1 = (0.01 L)^2, C2 = (0.03 L)^2, L = 1; averaged over the image less a
 * 5-pixel border, per channel, then over channels. In [-1, 1]; 1 means identical.
 */
public final class Ssim implements Metric {
    private static final double SIGMA = 1.5;
    private static final int RADIUS = (int) (3.5 * SIGMA + 0.5);
    private static final double C1 = 0.01 * 0.01;
    private static final double C2 = 0.03 * 0.03;
    private static final double[] KERNEL = kernel();

    private static double[] kernel() {
        double[] k = new double[2 * RADIUS + 1];
        double s = 0;
        for (int i = -RADIUS; i <= RADIUS; i++) {
            k[i + RADIUS] = Math.exp(-0.5 * i * i / (SIGMA * SIGMA));
            s += k[i + RADIUS];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= s;
        }
        return k;
    }

    @Override
    public String name() {
        return "ssim";
    }

    @Override
    public String description() {
        return "structural similarity of original and counterfactual (Gaussian window 11, sigma 1.5); 1 is identical";
    }

    /**
     * @param a an image in [0, 1]
     * @param b an image of the same shape
     * @return SSIM, the mean over channels
     */
    public static double between(ImageData a, ImageData b) {
        if (a.channels() != b.channels() || a.height() != b.height() || a.width() != b.width()) {
            throw new VcexException("SSIM needs images of one shape, got " + a.shapeString() + " and " + b.shapeString());
        }
        if (a.height() <= 2 * RADIUS || a.width() <= 2 * RADIUS) {
            throw new VcexException("SSIM's 11-pixel window needs images larger than " + (2 * RADIUS)
                    + " pixels per side, got " + a.height() + "x" + a.width());
        }
        int h = a.height();
        int w = a.width();
        double total = 0;
        for (int c = 0; c < a.channels(); c++) {
            double[] x = channel(a, c);
            double[] y = channel(b, c);
            double[] xx = new double[x.length];
            double[] yy = new double[x.length];
            double[] xy = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                xx[i] = x[i] * x[i];
                yy[i] = y[i] * y[i];
                xy[i] = x[i] * y[i];
            }
            double[] ux = blur(x, h, w);
            double[] uy = blur(y, h, w);
            double[] uxx = blur(xx, h, w);
            double[] uyy = blur(yy, h, w);
            double[] uxy = blur(xy, h, w);
            double sum = 0;
            int n = 0;
            for (int r = RADIUS; r < h - RADIUS; r++) {
                for (int q = RADIUS; q < w - RADIUS; q++) {
                    int i = r * w + q;
                    double vx = uxx[i] - ux[i] * ux[i];
                    double vy = uyy[i] - uy[i] * uy[i];
                    double vxy = uxy[i] - ux[i] * uy[i];
                    sum += ((2 * ux[i] * uy[i] + C1) * (2 * vxy + C2))
                            / ((ux[i] * ux[i] + uy[i] * uy[i] + C1) * (vx + vy + C2));
                    n++;
                }
            }
            total += sum / n;
        }
        return total / a.channels();
    }

    private static double[] channel(ImageData img, int c) {
        int plane = img.height() * img.width();
        double[] out = new double[plane];
        for (int i = 0; i < plane; i++) {
            out[i] = img.pixels()[c * plane + i];
        }
        return out;
    }

    /** Separable Gaussian filter with SciPy's "reflect" border (d c b a | a b c d | d c b a). */
    private static double[] blur(double[] v, int h, int w) {
        double[] tmp = new double[v.length];
        double[] out = new double[v.length];
        for (int r = 0; r < h; r++) {
            for (int q = 0; q < w; q++) {
                double s = 0;
                for (int k = -RADIUS; k <= RADIUS; k++) {
                    s += KERNEL[k + RADIUS] * v[r * w + reflect(q + k, w)];
                }
                tmp[r * w + q] = s;
            }
        }
        for (int r = 0; r < h; r++) {
            for (int q = 0; q < w; q++) {
                double s = 0;
                for (int k = -RADIUS; k <= RADIUS; k++) {
                    s += KERNEL[k + RADIUS] * tmp[reflect(r + k, h) * w + q];
                }
                out[r * w + q] = s;
            }
        }
        return out;
    }

    private static int reflect(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    @Override
    public MetricResult compute(Evaluation e) {
        double[] v = new double[e.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = between(e.originals().get(i), e.counterfactuals().get(i));
        }
        return MetricResult.mean(name(), v);
    }
}
