package io.vcex.zoo.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.vcex.core.VcexException;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.zoo.nn.Net;

/**
 * vcex's feature network, for realism and perceptual metrics: pooled features for Frechet
 * distances (FID-like), a perceptual distance from normalised multi-layer features (LPIPS-like),
 * and an identity embedding for face similarity. It is not one of the explained classifiers, it is
 * not the published Inception or LPIPS, and its figures are comparable within vcex only.
 */
public final class FeatureNet implements ImageFeatures, AutoCloseable {
    /** Stages of the backbone: the forward pass returns 5 stages, the pooled features, the embedding. */
    private static final int STAGES = 5;
    private final Net net;
    private final ModelInfo info;

    /**
     * @param net the trained network over a {@link io.vcex.zoo.nn.FeatureBlock}
     * @param info name and weight hashes
     */
    public FeatureNet(Net net, ModelInfo info) {
        this.net = net;
        this.info = info;
    }

    /** @return the network */
    public Net net() {
        return net;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public ImageSpec imageSpec() {
        return new ImageSpec(3, 64, 64);
    }

    private NDList all(NDArray images) {
        var s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != 64 || s.get(3) != 64) {
            throw new VcexException("The feature network takes images of 3x64x64 (N x channels x height x width) but was "
                    + "given " + s + "; resize or convert them first");
        }
        return net.forward(false, images);
    }

    /**
     * @param images NCHW in [0, 1]
     * @return pooled last-stage features (N x 4w), for Frechet distances
     */
    @Override
    public NDArray poolFeatures(NDArray images) {
        return all(images).get(STAGES);
    }

    /**
     * @param images NCHW in [0, 1]
     * @return the identity embedding, unit length (N x d)
     */
    @Override
    public NDArray identity(NDArray images) {
        NDArray e = all(images).get(STAGES + 1);
        return e.div(e.norm(new int[] {1}, true).add(1e-12f));
    }

    /**
     * LPIPS-like distance (after Zhang et al. 2018, without learned layer weights): for every
     * stage, unit-normalise each position's channel vector, take the squared difference summed over
     * channels and averaged over positions; sum over the five stages. Differentiable.
     *
     * @param a NCHW in [0, 1]
     * @param b NCHW in [0, 1], same shape
     * @return per-image distances (N)
     */
    @Override
    public NDArray perceptualDistance(NDArray a, NDArray b) {
        return stageDistance(all(a), all(b), STAGES);
    }

    /**
     * @param fa the first images' stage features
     * @param fb the second images' stage features
     * @param stages how many leading entries are stages
     * @return per-image sums over stages of the position-averaged squared differences of unit
     *     channel vectors
     */
    static NDArray stageDistance(NDList fa, NDList fb, int stages) {
        NDArray total = null;
        for (int s = 0; s < stages; s++) {
            NDArray x = unit(fa.get(s));
            NDArray y = unit(fb.get(s));
            NDArray d = x.sub(y).square().sum(new int[] {1}).mean(new int[] {2}).mean(new int[] {1});
            total = total == null ? d : total.add(d);
        }
        return total;
    }

    private static NDArray unit(NDArray f) {
        return f.div(f.square().sum(new int[] {1}, true).sqrt().add(1e-10f));
    }

    @Override
    public void close() {
        net.close();
    }
}
