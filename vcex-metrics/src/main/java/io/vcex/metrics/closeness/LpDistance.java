package io.vcex.metrics.closeness;

import io.vcex.core.image.ImageData;
import io.vcex.metrics.Evaluation;
import io.vcex.metrics.Metric;
import io.vcex.metrics.MetricResult;
import java.util.Locale;

/**
 * Closeness as an l_p norm of the change, (sum_i |x'_i - x_i|^p)^(1/p) over every channel value
 * in [0, 1] (DVCE's Table 1 uses p = 1, 1.5, 2). Smaller is closer.
 *
 * @param p the exponent, at least 1
 */
public record LpDistance(double p) implements Metric {

    /** Validates p. */
    public LpDistance {
        if (!(p >= 1)) {
            throw new IllegalArgumentException("l_p closeness needs p >= 1, got " + p);
        }
    }

    @Override
    public String name() {
        return p == Math.rint(p) ? "l" + (int) p : String.format(Locale.ROOT, "l%s", Double.toString(p));
    }

    @Override
    public String description() {
        return "l" + p + " norm of counterfactual minus original over all values in [0, 1]; lower is closer";
    }

    /**
     * @param a an image
     * @param b an image of the same shape
     * @param p exponent
     * @return ||b - a||_p
     */
    public static double distance(ImageData a, ImageData b, double p) {
        if (a.pixels().length != b.pixels().length) {
            throw new IllegalArgumentException("images of " + a.shapeString() + " and " + b.shapeString() + " differ in shape");
        }
        double s = 0;
        float[] x = a.pixels();
        float[] y = b.pixels();
        for (int i = 0; i < x.length; i++) {
            double d = Math.abs(y[i] - x[i]);
            s += p == 1 ? d : p == 2 ? d * d : Math.pow(d, p);
        }
        return p == 1 ? s : Math.pow(s, 1 / p);
    }

    @Override
    public MetricResult compute(Evaluation e) {
        double[] v = new double[e.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = distance(e.originals().get(i), e.counterfactuals().get(i), p);
        }
        return MetricResult.mean(name(), v);
    }
}
