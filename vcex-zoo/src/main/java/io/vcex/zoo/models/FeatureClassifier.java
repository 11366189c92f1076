package io.vcex.zoo.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.zoo.nn.FeatureBlock;
import io.vcex.zoo.nn.Net;

/**
 * A classifier over the zoo's backbone with every stage exposed ({@link FeatureBlock}: five
 * conv-BN-ReLU stages, their global average pool, a linear head with one logit per class), so it
 * serves as a classifier and as a feature network: its pooled features for Frechet distances, an
 * LPIPS-like distance from its normalised stage activations (as {@link FeatureNet}'s), and its
 * unit-length pooled features as the "identity" embedding. Images in [0, 1] of the spec's input.
 *
 * <p>vcex trains such classifiers for data sets other than the faces world ({@code vcex train
 * classifier}, and the zoo's {@code mnist-net}, which measures the MNIST generators); their feature
 * figures are comparable within one model only.
 */
public final class FeatureClassifier implements WhiteBoxClassifier, ImageFeatures, AutoCloseable {
    private static final int STAGES = 5;
    private final Net net;
    private final ClassifierSpec spec;
    private final ModelInfo info;

    /**
     * @param net a network over a {@link FeatureBlock} whose head has one output per class
     * @param spec what it takes and says
     * @param info name and weight hashes
     */
    public FeatureClassifier(Net net, ClassifierSpec spec, ModelInfo info) {
        if (!(net.block() instanceof FeatureBlock)) {
            throw new IllegalArgumentException("a FeatureClassifier needs a FeatureBlock network");
        }
        this.net = net;
        this.spec = spec;
        this.info = info;
    }

    @Override
    public ClassifierSpec spec() {
        return spec;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public ImageSpec imageSpec() {
        return spec.input();
    }

    /** @return the network */
    public Net net() {
        return net;
    }

    private NDList all(NDArray images) {
        var s = images.getShape();
        ImageSpec in = spec.input();
        if (s.dimension() != 4 || s.get(1) != in.channels() || s.get(2) != in.height() || s.get(3) != in.width()) {
            throw new VcexException("Model '" + spec.name() + "' takes images of " + in
                    + " (N x channels x height x width) but was given " + s);
        }
        return net.forward(false, images);
    }

    @Override
    public NDArray logits(NDArray images) {
        return all(images).get(STAGES + 1);
    }

    /**
     * @param images NCHW in [0, 1]
     * @return the pooled last-stage features (N x 4w), for Frechet distances
     */
    @Override
    public NDArray poolFeatures(NDArray images) {
        return all(images).get(STAGES);
    }

    /**
     * @param images NCHW in [0, 1]
     * @return the pooled features scaled to unit length
     */
    @Override
    public NDArray identity(NDArray images) {
        NDArray e = poolFeatures(images);
        return e.div(e.norm(new int[] {1}, true).add(1e-12f));
    }

    /**
     * The LPIPS-like distance of {@link FeatureNet#perceptualDistance}: per stage, unit-normalised
     * channel vectors, squared differences summed over channels and averaged over positions, summed
     * over the five stages. Differentiable.
     */
    @Override
    public NDArray perceptualDistance(NDArray a, NDArray b) {
        return FeatureNet.stageDistance(all(a), all(b), STAGES);
    }

    @Override
    public void close() {
        net.close();
    }
}
