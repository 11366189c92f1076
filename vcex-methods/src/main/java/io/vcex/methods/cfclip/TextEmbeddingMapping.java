package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.context.Rng;

/**
 * CF-CLIP's text embedding mapping, TEM (sec. 4.3): the target text's CLIP embedding e^t goes
 * through one mapping network per W+ row, M_e = (M_e^1(e^t), ..., M_e^L(e^t)) (eq. 8), each of
 * {@code depth} fully connected layers with the learning-rate multiplier; each row's projection is
 * concatenated with that row of w and one fully connected layer M_f, shared by the rows, fuses
 * them: e^f = M_f(M_e(e^t) (+) w) (eq. 9). The fusing layer has no activation (the paper calls it
 * "a fully-connected layer") and the same multiplier: at the paper's learning rate of 0.5 a layer
 * without it would take steps as large as its weights. The L text mappers are independent networks
 * held as one stacked network (one batched product per layer instead of L).
 */
final class TextEmbeddingMapping {
    private final MappingNetwork textMappers;
    private final EqualLinear fuse;
    private final int embeddingDim;
    private final int numWs;

    /**
     * @param params where the weights are created
     * @param numWs L, one text mapper per row
     * @param wDim the length of a row of W+
     * @param embeddingDim the CLIP embedding length
     * @param depth layers per text mapper (4)
     * @param lrMultiplier the equalised learning-rate multiplier (0.01)
     * @param rng draws the weights
     */
    TextEmbeddingMapping(Params params, int numWs, int wDim, int embeddingDim, int depth, float lrMultiplier, Rng rng) {
        this.textMappers = new MappingNetwork(params, "tem.text", numWs, embeddingDim, wDim, depth, lrMultiplier, false,
                rng.derive("text"));
        this.fuse = new EqualLinear(params, "tem.fuse", 0, 2 * wDim, wDim, lrMultiplier, false, false, rng.derive("fuse"));
        this.embeddingDim = embeddingDim;
        this.numWs = numWs;
    }

    /**
     * @param w N x L x D
     * @param textEmbedding e^t, the raw CLIP embedding of the target text
     * @return e^f, N x L x D, in w's scope
     */
    NDArray forward(NDArray w, float[] textEmbedding) {
        Shape s = w.getShape();
        long n = s.get(0);
        long rows = s.get(1);
        long d = s.get(2);
        float[] copies = new float[numWs * embeddingDim];
        for (int i = 0; i < numWs; i++) {
            System.arraycopy(textEmbedding, 0, copies, i * embeddingDim, embeddingDim);
        }
        NDArray e = w.getManager().create(copies, new Shape(numWs, 1, embeddingDim)); // e^t for each of the L mappers
        NDArray projected = textMappers.forward(e); // M_e^i(e^t) for i = 1..L: L x 1 x D (eq. 8)
        NDArray me = projected.reshape(1, rows, d).broadcast(new Shape(n, rows, d)); // M_e(e^t) for every code
        NDArray joined = me.concat(w, 2).reshape(n * rows, 2 * d); // M_e(e^t) (+) w, one row at a time
        return fuse.forward(joined).reshape(n, rows, d);
    }
}
