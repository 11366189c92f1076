package io.vcex.methods.gcd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.generator.LatentGenerator;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import java.util.ArrayList;
import java.util.List;

/**
 * BB-LIG, black-box latent integrated gradients (GCD eq. 6, appendix C algorithm 4), with the two
 * comparisons of the paper's Fig. 5 and Table 9: BB-IG (the same finite differences on the straight
 * path from a black image) and AD (the absolute difference between the image and the baseline).
 *
 * <p>The path: codes z - s_k v for {@code pathPoints} steps s_k spaced uniformly on [0, s_max],
 * decoded with the image's fixed parts; x^0 is the image's reconstruction. The baseline x' is the
 * first path point x^b whose probability of the image's class falls below
 * {@link GcdConfig#baselineProbability()} (0.01); when there is none, every attribution is 0. Then,
 * per pixel value i,
 *
 * <pre>
 *   BB-LIG_i = (x_i - x'_i) * (1 / b) * sum_{k=1..b} [f(x^{k-1}) - f(x^k)] / [x^{k-1}_i - x^k_i]
 * </pre>
 *
 * with the quotient 0 where the pixel does not change, f the probability of the image's class: the
 * IG sum (appendix G.6, eq. 10) along the latent path with derivatives by finite differences. The
 * maps are summed over channels.
 */
public final class BbLig {

    private BbLig() {
    }

    /**
     * The three maps for one image and direction, each H x W (channels summed), row-major.
     *
     * @param bbLig BB-LIG
     * @param bbIg BB-IG with a black baseline
     * @param absoluteDifference AD, |x - x'| summed over channels (x' the BB-LIG baseline, or the
     *     path's last point when there is no baseline)
     * @param height map height
     * @param width map width
     * @param baselineIndex b, or -1 when no path point falls below the threshold
     * @param baselineStep s_b (NaN when none)
     * @param reconstruction x^0
     * @param baseline x' (the path's last point when there is no baseline)
     * @param pathProbability f(x^k) along the path
     */
    public record Attribution(float[] bbLig, float[] bbIg, float[] absoluteDifference, int height, int width,
            int baselineIndex, double baselineStep, ImageData reconstruction, ImageData baseline,
            double[] pathProbability) {

        /** @return whether a baseline was found */
        public boolean found() {
            return baselineIndex >= 0;
        }
    }

    /**
     * The integral of eq. 6 over a given path.
     *
     * @param path x^0 (the image) to x^b (the baseline), all of one shape
     * @param f the function's value at each path point
     * @param tolerance a pixel change of at most this counts as none
     * @return the attribution summed over channels, H x W row-major
     */
    public static float[] integrate(List<ImageData> path, double[] f, double tolerance) {
        ImageData x0 = path.get(0);
        int c = x0.channels();
        int hw = x0.height() * x0.width();
        float[] out = new float[hw];
        int b = path.size() - 1;
        if (b < 1) {
            return out;
        }
        double[] sum = new double[c * hw];
        for (int k = 1; k <= b; k++) {
            float[] prev = path.get(k - 1).pixels();
            float[] cur = path.get(k).pixels();
            double df = f[k - 1] - f[k];
            for (int i = 0; i < sum.length; i++) {
                double dx = (double) prev[i] - cur[i];
                if (Math.abs(dx) > tolerance && dx != 0) {
                    sum[i] += df / dx;
                }
            }
        }
        float[] first = x0.pixels();
        float[] last = path.get(b).pixels();
        for (int i = 0; i < sum.length; i++) {
            out[i % hw] += (float) (((double) first[i] - last[i]) * sum[i] / b);
        }
        return out;
    }

    /**
     * @param a an image
     * @param b another of the same shape
     * @return |a - b| summed over channels, H x W
     */
    public static float[] absoluteDifference(ImageData a, ImageData b) {
        int hw = a.height() * a.width();
        float[] out = new float[hw];
        float[] pa = a.pixels();
        float[] pb = b.pixels();
        for (int i = 0; i < pa.length; i++) {
            out[i % hw] += Math.abs(pa[i] - pb[i]);
        }
        return out;
    }

    /**
     * BB-LIG, BB-IG and AD for one image.
     *
     * @param scope parent scope for temporaries
     * @param generator the image's anchored generator
     * @param code the image's code z
     * @param direction v
     * @param maxStep s_max, signed: the path runs z - s v for s from 0 to s_max (use the sign that
     *     flipped the image in the line search)
     * @param loss the image's counterfactual loss (its classifier and class)
     * @param config path points, threshold, tolerance, decode batch
     * @return the maps
     */
    public static Attribution attribute(NDManager scope, LatentGenerator generator, float[] code, float[] direction,
            double maxStep, CounterfactualLoss loss, GcdConfig config) {
        int m = config.pathPoints();
        double[] steps = LineSearch.grid(m, 0, maxStep);
        int d = code.length;
        List<ImageData> path = new ArrayList<>(m);
        double[] p = new double[m];
        for (int from = 0; from < m; from += config.decodeBatch()) {
            int k = Math.min(config.decodeBatch(), m - from);
            float[] flat = new float[k * d];
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < d; i++) {
                    flat[j * d + i] = code[i] - (float) steps[from + j] * direction[i];
                }
            }
            try (NDManager s = scope.newSubManager()) {
                NDArray images = generator.decode(s.create(flat, new Shape(k, d)));
                double[] pk = loss.probabilities(images);
                System.arraycopy(pk, 0, p, from, k);
                path.addAll(ImageTensors.fromBatch(images, ValueRange.UNIT));
            }
        }
        int b = -1;
        for (int k = 1; k < m; k++) {
            if (p[k] < config.baselineProbability()) {
                b = k;
                break;
            }
        }
        ImageData x0 = path.get(0);
        int hw = x0.height() * x0.width();
        float[] lig = b > 0 ? integrate(path.subList(0, b + 1), p, config.pixelTolerance()) : new float[hw];
        ImageData baseline = path.get(b > 0 ? b : m - 1);
        float[] ad = absoluteDifference(x0, baseline);
        float[] ig = blackBaselineIg(scope, loss, m, config.pixelTolerance());
        return new Attribution(lig, ig, ad, x0.height(), x0.width(), b, b > 0 ? steps[b] : Double.NaN, x0, baseline, p);
    }

    /**
     * BB-IG: eq. 6 on the straight path x^k = (1 - k / (m - 1)) x from the image to a black image.
     *
     * @param scope parent scope
     * @param loss the image's loss (its image, classifier and class)
     * @param m path points
     * @param tolerance pixel-change tolerance
     * @return the map, H x W
     */
    public static float[] blackBaselineIg(NDManager scope, CounterfactualLoss loss, int m, double tolerance) {
        ImageData x = loss.image();
        List<ImageData> path = new ArrayList<>(m);
        for (int k = 0; k < m; k++) {
            float a = 1f - (float) k / (m - 1);
            float[] px = x.pixels().clone();
            for (int i = 0; i < px.length; i++) {
                px[i] *= a;
            }
            path.add(new ImageData(x.channels(), x.height(), x.width(), px));
        }
        double[] f = new double[m];
        int batch = 64;
        for (int from = 0; from < m; from += batch) {
            int k = Math.min(batch, m - from);
            try (NDManager s = scope.newSubManager()) {
                double[] pk = loss.probabilities(ImageTensors.toBatch(s, path.subList(from, from + k), ValueRange.UNIT));
                System.arraycopy(pk, 0, f, from, k);
            }
        }
        return integrate(path, f, tolerance);
    }
}
