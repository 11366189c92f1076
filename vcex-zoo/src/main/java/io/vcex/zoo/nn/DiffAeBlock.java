package io.vcex.zoo.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A diffusion autoencoder's two networks in one block, so they train, save and load together
 * (Preechakul et al. 2022): the semantic encoder z_sem = Enc(x_0) and the conditional UNet
 * eps_theta(x_t, t, z_sem). Called with one input (x_0) it encodes; with three (x_t, t, z_sem)
 * it predicts the noise. It is initialised with the shapes (x, t, z_sem).
 */
public final class DiffAeBlock extends AbstractBlock {
    private final Block encoder;
    private final UNet unet;

    /**
     * @param channels image channels
     * @param base UNet width
     * @param mult UNet level multipliers
     * @param encoderBase encoder width
     * @param codeDim length of z_sem
     */
    public DiffAeBlock(int channels, int base, int[] mult, int encoderBase, int codeDim) {
        super((byte) 1);
        encoder = addChildBlock("encoder", SemanticEncoder.of(encoderBase, codeDim));
        unet = addChildBlock("unet", new UNet(channels, base, mult, codeDim));
    }

    /** @return the conditional UNet */
    public UNet unet() {
        return unet;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() == 1) {
            return encoder.forward(ps, inputs, training);
        }
        return unet.forward(ps, inputs, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes.length == 1 ? encoder.getOutputShapes(inputShapes) : new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes[0]);
        unet.initialize(manager, dataType, inputShapes);
    }
}
