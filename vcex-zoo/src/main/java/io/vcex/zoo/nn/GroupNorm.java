package io.vcex.zoo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Group normalisation (Wu and He 2018): the channels of each sample are split into G groups, each
 * normalised over its channels and pixels, then scaled and shifted per channel (gamma, beta). The
 * engine has no such block; this one is built from differentiable ops. It behaves the same in
 * training and inference, which the diffusion models need (no batch statistics).
 */
public final class GroupNorm extends AbstractBlock {
    private static final float EPS = 1e-5f;
    private final int groups;
    private final Parameter gamma;
    private final Parameter beta;

    /**
     * @param groups G (the channel count must be a multiple of it)
     * @param channels C
     */
    public GroupNorm(int groups, int channels) {
        super((byte) 1);
        if (groups <= 0 || channels % groups != 0) {
            throw new IllegalArgumentException("GroupNorm: " + channels + " channels cannot form " + groups + " groups");
        }
        this.groups = groups;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).optShape(new Shape(channels)).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).optShape(new Shape(channels)).build());
    }

    /**
     * @param channels C
     * @return a group norm with min(32, C / 4) groups or fewer, dividing C (at least 4 channels a group where possible)
     */
    public static GroupNorm of(int channels) {
        int g = Math.max(1, Math.min(32, channels / 4));
        while (channels % g != 0) {
            g--;
        }
        return new GroupNorm(g, channels);
    }

    /** @return G */
    public int groups() {
        return groups;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        // per group, mean and variance over its channels and pixels: the engine's fused layer norm
        // over the last axis of (N, G, C/G*H*W), with a unit scale and no shift
        long k = s.size() / (n * groups);
        NDArray g = x.reshape(n, groups, k);
        NDArray one = x.getManager().ones(new Shape(k));
        NDArray zero = x.getManager().zeros(new Shape(k));
        NDArray normed = g.getNDArrayInternal().layerNorm(g, new Shape(k), one, zero, EPS).singletonOrThrow().reshape(s);
        Shape perChannel = new Shape(1, c, 1, 1);
        // the reshaped views would belong to the weights' scope, which lives as long as the network:
        // they go to the input's scope, which closes after the step
        NDArray scale = ps.getValue(gamma, x.getDevice(), training).reshape(perChannel);
        scale.attach(x.getManager());
        NDArray shift = ps.getValue(beta, x.getDevice(), training).reshape(perChannel);
        shift.attach(x.getManager());
        return new NDList(normed.mul(scale).add(shift));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
