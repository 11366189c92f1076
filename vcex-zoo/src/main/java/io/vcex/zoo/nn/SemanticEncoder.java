package io.vcex.zoo.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The semantic encoder Enc_phi of a diffusion autoencoder (Preechakul et al. 2022, sec. 3.1): an
 * image to a flat code z_sem. Here a small conv net: conv-GN-SiLU stages of widths b, 2b, 4b, 4b
 * (strides 1, 2, 2, 2), global average pooling, and a linear map to z_sem. Trained jointly with the
 * conditional denoiser, it has no loss of its own: z_sem holds what helps denoising most, the
 * image's semantics.
 */
public final class SemanticEncoder {

    private SemanticEncoder() {
    }

    /**
     * @param base width b
     * @param codeDim length of z_sem
     * @return the encoder (input N x C x H x W in [-1, 1], output N x codeDim)
     */
    public static Block of(int base, int codeDim) {
        SequentialBlock b = new SequentialBlock();
        int[] widths = {base, 2 * base, 4 * base, 4 * base};
        int[] strides = {1, 2, 2, 2};
        for (int i = 0; i < widths.length; i++) {
            b.add(Conv2d.builder().setFilters(widths[i]).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                    .optStride(new Shape(strides[i], strides[i])).build());
            b.add(GroupNorm.of(widths[i]));
            b.add(new LambdaBlock(x -> new ai.djl.ndarray.NDList(UNet.silu(x.singletonOrThrow()))));
        }
        return b.add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(codeDim).build());
    }
}
