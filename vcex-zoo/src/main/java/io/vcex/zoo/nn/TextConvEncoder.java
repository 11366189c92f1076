package io.vcex.zoo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * MiniCLIP's text encoder: word ids to one embedding, order-aware.
 *
 * <p>Input: an N x L tensor of word ids (int64), 0 meaning padding. Steps:
 * <ol>
 *   <li>one-hot over the vocabulary, padding rows set to zero, then a linear map without bias: a
 *       word embedding table (padding embeds to exactly zero), written this way so that no engine
 *       vocabulary class is needed;</li>
 *   <li>two 1-D convolutions over word positions (kernel 3, padding 1, ReLU), the first one's output
 *       zeroed at padding positions;</li>
 *   <li>max-pooling over positions, padding excluded by adding a large negative number there;</li>
 *   <li>a linear map to the embedding size.</li>
 * </ol>
 *
 * <p>Why convolutions rather than a bag of words or a transformer: in faces-world captions every
 * negation and every colour-noun binding is a local phrase of at most three words ("without a
 * hat", "with no glasses", "green hair", "wearing purple lipstick"), and two kernel-3 layers see
 * five consecutive words, so "with glasses and without a hat" and "without glasses and with a hat"
 * give different features while the phrase order of the caption (which the captioner shuffles)
 * matters little after the max-pool. A bag of words could not tell those two apart; a transformer
 * would be larger and slower to train on two cores for no gain on captions this regular.
 *
 * <p>Because padding embeds to zero and the first layer's output is zeroed there, padding after a
 * text acts exactly like the convolution's own zero padding: a text's embedding does not depend
 * on how long the other texts of its batch are.
 */
public final class TextConvEncoder extends AbstractBlock {
    private static final byte VERSION = 1;
    /** Subtracted at padding positions before the max-pool (features are ReLU outputs, so at least 0). */
    private static final float PADDING_PENALTY = 1e4f;

    private final int vocabularySize;
    private final int channels;
    private final Linear embed;
    private final Conv1d conv1;
    private final Conv1d conv2;
    private final Linear project;

    /**
     * @param vocabularySize number of word ids, padding included
     * @param tokenDim word embedding size (64 in MiniCLIP)
     * @param channels convolution channels (128)
     * @param outputDim embedding size (128)
     */
    public TextConvEncoder(int vocabularySize, int tokenDim, int channels, int outputDim) {
        super(VERSION);
        this.vocabularySize = vocabularySize;
        this.channels = channels;
        this.embed = addChildBlock("embed", Linear.builder().setUnits(tokenDim).optBias(false).build());
        this.conv1 = addChildBlock("conv1", Conv1d.builder().setFilters(channels).setKernelShape(new Shape(3))
                .optPadding(new Shape(1)).build());
        this.conv2 = addChildBlock("conv2", Conv1d.builder().setFilters(channels).setKernelShape(new Shape(3))
                .optPadding(new Shape(1)).build());
        this.project = addChildBlock("project", Linear.builder().setUnits(outputDim).build());
    }

    /** @return number of word ids, padding included */
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        NDArray mask = ids.gt(0).toType(DataType.FLOAT32, false); // N x L, 1 on words
        NDArray oneHot = ids.oneHot(vocabularySize).mul(mask.expandDims(2)); // N x L x V, padding rows 0
        NDArray e = embed.forward(ps, new NDList(oneHot), training).singletonOrThrow().transpose(0, 2, 1); // N x D x L
        NDArray positions = mask.expandDims(1); // N x 1 x L
        NDArray h = Activation.relu(conv1.forward(ps, new NDList(e), training).singletonOrThrow()).mul(positions);
        h = Activation.relu(conv2.forward(ps, new NDList(h), training).singletonOrThrow());
        NDArray pooled = h.add(positions.sub(1f).mul(PADDING_PENALTY)).max(new int[] {2}); // N x C
        return project.forward(ps, new NDList(pooled), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return project.getOutputShapes(new Shape[] {new Shape(inputs[0].get(0), channels)});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        long length = inputShapes[0].get(1);
        embed.initialize(manager, dataType, new Shape(n, length, vocabularySize));
        Shape e = embed.getOutputShapes(new Shape[] {new Shape(n, length, vocabularySize)})[0];
        Shape conv1In = new Shape(n, e.get(2), length);
        conv1.initialize(manager, dataType, conv1In);
        Shape h = conv1.getOutputShapes(new Shape[] {conv1In})[0];
        conv2.initialize(manager, dataType, h);
        project.initialize(manager, dataType, new Shape(n, channels));
    }
}
