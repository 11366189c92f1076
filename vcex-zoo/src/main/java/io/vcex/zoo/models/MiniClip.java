package io.vcex.zoo.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.vcex.core.VcexException;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.text.TextImageEncoder;
import io.vcex.zoo.nn.MiniClipBlock;
import io.vcex.zoo.nn.Net;
import io.vcex.zoo.text.CaptionTokenizer;
import java.util.List;

/**
 * MiniCLIP: a small CLIP (Radford et al. 2021) trained contrastively on faces-world images and
 * captions, as a {@link TextImageEncoder}. It knows only the words of faces-world captions (an
 * unknown word is an error naming it) and reads 3 x 64 x 64 images in [0, 1].
 *
 * <p>Inference runs the image backbone's batch normalisation on its running statistics. The
 * network is used as given: the zoo's recipe freezes it after loading ({@link Net#freeze()}), so
 * gradients of {@link #embedImage} flow to the images only.
 */
public final class MiniClip implements TextImageEncoder, AutoCloseable {
    /** What MiniCLIP reads. */
    public static final ImageSpec IMAGE_SPEC = new ImageSpec(3, 64, 64);

    private final Net net;
    private final MiniClipBlock block;
    private final CaptionTokenizer tokenizer;
    private final ModelInfo info;
    private final int embeddingDim;
    private final ParameterStore store;

    /**
     * @param net a network whose block is a {@link MiniClipBlock} (after any weight loading: the
     *     parameter arrays are read from here on)
     * @param tokenizer the tokeniser it was trained with
     * @param embeddingDim the joint embedding size
     * @param info name and weight hashes
     */
    public MiniClip(Net net, CaptionTokenizer tokenizer, int embeddingDim, ModelInfo info) {
        if (!(net.block() instanceof MiniClipBlock b)) {
            throw new IllegalArgumentException("MiniClip needs a MiniClipBlock network, not " + net.block().getClass());
        }
        this.net = net;
        this.block = b;
        this.tokenizer = tokenizer;
        this.embeddingDim = embeddingDim;
        this.info = info;
        this.store = new ParameterStore(net.manager(), false);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public ImageSpec imageSpec() {
        return IMAGE_SPEC;
    }

    @Override
    public int embeddingDim() {
        return embeddingDim;
    }

    /** @return the tokeniser (its vocabulary lists every word MiniCLIP knows) */
    public CaptionTokenizer tokenizer() {
        return tokenizer;
    }

    /** @return the network */
    public Net net() {
        return net;
    }

    /** @return the learned logit scale exp(min(t, log 100)): cosine similarities times this are CLIP's logits */
    public float logitScale() {
        return (float) Math.exp(Math.min(block.logScaleValue(), MiniClipBlock.MAX_LOG_SCALE));
    }

    /**
     * @param manager scope of the result (intermediate arrays are freed before returning)
     * @param texts prompts over MiniCLIP's vocabulary
     * @return texts.size() x embeddingDim, unnormalised
     */
    @Override
    public NDArray embedText(NDManager manager, List<String> texts) {
        if (texts.isEmpty()) {
            return manager.zeros(new Shape(0, embeddingDim));
        }
        int[][] ids = tokenizer.encode(texts);
        try (NDManager scope = manager.newSubManager()) {
            NDArray e = block.embedText(store, wordIds(scope, ids), false);
            e.attach(manager);
            return e;
        }
    }

    /**
     * @param manager scope of the result
     * @param rows word ids, one padded row per text (from {@link CaptionTokenizer#encode(List)})
     * @return the rows as an N x L int64 tensor, the text encoder's input
     */
    public static NDArray wordIds(NDManager manager, int[][] rows) {
        int length = rows.length == 0 ? 0 : rows[0].length;
        long[] flat = new long[rows.length * length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < length; j++) {
                flat[i * length + j] = rows[i][j];
            }
        }
        return manager.create(flat, new Shape(rows.length, length));
    }

    /**
     * @param images N x 3 x 64 x 64 in [0, 1]
     * @return N x embeddingDim, unnormalised, differentiable with respect to the images (the result
     *     and the intermediates live in the images' scope)
     */
    @Override
    public NDArray embedImage(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != IMAGE_SPEC.channels() || s.get(2) != IMAGE_SPEC.height()
                || s.get(3) != IMAGE_SPEC.width()) {
            throw new VcexException("MiniCLIP takes images of " + IMAGE_SPEC
                    + " (N x channels x height x width, values in [0, 1]) but was given " + s);
        }
        return block.embedImage(store, images, false);
    }

    /**
     * CLIP's symmetric InfoNCE loss (Radford et al. 2021, figure 3): with unit vectors
     * {@code i_a = I_a / |I_a|}, {@code t_b = T_b / |T_b|} and logits {@code L_ab = s i_a . t_b},
     * the mean of the cross-entropy of each image over the batch's texts (rows, target the
     * diagonal) and of each text over the batch's images (columns):
     * {@code -1/(2N) sum_a [log softmax_b(L_ab)|_{b=a} + log softmax_b(L_ba)|_{b=a}]}.
     *
     * @param imageEmbeddings N x E, row a is image a
     * @param textEmbeddings N x E, row a is the caption of image a
     * @param logitScale s, one element
     * @return the loss, one element, in the image embeddings' scope
     */
    public static NDArray contrastiveLoss(NDArray imageEmbeddings, NDArray textEmbeddings, NDArray logitScale) {
        Shape si = imageEmbeddings.getShape();
        Shape st = textEmbeddings.getShape();
        if (si.dimension() != 2 || !si.equals(st)) {
            throw new VcexException("The contrastive loss needs image and text embeddings of the same shape N x E, got "
                    + si + " and " + st);
        }
        int n = Math.toIntExact(si.get(0));
        NDArray logits = unit(imageEmbeddings).matMul(unit(textEmbeddings).transpose()).mul(logitScale);
        NDArray diagonal = imageEmbeddings.getManager().eye(n);
        NDArray imageToText = logits.logSoftmax(1).mul(diagonal).sum();
        NDArray textToImage = logits.logSoftmax(0).mul(diagonal).sum();
        return imageToText.add(textToImage).div(-2f * n);
    }

    /**
     * @param x N x E
     * @return each row divided by its length (rows of length 0 stay 0)
     */
    public static NDArray unit(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).sqrt().maximum(1e-12f));
    }

    @Override
    public void close() {
        net.close();
    }
}
