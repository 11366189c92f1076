package io.vcex.zoo.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/** Architectures of the zoo, as DJL blocks. */
public final class Blocks {

    private Blocks() {
    }

    /**
     * @param filters output channels
     * @param stride 1 or 2
     * @return conv 3x3 (padding 1, no bias), batch norm, ReLU
     */
    public static Block convBnRelu(int filters, int stride) {
        return new SequentialBlock()
                .add(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optStride(new Shape(stride, stride))
                        .optPadding(new Shape(1, 1)).optBias(false).build())
                .add(BatchNorm.builder().build())
                .add(Activation::relu);
    }

    /**
     * The backbone of the zoo's image networks, for 64x64 inputs: five conv-BN-ReLU layers of
     * widths w, 2w, 2w, 4w, 4w with strides 2, 2, 1, 2, 2 (64 to 4 pixels), then global average
     * pooling to 4w features.
     *
     * @param width w
     * @return the backbone
     */
    public static SequentialBlock backbone(int width) {
        return new SequentialBlock()
                .add(convBnRelu(width, 2))
                .add(convBnRelu(2 * width, 2))
                .add(convBnRelu(2 * width, 1))
                .add(convBnRelu(4 * width, 2))
                .add(convBnRelu(4 * width, 2))
                .add(Pool.globalAvgPool2dBlock());
    }

    /**
     * @param width backbone width w
     * @param outputs logits
     * @return backbone then one linear layer
     */
    public static Block convClassifier(int width, int outputs) {
        return backbone(width).add(Linear.builder().setUnits(outputs).build());
    }
}
