package io.vcex.core.stats;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Frechet distance between Gaussians fitted to two feature sets (Heusel et al. 2017):
 * ||mu_1 - mu_2||^2 + Tr(S_1) + Tr(S_2) - 2 Tr((S_1 S_2)^(1/2)).
 *
 * <p>The trace of the matrix square root is computed as Tr((S_1^(1/2) S_2 S_1^(1/2))^(1/2)), which
 * is equal, symmetric and positive semi-definite, so both square roots come from EJML's symmetric
 * eigendecomposition (negative round-off eigenvalues are clipped to zero). Covariances use the
 * unbiased 1/(n-1) normalisation, as NumPy's {@code np.cov} in the reference FID code.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    /**
     * @param a features, one row per sample (at least 2 rows)
     * @param b features of the same dimension
     * @return the Frechet distance of their Gaussian fits
     */
    public static double between(float[][] a, float[][] b) {
        if (a.length < 2 || b.length < 2) {
            throw new IllegalArgumentException("a Frechet distance needs at least 2 samples on each side, got "
                    + a.length + " and " + b.length);
        }
        int d = a[0].length;
        if (b[0].length != d) {
            throw new IllegalArgumentException("feature dimensions differ: " + d + " and " + b[0].length);
        }
        double[] mu1 = mean(a);
        double[] mu2 = mean(b);
        DMatrixRMaj s1 = covariance(a, mu1);
        DMatrixRMaj s2 = covariance(b, mu2);
        double meanTerm = 0;
        for (int i = 0; i < d; i++) {
            meanTerm += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
        }
        DMatrixRMaj root1 = sqrtSymmetric(s1);
        DMatrixRMaj tmp = new DMatrixRMaj(d, d);
        DMatrixRMaj inner = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(root1, s2, tmp);
        CommonOps_DDRM.mult(tmp, root1, inner);
        symmetrise(inner);
        double traceSqrt = 0;
        for (double ev : eigenvalues(inner)) {
            traceSqrt += Math.sqrt(Math.max(ev, 0));
        }
        return meanTerm + CommonOps_DDRM.trace(s1) + CommonOps_DDRM.trace(s2) - 2 * traceSqrt;
    }

    private static double[] mean(float[][] x) {
        double[] m = new double[x[0].length];
        for (float[] row : x) {
            for (int j = 0; j < m.length; j++) {
                m[j] += row[j];
            }
        }
        for (int j = 0; j < m.length; j++) {
            m[j] /= x.length;
        }
        return m;
    }

    private static DMatrixRMaj covariance(float[][] x, double[] mu) {
        int d = mu.length;
        DMatrixRMaj c = new DMatrixRMaj(d, d);
        double[] centred = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                centred[j] = row[j] - mu[j];
            }
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    c.add(i, j, centred[i] * centred[j]);
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double v = c.get(i, j) / (x.length - 1);
                c.set(i, j, v);
                c.set(j, i, v);
            }
        }
        return c;
    }

    private static void symmetrise(DMatrixRMaj m) {
        for (int i = 0; i < m.numRows; i++) {
            for (int j = i + 1; j < m.numCols; j++) {
                double v = (m.get(i, j) + m.get(j, i)) / 2;
                m.set(i, j, v);
                m.set(j, i, v);
            }
        }
    }

    private static double[] eigenvalues(DMatrixRMaj symmetric) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(symmetric.numRows, false, true);
        if (!eig.decompose(symmetric.copy())) {
            throw new IllegalStateException("eigendecomposition did not converge");
        }
        double[] v = new double[symmetric.numRows];
        for (int i = 0; i < v.length; i++) {
            v[i] = eig.getEigenvalue(i).getReal();
        }
        return v;
    }

    /**
     * @param s a symmetric positive semi-definite matrix
     * @return its symmetric square root V diag(sqrt(max(lambda, 0))) V^T
     */
    static DMatrixRMaj sqrtSymmetric(DMatrixRMaj s) {
        int d = s.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(s.copy())) {
            throw new IllegalStateException("eigendecomposition did not converge");
        }
        DMatrixRMaj out = new DMatrixRMaj(d, d);
        for (int k = 0; k < d; k++) {
            double root = Math.sqrt(Math.max(eig.getEigenvalue(k).getReal(), 0));
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    out.add(i, j, root * v.get(i) * v.get(j));
                }
            }
        }
        return out;
    }
}
