package io.vcex.zoo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The zoo's backbone with every stage exposed: five conv-BN-ReLU stages (widths w, 2w, 2w, 4w,
 * 4w; strides 2, 2, 1, 2, 2), their global average pool, and a linear head. The forward pass
 * returns all of them: {@code [stage1..stage5, pooled, head]}.
 */
public final class FeatureBlock extends AbstractBlock {
    private static final int[] MULT = {1, 2, 2, 4, 4};
    private static final int[] STRIDE = {2, 2, 1, 2, 2};
    private final List<Block> stages = new ArrayList<>();
    private final Block head;
    private final int width;
    private final int headDim;

    /**
     * @param width w
     * @param headDim output size of the linear head
     */
    public FeatureBlock(int width, int headDim) {
        super((byte) 1);
        this.width = width;
        this.headDim = headDim;
        for (int i = 0; i < MULT.length; i++) {
            stages.add(addChildBlock("stage" + (i + 1), Blocks.convBnRelu(MULT[i] * width, STRIDE[i])));
        }
        head = addChildBlock("head", Linear.builder().setUnits(headDim).build());
    }

    /** @return channels of each stage */
    public int[] stageChannels() {
        int[] c = new int[MULT.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = MULT[i] * width;
        }
        return c;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList out = new NDList();
        NDArray x = inputs.singletonOrThrow();
        for (Block s : stages) {
            x = s.forward(ps, new NDList(x), training).singletonOrThrow();
            out.add(x);
        }
        NDArray pooled = x.mean(new int[] {3}).mean(new int[] {2}); // the engine reduces one axis at a time
        out.add(pooled);
        out.add(head.forward(ps, new NDList(pooled), training).singletonOrThrow());
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        long n = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        List<Shape> out = new ArrayList<>();
        for (int i = 0; i < MULT.length; i++) {
            h = (h + STRIDE[i] - 1) / STRIDE[i];
            w = (w + STRIDE[i] - 1) / STRIDE[i];
            out.add(new Shape(n, MULT[i] * width, h, w));
        }
        out.add(new Shape(n, 4L * width));
        out.add(new Shape(n, headDim));
        return out.toArray(new Shape[0]);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        for (Block b : stages) {
            b.initialize(manager, dataType, s);
            s = b.getOutputShapes(new Shape[] {s})[0];
        }
        head.initialize(manager, dataType, new Shape(s.get(0), s.get(1)));
    }
}
