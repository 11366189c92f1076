package io.vcex.methods.gcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.config.ConfigException;
import io.vcex.core.config.Json;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proxy network, the perturbations and the config. */
class GcdProxyTest {

    /** score = 1 + 3 d0 - 2 d1, distance = |delta|^2 / 4: a plane and a bowl. */
    static ProxyData knownData(int n, long seed) {
        ProxyData data = new ProxyData(4);
        Rng r = new Rng(seed);
        for (int i = 0; i < n; i++) {
            float[] d = Perturbation.UNIFORM_BALL.sample(r, 4, 1.0);
            double sq = 0;
            for (float v : d) {
                sq += v * v;
            }
            data.add(d, 1 + 3 * d[0] - 2 * d[1], sq / 4);
        }
        return data;
    }

    @Test
    void theProxyLearnsAKnownFunctionAndItsGradientPointsTheRightWay() {
        {
            // small data and many steps: the bowl of the distance takes a sigmoid network a while
            ProxyConfig pc = ProxyConfig.defaults().withHidden(List.of(32, 16), 1000).withLearningRate(1e-2).withSteps(32, 3000);
            ProxyNetwork p = ProxyNetwork.train(knownData(600, 1), pc, 1.0, new Rng(2), Progress.silent().start("t", 1));
            ProxyNetwork.Report rep = p.report();
            assertTrue(rep.scoreR2() > 0.99, "score R2 " + rep);
            assertTrue(rep.distanceR2() > 0.95, "distance R2 " + rep);
            assertEquals(480, rep.trainSize());
            assertEquals(120, rep.validationSize());
            assertTrue(rep.epochs() >= 200 && rep.epochs() <= 1000, "at least 3000 steps of 15: " + rep.epochs());
            double[] at0 = p.predict(new double[4]);
            assertEquals(1.0, at0[0], 0.15);
            assertEquals(0.0, at0[1], 0.05);
            Direction g = GDirection.of(p.objective(1, 0));
            double cos = (3 * g.vector()[0] - 2 * g.vector()[1]) / Math.sqrt(13);
            assertTrue(cos > 0.98, "g-direction follows the true gradient (3, -2, 0, 0): cos " + cos);
        }
    }

    @Test
    void theExactGradientAndHessianOfTheProxyMatchFiniteDifferences() {
        {
            ProxyConfig pc = ProxyConfig.defaults().withHidden(List.of(16, 8, 4), 20).withSteps(32, 0);
            ProxyNetwork p = ProxyNetwork.train(knownData(200, 3), pc, 0.5, new Rng(4),
                    Progress.silent().start("t", 1));
            SmoothFunction f = p.objective(0.7, 2.0);
            double[] x = {0.1, -0.2, 0.05, 0.3};
            double[] g = f.gradient(x);
            double[] gFd = FiniteDifferences.gradient(f, x, 1e-5);
            double[][] h = f.hessian(x);
            double[][] hFd = FiniteDifferences.hessian(f::gradient, x, 1e-5);
            double scale = 0;
            for (int i = 0; i < 4; i++) {
                scale = Math.max(scale, Math.abs(g[i]));
                for (int j = 0; j < 4; j++) {
                    assertEquals(hFd[i][j], h[i][j], 1e-6 * (1 + Math.abs(hFd[i][j])), "H[" + i + "][" + j + "]");
                    assertEquals(h[j][i], h[i][j], 0.0, "symmetric");
                }
                assertEquals(gFd[i], g[i], 1e-7 * (1 + Math.abs(gFd[i])), "g[" + i + "]");
            }
            assertTrue(scale > 1e-3, "a non-trivial gradient: " + scale);
            double sumAbs = 0;
            for (double[] row : h) {
                for (double v : row) {
                    sumAbs += Math.abs(v);
                }
            }
            assertTrue(sumAbs > 1e-4, "a non-trivial Hessian: " + sumAbs);
        }
    }

    @Test
    void perturbationNormsFollowTheirLaw() {
        Rng r = new Rng(5);
        int n = 20000;
        double meanNorm = 0;
        double meanBall = 0;
        for (int i = 0; i < n; i++) {
            meanNorm += norm(Perturbation.UNIFORM_NORM.sample(r, 8, 2.0));
            meanBall += norm(Perturbation.UNIFORM_BALL.sample(r, 8, 2.0));
        }
        assertEquals(1.0, meanNorm / n, 0.02, "uniform norm on [0, 2] has mean 1");
        assertEquals(2.0 * 8 / 9, meanBall / n, 0.02, "volume-uniform 8-ball of radius 2: E|x| = 2 * 8/9");
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void earlyStoppingComparesTheRunningMeanWithTheLastEpoch() {
        assertTrue(!ProxyNetwork.stop(List.of(3.0, 2.0, 1.0), 2));
        assertTrue(!ProxyNetwork.stop(List.of(3.0, 2.0, 1.0, 0.9), 2));
        assertTrue(ProxyNetwork.stop(List.of(3.0, 1.0, 1.0, 1.2), 2));
    }

    @Test
    void defaultsAreThePapersAndErrorsNameTheField() {
        GcdConfig c = GcdConfig.defaults();
        assertEquals(52, c.iterations());
        assertEquals(1024, c.perIteration());
        assertEquals(1.0, c.radius());
        assertEquals(Perturbation.UNIFORM_NORM, c.perturbation());
        assertEquals(ScoreKind.LOGIT, c.score());
        assertEquals(6, c.hDirections());
        assertEquals(16, c.lineSearchSteps());
        assertEquals(1e-4, c.minStep());
        assertEquals(3.0, c.maxStep());
        assertEquals(128, c.pathPoints());
        assertEquals(0.01, c.baselineProbability());
        assertEquals(List.of(512, 256, 128, 64), c.proxy().hidden());
        assertEquals(c, Json.parse(Json.write(c), GcdConfig.class, "round trip"));
        assertEquals(c, Json.parse("{}", GcdConfig.class, "empty"));
        ConfigException e = assertThrows(ConfigException.class, () -> c.withLoss(-1, Perturbation.UNIFORM_NORM, 1));
        assertEquals("radius", e.field());
        ConfigException h = assertThrows(ConfigException.class, () -> ProxyConfig.defaults().withHidden(List.of(0), 3));
        assertEquals("proxy.hidden", h.field());
    }
}
