package io.vcex.methods.gcd;

import io.vcex.core.VcexException;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The proxy network of GCD (sec. 4, appendix C algorithm 2, appendix E): an MLP from a code
 * offset delta to two outputs approximating the classifier's score f(G(z + delta)) and the
 * perceptual distance d(G(z + delta), x). Linear layers 512-256-128-64-2 with sigmoid activations
 * by default, the input sized to the code's length; trained from a fresh initialisation (PyTorch's
 * Linear default, U(-1/sqrt(fan_in), 1/sqrt(fan_in))) with AdamW on w1 MSE(score) + w2 MSE(distance),
 * a train/validation split and early stopping.
 *
 * <p>Two changes of variables, neither of which changes the functions the network can express:
 * the input is delta / r (the perturbation ball scaled to radius 1), and with
 * {@link ProxyConfig#standardize()} the targets are standardised and the outputs mapped back.
 *
 * <p>The network lives in Java doubles: training is plain back-propagation (the network is small
 * and the engine's per-operation overhead would dominate on a CPU), and the gradient and the
 * Hessian of any weighted sum of the outputs are computed exactly by hand ({@link #objective}).
 * That Hessian needs no second-order autograd (which leaks native memory with this engine,
 * ENGINE-NOTES), costs one pass per layer, and no native memory is involved at all.
 */
public final class ProxyNetwork {
    private final double[][][] w; // w[l][out][in]
    private final double[][] b;
    private final double inputScale;
    private final double[] mean;
    private final double[] std;
    private final Report report;

    private ProxyNetwork(double[][][] w, double[][] b, double inputScale, double[] mean, double[] std, Report report) {
        this.w = w;
        this.b = b;
        this.inputScale = inputScale;
        this.mean = mean;
        this.std = std;
        this.report = report;
    }

    /**
     * How training went.
     *
     * @param epochs epochs run
     * @param trainLoss the last epoch's training loss (standardised units when standardising)
     * @param validationLoss the last epoch's validation loss
     * @param scoreR2 coefficient of determination of the score output on the validation part
     * @param distanceR2 coefficient of determination of the distance output on the validation part
     * @param trainSize perturbations trained on
     * @param validationSize perturbations held out
     */
    public record Report(int epochs, double trainLoss, double validationLoss, double scoreR2, double distanceR2,
            int trainSize, int validationSize) {
    }

    /** @return how training went */
    public Report report() {
        return report;
    }

    /** @return the code's length */
    public int dimension() {
        return w[0][0].length;
    }

    /**
     * Trains a fresh proxy (algorithm 2).
     *
     * @param data the accumulated perturbations and targets (at least 4)
     * @param config architecture and training
     * @param radius r, the perturbation radius (the input is delta / r)
     * @param rng the stream for initialisation, split and shuffling
     * @param task its status shows the validation loss
     * @return the trained proxy
     */
    public static ProxyNetwork train(ProxyData data, ProxyConfig config, double radius, Rng rng, Progress.Task task) {
        int n = data.size();
        if (n < 4) {
            throw new VcexException("The proxy needs at least 4 perturbations to train and validate, got " + n);
        }
        int d = data.dim();
        List<Integer> widths = new ArrayList<>();
        widths.add(d);
        widths.addAll(config.hidden());
        widths.add(2);
        double[][] t = new double[2][n];
        for (int i = 0; i < n; i++) {
            t[0][i] = data.score(i);
            t[1][i] = data.distance(i);
        }
        double[] mean = {0, 0};
        double[] std = {1, 1};
        if (config.standardize()) {
            for (int o = 0; o < 2; o++) {
                double m = 0;
                for (double v : t[o]) {
                    m += v;
                }
                m /= n;
                double s = 0;
                for (double v : t[o]) {
                    s += (v - m) * (v - m);
                }
                s = Math.sqrt(s / n);
                mean[o] = m;
                std[o] = s > 1e-12 ? s : 1;
            }
        }
        int[] perm = rng.derive("split").permutation(n);
        int nVal = Math.max(1, Math.min(n - 1, (int) Math.round(n * config.validationFraction())));
        int nTrain = n - nVal;
        int[] trainIdx = java.util.Arrays.copyOfRange(perm, nVal, n);
        int[] valIdx = java.util.Arrays.copyOfRange(perm, 0, nVal);
        double scale = 1 / radius;
        double[][] x = new double[n][];
        double[][] y = new double[n][];
        for (int i = 0; i < n; i++) {
            float[] o = data.offset(i);
            x[i] = new double[d];
            for (int j = 0; j < d; j++) {
                x[i][j] = o[j] * scale;
            }
            y[i] = new double[] {(t[0][i] - mean[0]) / std[0], (t[1][i] - mean[1]) / std[1]};
        }
        double[] lw = {config.scoreWeight(), config.distanceWeight()};

        Mlp net = Mlp.init(widths, rng.derive("init"));
        Mlp m1 = net.zerosLike();
        Mlp m2 = net.zerosLike();
        List<Double> valLosses = new ArrayList<>();
        long step = 0;
        int epochs = 0;
        double trainLoss = Double.NaN;
        Rng shuffle = rng.derive("shuffle");
        int bs = Math.min(config.batchSize(), nTrain);
        for (int epoch = 0; epoch < config.maxEpochs(); epoch++) {
            int[] order = shuffle.derive(epoch).permutation(nTrain);
            double sum = 0;
            int batches = 0;
            for (int from = 0; from < nTrain; from += bs) {
                int k = Math.min(bs, nTrain - from);
                int[] idx = new int[k];
                for (int j = 0; j < k; j++) {
                    idx[j] = trainIdx[order[from + j]];
                }
                step++;
                Mlp grad = net.zerosLike();
                sum += net.lossAndGradient(x, y, idx, lw, grad);
                net.adamW(grad, m1, m2, step, config.learningRate(), config.weightDecay());
                batches++;
            }
            trainLoss = sum / batches;
            double val = net.lossAndGradient(x, y, valIdx, lw, null);
            if (!Double.isFinite(val)) {
                throw new VcexException("The proxy's validation loss became " + val + " at epoch " + epoch
                        + "; lower proxy.learningRate");
            }
            valLosses.add(val);
            epochs = epoch + 1;
            task.status(String.format(Locale.ROOT, "proxy epoch %d, validation loss %.4g", epochs, val));
            if (step >= config.minSteps() && stop(valLosses, config.window())) {
                break;
            }
        }
        double[] r2 = new double[2];
        for (int o = 0; o < 2; o++) {
            double mu = 0;
            for (int j : valIdx) {
                mu += t[o][j];
            }
            mu /= nVal;
            double ssRes = 0;
            double ssTot = 0;
            for (int j : valIdx) {
                double p = mean[o] + std[o] * net.forward(x[j], null)[o];
                ssRes += (t[o][j] - p) * (t[o][j] - p);
                ssTot += (t[o][j] - mu) * (t[o][j] - mu);
            }
            r2[o] = ssTot > 0 ? 1 - ssRes / ssTot : Double.NaN;
        }
        Report report = new Report(epochs, trainLoss, valLosses.get(valLosses.size() - 1), r2[0], r2[1], nTrain, nVal);
        return new ProxyNetwork(net.w, net.b, scale, mean, std, report);
    }

    /** Early stopping (appendix E): the mean of the previous {@code window} validation losses is below the last. */
    static boolean stop(List<Double> losses, int window) {
        int e = losses.size();
        if (e <= window) {
            return false;
        }
        double avg = 0;
        for (int i = e - 1 - window; i < e - 1; i++) {
            avg += losses.get(i);
        }
        avg /= window;
        return avg < losses.get(e - 1);
    }

    /**
     * The MLP's parameters (or gradients, or Adam moments of the same shapes) with the training
     * arithmetic, in plain Java: the networks are small, and the engine's per-operation cost and
     * thread hand-offs would dominate their training on a CPU.
     */
    static final class Mlp {
        final double[][][] w; // w[l][out][in]
        final double[][] b;

        Mlp(double[][][] w, double[][] b) {
            this.w = w;
            this.b = b;
        }

        /** PyTorch's Linear default: weights and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
        static Mlp init(List<Integer> widths, Rng rng) {
            int layers = widths.size() - 1;
            double[][][] w = new double[layers][][];
            double[][] b = new double[layers][];
            for (int l = 0; l < layers; l++) {
                int in = widths.get(l);
                int out = widths.get(l + 1);
                double bound = 1 / Math.sqrt(in);
                w[l] = new double[out][in];
                b[l] = new double[out];
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        w[l][o][i] = rng.uniform(-bound, bound);
                    }
                }
                for (int o = 0; o < out; o++) {
                    b[l][o] = rng.uniform(-bound, bound);
                }
            }
            return new Mlp(w, b);
        }

        Mlp zerosLike() {
            double[][][] w2 = new double[w.length][][];
            double[][] b2 = new double[b.length][];
            for (int l = 0; l < w.length; l++) {
                w2[l] = new double[w[l].length][w[l][0].length];
                b2[l] = new double[b[l].length];
            }
            return new Mlp(w2, b2);
        }

        /** @param acts receives the activations h_0 (input) .. h_{L-1} when not null */
        double[] forward(double[] x, double[][] acts) {
            double[] h = x;
            for (int l = 0; l < w.length; l++) {
                if (acts != null) {
                    acts[l] = h;
                }
                double[] a = b[l].clone();
                for (int o = 0; o < a.length; o++) {
                    double[] row = w[l][o];
                    double s = 0;
                    for (int i = 0; i < row.length; i++) {
                        s += row[i] * h[i];
                    }
                    a[o] += s;
                }
                if (l + 1 < w.length) {
                    for (int o = 0; o < a.length; o++) {
                        a[o] = sigmoid(a[o]);
                    }
                }
                h = a;
            }
            return h;
        }

        /**
         * @param grad receives d loss / d parameters (summed into it) when not null
         * @return sum_o lw_o * mean over idx of (out_o - y_o)^2
         */
        double lossAndGradient(double[][] x, double[][] y, int[] idx, double[] lw, Mlp grad) {
            double loss = 0;
            double[][] acts = new double[w.length][];
            for (int j : idx) {
                double[] out = forward(x[j], acts);
                double[] delta = new double[2];
                for (int o = 0; o < 2; o++) {
                    double e = out[o] - y[j][o];
                    loss += lw[o] * e * e;
                    delta[o] = 2 * lw[o] * e / idx.length;
                }
                if (grad == null) {
                    continue;
                }
                // delta = d loss / d pre-activation of layer l
                for (int l = w.length - 1; l >= 0; l--) {
                    double[] h = acts[l];
                    double[][] gw = grad.w[l];
                    double[] gb = grad.b[l];
                    for (int o = 0; o < delta.length; o++) {
                        double dv = delta[o];
                        if (dv == 0) {
                            continue;
                        }
                        double[] gr = gw[o];
                        for (int i = 0; i < h.length; i++) {
                            gr[i] += dv * h[i];
                        }
                        gb[o] += dv;
                    }
                    if (l > 0) {
                        double[] prev = new double[h.length];
                        for (int o = 0; o < delta.length; o++) {
                            double dv = delta[o];
                            if (dv == 0) {
                                continue;
                            }
                            double[] row = w[l][o];
                            for (int i = 0; i < prev.length; i++) {
                                prev[i] += row[i] * dv;
                            }
                        }
                        for (int i = 0; i < prev.length; i++) {
                            prev[i] *= h[i] * (1 - h[i]); // h = sigmoid(pre)
                        }
                        delta = prev;
                    }
                }
            }
            return loss / idx.length;
        }

        /** AdamW (Loshchilov and Hutter 2019) with PyTorch's defaults beta (0.9, 0.999), eps 1e-8. */
        void adamW(Mlp g, Mlp m1, Mlp m2, long t, double lr, double wd) {
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            for (int l = 0; l < w.length; l++) {
                for (int o = 0; o < w[l].length; o++) {
                    update(w[l][o], g.w[l][o], m1.w[l][o], m2.w[l][o], c1, c2, lr, wd);
                }
                update(b[l], g.b[l], m1.b[l], m2.b[l], c1, c2, lr, wd);
            }
        }

        private static void update(double[] p, double[] g, double[] m, double[] v, double c1, double c2, double lr,
                double wd) {
            for (int i = 0; i < p.length; i++) {
                p[i] *= 1 - lr * wd;
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                p[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
            }
        }
    }

    /**
     * @param delta a code offset
     * @return the predicted [score, distance]
     */
    public double[] predict(double[] delta) {
        double[][] pre = new double[w.length - 1][];
        double[] net = forward(delta, pre);
        return new double[] {mean[0] + std[0] * net[0], mean[1] + std[1] * net[1]};
    }

    private double[] forward(double[] delta, double[][] pre) {
        if (delta.length != dimension()) {
            throw new VcexException("The proxy takes offsets of length " + dimension() + ", got " + delta.length);
        }
        double[] h = new double[delta.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = delta[i] * inputScale;
        }
        for (int l = 0; l < w.length; l++) {
            double[] a = affine(l, h);
            if (l + 1 < w.length) {
                pre[l] = a;
                h = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    h[i] = sigmoid(a[i]);
                }
            } else {
                return a;
            }
        }
        throw new IllegalStateException();
    }

    private double[] affine(int l, double[] h) {
        double[] a = b[l].clone();
        for (int o = 0; o < a.length; o++) {
            double[] row = w[l][o];
            double s = 0;
            for (int i = 0; i < row.length; i++) {
                s += row[i] * h[i];
            }
            a[o] += s;
        }
        return a;
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /**
     * @param scoreWeight the weight c0 of the score output
     * @param distanceWeight the weight c1 of the distance output
     * @return c0 * score(delta) + c1 * distance(delta) with its exact gradient and Hessian in delta;
     *     (1, lambda) is the approximate counterfactual loss of eq. 3, (1, 0) its classifier term
     */
    public SmoothFunction objective(double scoreWeight, double distanceWeight) {
        double[] c = {scoreWeight * std[0], distanceWeight * std[1]};
        double offset = scoreWeight * mean[0] + distanceWeight * mean[1];
        return new SmoothFunction() {
            @Override
            public int dimension() {
                return ProxyNetwork.this.dimension();
            }

            @Override
            public double value(double[] x) {
                double[] net = forward(x, new double[w.length - 1][]);
                return offset + c[0] * net[0] + c[1] * net[1];
            }

            @Override
            public double[] gradient(double[] x) {
                double[][] pre = new double[w.length - 1][];
                forward(x, pre);
                double[][] adj = adjoints(pre, c);
                return inputGradient(pre, adj);
            }

            @Override
            public double[][] hessian(double[] x) {
                double[][] pre = new double[w.length - 1][];
                forward(x, pre);
                return exactHessian(pre, adjoints(pre, c));
            }
        };
    }

    /**
     * Reverse pass: adj[l] = d y / d h_{l+1}, the adjoint at the output of sigmoid layer l
     * (h_{l+1} = sigmoid(pre[l])), for y = c . net.
     */
    private double[][] adjoints(double[][] pre, double[] c) {
        int hidden = w.length - 1;
        double[][] adj = new double[hidden][];
        int last = w.length - 1;
        double[] g = new double[w[last][0].length];
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < g.length; i++) {
                g[i] += c[o] * w[last][o][i];
            }
        }
        for (int l = hidden - 1; l >= 0; l--) {
            adj[l] = g;
            double[] ga = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                double s = sigmoid(pre[l][i]);
                ga[i] = g[i] * s * (1 - s);
            }
            double[] prev = new double[w[l][0].length];
            for (int o = 0; o < ga.length; o++) {
                double[] row = w[l][o];
                for (int i = 0; i < prev.length; i++) {
                    prev[i] += row[i] * ga[o];
                }
            }
            g = prev;
        }
        return adj;
    }

    private double[] inputGradient(double[][] pre, double[][] adj) {
        double[] ga = new double[pre[0].length];
        for (int i = 0; i < ga.length; i++) {
            double s = sigmoid(pre[0][i]);
            ga[i] = adj[0][i] * s * (1 - s);
        }
        double[] grad = new double[dimension()];
        for (int o = 0; o < ga.length; o++) {
            double[] row = w[0][o];
            for (int i = 0; i < grad.length; i++) {
                grad[i] += row[i] * ga[o] * inputScale;
            }
        }
        return grad;
    }

    /**
     * The Hessian of y = c . net: the network is linear except for its element-wise sigmoids, so
     * H = sum over sigmoid units i of layer l of (dy/dh_{l+1,i}) sigmoid''(pre_{l,i}) a_i a_i^T, with
     * a_i = d pre_{l,i} / d delta (forward-propagated Jacobians).
     */
    private double[][] exactHessian(double[][] pre, double[][] adj) {
        int d = dimension();
        double[][] h = new double[d][d];
        double[][] jac = new double[w[0].length][d]; // d pre_0 / d delta
        for (int o = 0; o < jac.length; o++) {
            for (int i = 0; i < d; i++) {
                jac[o][i] = w[0][o][i] * inputScale;
            }
        }
        for (int l = 0; l < pre.length; l++) {
            double[] ds = new double[pre[l].length];
            for (int i = 0; i < pre[l].length; i++) {
                double s = sigmoid(pre[l][i]);
                double d1 = s * (1 - s);
                ds[i] = d1;
                double coef = adj[l][i] * d1 * (1 - 2 * s);
                if (coef != 0) {
                    double[] a = jac[i];
                    for (int p = 0; p < d; p++) {
                        double ap = coef * a[p];
                        if (ap != 0) {
                            double[] hp = h[p];
                            for (int q = p; q < d; q++) {
                                hp[q] += ap * a[q];
                            }
                        }
                    }
                }
            }
            if (l + 1 < pre.length) {
                double[][] next = new double[w[l + 1].length][d];
                for (int o = 0; o < next.length; o++) {
                    double[] row = w[l + 1][o];
                    double[] out = next[o];
                    for (int i = 0; i < row.length; i++) {
                        double f = row[i] * ds[i];
                        if (f != 0) {
                            double[] a = jac[i];
                            for (int p = 0; p < d; p++) {
                                out[p] += f * a[p];
                            }
                        }
                    }
                }
                jac = next;
            }
        }
        for (int p = 0; p < d; p++) {
            for (int q = 0; q < p; q++) {
                h[p][q] = h[q][p];
            }
        }
        return h;
    }
}
