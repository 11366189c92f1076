package io.vcex.methods.gcd;

import java.util.function.Function;

/**
 * Central finite differences, the reference the exact derivatives are checked against and the
 * derivative BB-LIG uses where only function values exist.
 */
public final class FiniteDifferences {

    private FiniteDifferences() {
    }

    /**
     * @param f a function
     * @param x the point
     * @param h the half step
     * @return (f(x + h e_i) - f(x - h e_i)) / 2h for every i
     */
    public static double[] gradient(SmoothFunction f, double[] x, double h) {
        double[] g = new double[x.length];
        double[] p = x.clone();
        for (int i = 0; i < x.length; i++) {
            p[i] = x[i] + h;
            double up = f.value(p);
            p[i] = x[i] - h;
            double down = f.value(p);
            p[i] = x[i];
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    /**
     * The Hessian as central differences of a gradient, symmetrised.
     *
     * @param gradient the gradient function
     * @param x the point
     * @param h the half step
     * @return the Hessian estimate
     */
    public static double[][] hessian(Function<double[], double[]> gradient, double[] x, double h) {
        int n = x.length;
        double[][] out = new double[n][n];
        double[] p = x.clone();
        for (int j = 0; j < n; j++) {
            p[j] = x[j] + h;
            double[] up = gradient.apply(p);
            p[j] = x[j] - h;
            double[] down = gradient.apply(p);
            p[j] = x[j];
            for (int i = 0; i < n; i++) {
                out[i][j] = (up[i] - down[i]) / (2 * h);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double m = (out[i][j] + out[j][i]) / 2;
                out[i][j] = m;
                out[j][i] = m;
            }
        }
        return out;
    }
}
