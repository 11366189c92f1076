package io.vcex.methods.gcd;

import io.vcex.core.VcexException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The h-directions (GCD eq. 4, appendix G.5): eigenvectors of the Hessian, at the source code, of
 * the proxy's classifier term (REFERENCE-NOTES), sorted by |eigenvalue|, the directions of largest
 * curvature first; the top k are kept. Eigenvectors have no sign of their own: by default the
 * authors' rule flips those with a positive eigenvalue ({@link HSign}).
 */
public final class HDirections {

    private HDirections() {
    }

    /**
     * @param classifierTerm the proxy's score output as a function of the offset
     * @param k how many to keep
     * @param sign the sign convention
     * @param gradient the first-order direction's raw gradient (for {@link HSign#GRADIENT}; may be
     *     null otherwise)
     * @return h1..hk
     */
    public static List<Direction> of(SmoothFunction classifierTerm, int k, HSign sign, double[] gradient) {
        return fromHessian(classifierTerm.hessian(new double[classifierTerm.dimension()]), k, sign, gradient);
    }

    /**
     * @param hessian a symmetric matrix
     * @param k how many to keep
     * @param sign the sign convention
     * @param gradient for {@link HSign#GRADIENT}
     * @return the top-k eigenvectors by |eigenvalue|, signed
     */
    public static List<Direction> fromHessian(double[][] hessian, int k, HSign sign, double[] gradient) {
        int n = hessian.length;
        DMatrixRMaj m = new DMatrixRMaj(hessian);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(m)) {
            throw new VcexException("The eigen-decomposition of the proxy's Hessian failed");
        }
        Integer[] order = new Integer[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            values[i] = eig.getEigenvalue(i).getReal();
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -Math.abs(values[i])));
        List<Direction> out = new ArrayList<>();
        for (int r = 0; r < Math.min(k, n); r++) {
            int i = order[r];
            DMatrixRMaj v = eig.getEigenVector(i);
            double[] vec = new double[n];
            for (int j = 0; j < n; j++) {
                vec[j] = v.get(j, 0);
            }
            boolean flip;
            if (sign == HSign.EIGENVALUE) {
                flip = values[i] > 0;
            } else {
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += vec[j] * gradient[j];
                }
                flip = dot < 0;
            }
            if (flip) {
                for (int j = 0; j < n; j++) {
                    vec[j] = -vec[j];
                }
            }
            out.add(new Direction("h" + (r + 1), "h", values[i], Direction.unit(vec)));
        }
        return out;
    }
}
