package io.vcex.methods.gcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.context.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/** h-directions on a quadratic with known eigenvectors. */
class GcdHessianTest {
    static final double[] LAMBDA = {1.0, -4.0, 0.5, 5.0, 0.1};

    /** f(x) = 1/2 x' Q diag(LAMBDA) Q' x + c' x, Q a seeded random rotation. */
    static final class Quadratic implements SmoothFunction {
        final double[][] q;
        final double[][] h;
        final double[] c = {0.3, -0.1, 0.2, 0.0, 0.5};

        Quadratic() {
            Rng r = new Rng(11);
            // Gram-Schmidt on random columns: q[.][k] is the k-th eigenvector
            q = new double[5][5];
            h = new double[5][5];
            for (int k = 0; k < 5; k++) {
                double[] v = new double[5];
                for (int i = 0; i < 5; i++) {
                    v[i] = r.nextGaussian();
                }
                for (int j = 0; j < k; j++) {
                    double dot = 0;
                    for (int i = 0; i < 5; i++) {
                        dot += v[i] * q[i][j];
                    }
                    for (int i = 0; i < 5; i++) {
                        v[i] -= dot * q[i][j];
                    }
                }
                double n = 0;
                for (double x : v) {
                    n += x * x;
                }
                n = Math.sqrt(n);
                for (int i = 0; i < 5; i++) {
                    q[i][k] = v[i] / n;
                }
            }
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    for (int k = 0; k < 5; k++) {
                        h[i][j] += q[i][k] * LAMBDA[k] * q[j][k];
                    }
                }
            }
        }

        @Override
        public int dimension() {
            return 5;
        }

        @Override
        public double value(double[] x) {
            double v = 0;
            for (int i = 0; i < 5; i++) {
                v += c[i] * x[i];
                for (int j = 0; j < 5; j++) {
                    v += 0.5 * x[i] * h[i][j] * x[j];
                }
            }
            return v;
        }

        @Override
        public double[] gradient(double[] x) {
            double[] g = c.clone();
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    g[i] += h[i][j] * x[j];
                }
            }
            return g;
        }

        @Override
        public double[][] hessian(double[] x) {
            double[][] out = new double[5][];
            for (int i = 0; i < 5; i++) {
                out[i] = h[i].clone();
            }
            return out;
        }
    }

    @Test
    void finiteDifferencesOfTheGradientRecoverTheKnownHessian() {
        Quadratic f = new Quadratic();
        double[][] fd = FiniteDifferences.hessian(f::gradient, new double[] {0.2, 0.1, -0.3, 0, 1}, 1e-3);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(f.h[i][j], fd[i][j], 1e-9);
            }
        }
        double[] g = FiniteDifferences.gradient(f, new double[5], 1e-4);
        for (int i = 0; i < 5; i++) {
            assertEquals(f.c[i], g[i], 1e-9);
        }
    }

    @Test
    void hDirectionsAreTheEigenvectorsSortedByAbsoluteEigenvalue() {
        Quadratic f = new Quadratic();
        List<Direction> hs = HDirections.of(f, 4, HSign.EIGENVALUE, null);
        int[] expected = {3, 1, 0, 2}; // |5| > |-4| > |1| > |0.5| > |0.1|
        assertEquals(4, hs.size());
        for (int r = 0; r < 4; r++) {
            Direction d = hs.get(r);
            assertEquals("h" + (r + 1), d.name());
            assertEquals(LAMBDA[expected[r]], d.eigenvalue(), 1e-9);
            double dot = 0;
            double norm = 0;
            for (int i = 0; i < 5; i++) {
                dot += d.vector()[i] * f.q[i][expected[r]];
                norm += d.vector()[i] * d.vector()[i];
            }
            assertEquals(1.0, Math.abs(dot), 1e-6, "h" + (r + 1) + " is the eigenvector of " + LAMBDA[expected[r]]);
            assertEquals(1.0, norm, 1e-6);
        }
        double dot12 = 0;
        for (int i = 0; i < 5; i++) {
            dot12 += hs.get(0).vector()[i] * hs.get(1).vector()[i];
        }
        assertEquals(0.0, dot12, 1e-6, "orthogonal");
        // the gradient convention orients every direction along the gradient at the origin (c)
        for (Direction d : HDirections.of(f, 5, HSign.GRADIENT, f.c)) {
            double dot = 0;
            for (int i = 0; i < 5; i++) {
                dot += d.vector()[i] * f.c[i];
            }
            assertTrue(dot >= 0, d.name() + " . c = " + dot);
        }
        Direction g = GDirection.of(f);
        double n = Math.sqrt(0.09 + 0.01 + 0.04 + 0.25);
        for (int i = 0; i < 5; i++) {
            assertEquals(f.c[i] / n, g.vector()[i], 1e-6, "g-direction is the normalised gradient at 0");
        }
    }
}
