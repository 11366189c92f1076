package io.vcex.core.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import java.util.List;

/**
 * A CLIP-like pair of encoders that put text and images in one embedding space (vcex's MiniCLIP,
 * or a user's). Embeddings are returned unnormalised; cosine similarity is the caller's choice.
 */
public interface TextImageEncoder {

    /** @return name and file hashes for provenance */
    ModelInfo info();

    /** @return the images it reads (values in [0, 1]) */
    ImageSpec imageSpec();

    /** @return the embedding length */
    int embeddingDim();

    /**
     * @param manager scope of the result
     * @param texts prompts; words outside the vocabulary are an error naming the word
     * @return texts.size() x embeddingDim
     */
    NDArray embedText(NDManager manager, List<String> texts);

    /**
     * @param images NCHW batch in [0, 1]
     * @return N x embeddingDim, differentiable with respect to the images
     */
    NDArray embedImage(NDArray images);
}
