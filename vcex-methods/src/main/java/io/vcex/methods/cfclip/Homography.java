package io.vcex.methods.cfclip;

import io.vcex.core.VcexException;

/**
 * A plane projective map (x, y) to ((a x + b y + c) / (g x + h y + 1), (d x + e y + f) / (g x + h
 * y + 1)), fitted exactly to four point pairs by solving the 8 x 8 linear system, as torchvision's
 * perspective transform does.
 */
final class Homography {
    private final double[] h; // a b c d e f g h

    private Homography(double[] h) {
        this.h = h;
    }

    /**
     * @param from four points {x, y}
     * @param to their images
     * @return the projective map taking each {@code from[i]} to {@code to[i]}
     */
    static Homography fit(double[][] from, double[][] to) {
        double[][] m = new double[8][9];
        for (int i = 0; i < 4; i++) {
            double x = from[i][0];
            double y = from[i][1];
            double u = to[i][0];
            double v = to[i][1];
            // a x + b y + c - g x u - h y u = u
            m[2 * i] = new double[] {x, y, 1, 0, 0, 0, -x * u, -y * u, u};
            // d x + e y + f - g x v - h y v = v
            m[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -x * v, -y * v, v};
        }
        return new Homography(solve(m));
    }

    /** Gaussian elimination with partial pivoting on an augmented 8 x 9 matrix. */
    private static double[] solve(double[][] m) {
        int n = 8;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            if (Math.abs(m[pivot][col]) < 1e-12) {
                throw new VcexException("The perspective corners are degenerate (three on a line); lower the distortion");
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = m[r][col] / m[col][col];
                    for (int k = col; k <= n; k++) {
                        m[r][k] -= f * m[col][k];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = m[i][n] / m[i][i];
        }
        return x;
    }

    /**
     * @param x abscissa
     * @param y ordinate
     * @return the mapped point {u, v}
     */
    double[] apply(double x, double y) {
        double w = h[6] * x + h[7] * y + 1;
        return new double[] {(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w};
    }
}
