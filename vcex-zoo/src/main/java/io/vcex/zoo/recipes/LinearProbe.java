package io.vcex.zoo.recipes;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A linear probe: ridge least squares y ~ w . x + b, solved through the normal equations
 * (X^T X + lambda I) w = X^T y with EJML. Used to find a semantic direction in a latent space.
 */
final class LinearProbe {

    private LinearProbe() {
    }

    /**
     * @param x rows of features
     * @param y targets (for a class, +1 and -1)
     * @param lambda ridge strength (not applied to the bias)
     * @return w (length d) followed by the bias b
     */
    static double[] fit(float[][] x, double[] y, double lambda) {
        int n = x.length;
        int d = x[0].length;
        DMatrixRMaj a = new DMatrixRMaj(n, d + 1);
        DMatrixRMaj b = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                a.set(i, k, x[i][k]);
            }
            a.set(i, d, 1);
            b.set(i, 0, y[i]);
        }
        DMatrixRMaj ata = new DMatrixRMaj(d + 1, d + 1);
        CommonOps_DDRM.multTransA(a, a, ata);
        for (int k = 0; k < d; k++) {
            ata.add(k, k, lambda * n);
        }
        DMatrixRMaj atb = new DMatrixRMaj(d + 1, 1);
        CommonOps_DDRM.multTransA(a, b, atb);
        DMatrixRMaj w = new DMatrixRMaj(d + 1, 1);
        if (!CommonOps_DDRM.solve(ata, atb, w)) {
            throw new IllegalStateException("the probe's normal equations are singular");
        }
        return w.getData().clone();
    }
}
