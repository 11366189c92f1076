package io.vcex.zoo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The noise-prediction network eps_theta(x_t, t[, z]) of the zoo's diffusion models: a small
 * DDPM-style UNet (Ho et al. 2020, appendix B; Nichol and Dhariwal 2021) with one residual block
 * per resolution level, average-pool down-sampling, nearest up-sampling, skip connections by
 * concatenation, GroupNorm and SiLU, a sinusoidal time embedding applied as a per-channel
 * scale and shift (AdaGN), and, for a diffusion autoencoder (Preechakul et al. 2022, eq. 7), a
 * per-channel scale from the semantic code z_sem: h = (1 + z_s) * ((1 + t_s) GN(h) + t_b), with
 * z_s = tanh(W z_sem + b) bounded to (-1, 1). (DiffAE leaves z_s unbounded; here that diverged
 * twice within 500 steps, the scales compounding over the blocks until the activations overflowed.)
 *
 * <p>Inputs: x_t (N x C x H x W, H and W divisible by 2^(levels-1)), t (N float timesteps of the
 * training schedule), and z (N x condDim) when {@code condDim > 0}. Output: eps, shaped like x_t.
 */
public final class UNet extends AbstractBlock {
    private final int channels;
    private final int base;
    private final int[] mult;
    private final int condDim;
    private final int timeDim;
    private final Block timeMlp1;
    private final Block timeMlp2;
    private final Block convIn;
    private final List<ResBlock> down = new ArrayList<>();
    private final List<ResBlock> middle = new ArrayList<>();
    private final List<ResBlock> up = new ArrayList<>();
    private final GroupNorm normOut;
    private final Block convOut;

    /**
     * @param channels image channels C
     * @param base channels of the first level
     * @param mult channel multipliers per level (for example 1, 2, 4)
     * @param condDim length of the conditioning code z, or 0 for an unconditional model
     */
    public UNet(int channels, int base, int[] mult, int condDim) {
        super((byte) 1);
        this.channels = channels;
        this.base = base;
        this.mult = mult.clone();
        this.condDim = condDim;
        this.timeDim = base;
        int emb = 4 * base;
        timeMlp1 = addChildBlock("time1", Linear.builder().setUnits(emb).build());
        timeMlp2 = addChildBlock("time2", Linear.builder().setUnits(emb).build());
        convIn = addChildBlock("convIn", conv3(base));
        int ch = base;
        for (int l = 0; l < mult.length; l++) {
            int out = base * mult[l];
            down.add(addChildBlock("down" + l, new ResBlock(ch, out, condDim)));
            ch = out;
        }
        middle.add(addChildBlock("mid0", new ResBlock(ch, ch, condDim)));
        middle.add(addChildBlock("mid1", new ResBlock(ch, ch, condDim)));
        for (int l = mult.length - 1; l >= 0; l--) {
            int out = base * mult[l];
            up.add(addChildBlock("up" + l, new ResBlock(ch + out, out, condDim)));
            ch = out;
        }
        normOut = addChildBlock("normOut", GroupNorm.of(base));
        convOut = addChildBlock("convOut", conv3(channels));
    }

    static Block conv3(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build();
    }

    /**
     * SiLU, x sigmoid(x): two engine operations (the engine's swish(x, 1) is three, the first a
     * multiplication by 1); the same values.
     */
    static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** @return the number of resolution levels */
    public int levels() {
        return mult.length;
    }

    /** @return the conditioning code's length (0: unconditional) */
    public int condDim() {
        return condDim;
    }

