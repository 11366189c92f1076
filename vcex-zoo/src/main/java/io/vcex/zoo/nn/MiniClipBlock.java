package io.vcex.zoo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * MiniCLIP's network as one block, so that one weights file holds everything: an image encoder
 * ({@link Blocks#backbone} then a linear map to the embedding), a {@link TextConvEncoder}, and
 * the learnable temperature of CLIP (Radford et al. 2021, "Learning Transferable Visual Models
 * From Natural Language Supervision", section 2.5): a scalar log-scale {@code t} initialised to
 * log(1 / 0.07), used as logit scale {@code exp(min(t, log 100))}.
 *
 * <p>{@link #forward} takes (images N x 3 x 64 x 64, word ids M x L) and returns (image
 * embeddings N x E, text embeddings M x E, logit scale of shape (1)), all unnormalised except the
 * scale; {@link #embedImage} and {@link #embedText} run one side alone.
 *
 * <p>The log-scale is a parameter of type {@code OTHER}, so {@link Net}'s Kaiming
 * re-initialisation (of {@code WEIGHT} parameters) leaves it at its initial value, and
 * {@link #saveParameters} writes it with the weights.
 */
public final class MiniClipBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    /** log(1 / 0.07): CLIP's initial temperature 0.07. */
    public static final float INITIAL_LOG_SCALE = (float) Math.log(1 / 0.07);
    /** log(100): CLIP clips the logit scale at 100 to keep training stable. */
    public static final float MAX_LOG_SCALE = (float) Math.log(100);

    private final Block image;
    private final TextConvEncoder text;
    private final Parameter logScale;

    /**
     * @param width image backbone width w
     * @param vocabularySize number of word ids, padding included
     * @param tokenDim word embedding size
     * @param textChannels text convolution channels
     * @param embeddingDim joint embedding size
     */
    public MiniClipBlock(int width, int vocabularySize, int tokenDim, int textChannels, int embeddingDim) {
        super(VERSION);
        this.image = addChildBlock("image", Blocks.backbone(width).add(Linear.builder().setUnits(embeddingDim).build()));
        this.text = addChildBlock("text", new TextConvEncoder(vocabularySize, tokenDim, textChannels, embeddingDim));
        this.logScale = addParameter(Parameter.builder().setName("log_logit_scale").setType(Parameter.Type.OTHER)
                .optShape(new Shape(1)).optInitializer((m, shape, type) -> m.full(shape, INITIAL_LOG_SCALE, type))
                .build());
    }

    /**
     * @param ps the parameter store
     * @param images N x 3 x 64 x 64
     * @param training batch statistics (true) or running statistics (false)
     * @return N x E image embeddings, in the images' scope
     */
    public NDArray embedImage(ParameterStore ps, NDArray images, boolean training) {
        return image.forward(ps, new NDList(images), training).singletonOrThrow();
    }

    /**
     * @param ps the parameter store
     * @param ids M x L word ids (int64), 0 for padding
     * @param training training mode
     * @return M x E text embeddings, in the ids' scope
     */
    public NDArray embedText(ParameterStore ps, NDArray ids, boolean training) {
        return text.forward(ps, new NDList(ids), training).singletonOrThrow();
    }

    /**
     * @param ps the parameter store
     * @param scope where the result goes (the step's scope; the parameter itself lives longer)
     * @param training training mode
     * @return exp(min(t, log 100)), shape (1), differentiable with respect to t
     */
    public NDArray logitScale(ParameterStore ps, NDManager scope, boolean training) {
        NDArray t = ps.getValue(logScale, scope.getDevice(), training);
        // the constant comes first, so the result lands in the caller's scope, not the weights'
        return scope.create(new float[] {MAX_LOG_SCALE}).minimum(t).exp();
    }

    /** @return the current log-scale t (before clipping) */
    public float logScaleValue() {
        return logScale.getArray().getFloat();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray images = inputs.get(0);
        NDArray ids = inputs.get(1);
        return new NDList(embedImage(ps, images, training), embedText(ps, ids, training),
                logitScale(ps, images.getManager(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {image.getOutputShapes(new Shape[] {inputs[0]})[0],
                text.getOutputShapes(new Shape[] {inputs[1]})[0], new Shape(1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        image.initialize(manager, dataType, inputShapes[0]);
        text.initialize(manager, dataType, inputShapes[1]);
    }
}
