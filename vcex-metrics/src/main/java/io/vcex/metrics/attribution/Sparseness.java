package io.vcex.metrics.attribution;

import java.util.Arrays;

/**
 * Sparseness (Chalasani et al. 2020, as Quantus computes it): the Gini index of |a| + 1e-7,
 * sum_i (2i - n - 1) a_(i) / (n sum_i a_i) over the sorted values. In [0, 1]; higher is sparser.
 */
public final class Sparseness implements AttributionMetric {

    @Override
    public String name() {
        return "sparseness";
    }

    @Override
    public double compute(float[] attribution) {
        int n = attribution.length;
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = Math.abs((double) attribution[i]) + 1e-7;
        }
        Arrays.sort(a);
        double num = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            num += (2.0 * (i + 1) - n - 1) * a[i];
            sum += a[i];
        }
        return num / (n * sum);
    }
}