    /**
     * The sinusoidal embedding of the timesteps (Vaswani et al. 2017, as in Ho et al. 2020):
     * [sin(t f_i), cos(t f_i)] with f_i = 10000^(-i / (d/2)).
     *
     * @param t N timesteps
     * @param dim d (even)
     * @return N x d, in t's scope
     */
    public static NDArray timestepEmbedding(NDArray t, int dim) {
        int half = dim / 2;
        float[] f = new float[half];
        for (int i = 0; i < half; i++) {
            f[i] = (float) Math.exp(-Math.log(10000.0) * i / half);
        }
        NDManager m = t.getManager();
        NDArray args = t.reshape(-1, 1).mul(m.create(f).reshape(1, half));
        return NDArrays.concat(new NDList(args.sin(), args.cos()), 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray t = inputs.get(1);
        NDArray z = condDim > 0 ? inputs.get(2) : null;
        NDArray emb = timestepEmbedding(t.toType(DataType.FLOAT32, false), timeDim);
        emb = timeMlp1.forward(ps, new NDList(emb), training).singletonOrThrow();
        emb = timeMlp2.forward(ps, new NDList(silu(emb)), training).singletonOrThrow();
        emb = silu(emb); // every block takes SiLU(emb): computed once here
        NDArray h = convIn.forward(ps, new NDList(x), training).singletonOrThrow();
        List<NDArray> skips = new ArrayList<>();
        for (int l = 0; l < down.size(); l++) {
            h = down.get(l).apply(ps, h, emb, z, training);
            skips.add(h);
            if (l < down.size() - 1) {
                h = ai.djl.nn.pooling.Pool.avgPool2d(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
            }
        }
        for (ResBlock b : middle) {
            h = b.apply(ps, h, emb, z, training);
        }
        for (int k = 0; k < up.size(); k++) {
            int l = down.size() - 1 - k;
            h = up.get(k).apply(ps, NDArrays.concat(new NDList(h, skips.get(l)), 1), emb, z, training);
            if (l > 0) {
                // nearest-neighbour up-sampling by the engine's interpolation (mode 0): one operation, where
                // two repeats cost a slow backward pass
                h = h.getNDArrayInternal().interpolation(new long[] {2 * h.getShape().get(2), 2 * h.getShape().get(3)}, 0, false);
            }
        }
        h = silu(normOut.forward(ps, new NDList(h), training).singletonOrThrow());
        return new NDList(convOut.forward(ps, new NDList(h), training).singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        long n = x.get(0);
        int emb = 4 * base;
        timeMlp1.initialize(manager, dataType, new Shape(n, timeDim));
        timeMlp2.initialize(manager, dataType, new Shape(n, emb));
        Shape e = new Shape(n, emb);
        Shape c = new Shape(n, Math.max(1, condDim));
        convIn.initialize(manager, dataType, x);
        long h = x.get(2);
        long w = x.get(3);
        int ch = base;
        List<Integer> skipChannels = new ArrayList<>();
        for (int l = 0; l < down.size(); l++) {
            down.get(l).initialize(manager, dataType, new Shape(n, ch, h, w), e, c);
            ch = base * mult[l];
            skipChannels.add(ch);
            if (l < down.size() - 1) {
                h /= 2;
                w /= 2;
            }
        }
        for (ResBlock b : middle) {
            b.initialize(manager, dataType, new Shape(n, ch, h, w), e, c);
        }
        for (int k = 0; k < up.size(); k++) {
            int l = down.size() - 1 - k;
            int out = base * mult[l];
            up.get(k).initialize(manager, dataType, new Shape(n, ch + skipChannels.get(l), h, w), e, c);
            ch = out;
            if (l > 0) {
                h *= 2;
                w *= 2;
            }
        }
        normOut.initialize(manager, dataType, new Shape(n, base, h, w));
        convOut.initialize(manager, dataType, new Shape(n, base, h, w));
    }

    /**
     * A residual block with AdaGN time conditioning and an optional semantic scale:
     * out = skip(x) + conv2(SiLU((1 + z_s)((1 + t_s) GN(conv1(SiLU(GN(x)))) + t_b))), z_s = tanh(W z + b).
     */
    static final class ResBlock extends AbstractBlock {
        private final int out;
        private final int condDim;
        private final GroupNorm norm1;
        private final Block conv1;
        private final Block timeProj;
        private final Block condProj;
        private final GroupNorm norm2;
        private final Block conv2;
        private final Block skip;

        ResBlock(int in, int out, int condDim) {
            super((byte) 1);
            this.out = out;
            this.condDim = condDim;
            norm1 = addChildBlock("norm1", GroupNorm.of(in));
            conv1 = addChildBlock("conv1", conv3(out));
            timeProj = addChildBlock("timeProj", Linear.builder().setUnits(2L * out).build());
            condProj = condDim > 0 ? addChildBlock("condProj", Linear.builder().setUnits(out).build()) : null;
            norm2 = addChildBlock("norm2", GroupNorm.of(out));
            conv2 = addChildBlock("conv2", conv3(out));
            skip = in == out ? null
                    : addChildBlock("skip", Conv2d.builder().setFilters(out).setKernelShape(new Shape(1, 1)).build());
        }

        NDArray apply(ParameterStore ps, NDArray x, NDArray emb, NDArray z, boolean training) {
            NDList in = z == null ? new NDList(x, emb) : new NDList(x, emb, z);
            return forward(ps, in, training).singletonOrThrow();
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.get(0);
            NDArray emb = inputs.get(1); // SiLU of the time embedding, applied once by the UNet
            long n = x.getShape().get(0);
            NDArray h = conv1.forward(ps, new NDList(silu(norm1.forward(ps, new NDList(x), training).singletonOrThrow())),
                    training).singletonOrThrow();
            NDArray ts = timeProj.forward(ps, new NDList(emb), training).singletonOrThrow().reshape(n, 2L * out, 1, 1);
            NDList scaleShift = ts.split(2, 1);
            h = norm2.forward(ps, new NDList(h), training).singletonOrThrow();
            h = h.mul(scaleShift.get(0).add(1f)).add(scaleShift.get(1));
            if (condProj != null) {
                NDArray zs = condProj.forward(ps, new NDList(inputs.get(2)), training).singletonOrThrow().tanh().reshape(n, out, 1, 1);
                h = h.mul(zs.add(1f));
            }
            h = conv2.forward(ps, new NDList(silu(h)), training).singletonOrThrow();
            NDArray s = skip == null ? x : skip.forward(ps, new NDList(x), training).singletonOrThrow();
            return new NDList(s.add(h));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape x = inputShapes[0];
            return new Shape[] {new Shape(x.get(0), out, x.get(2), x.get(3))};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape x = inputShapes[0];
            Shape hOut = new Shape(x.get(0), out, x.get(2), x.get(3));
            norm1.initialize(manager, dataType, x);
            conv1.initialize(manager, dataType, x);
            timeProj.initialize(manager, dataType, inputShapes[1]);
            if (condProj != null) {
                condProj.initialize(manager, dataType, new Shape(x.get(0), condDim));
            }
            norm2.initialize(manager, dataType, hOut);
            conv2.initialize(manager, dataType, hOut);
            if (skip != null) {
                skip.initialize(manager, dataType, x);
            }
        }
    }
}
