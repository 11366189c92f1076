package io.vcex.zoo.models;

import ai.djl.ndarray.NDArray;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.zoo.nn.Net;

/**
 * A zoo network as a white-box classifier: logits of images in [0, 1], differentiable, batch
 * normalisation in inference mode (running statistics).
 */
public final class NetClassifier implements WhiteBoxClassifier, AutoCloseable {
    private final Net net;
    private final ClassifierSpec spec;
    private final ModelInfo info;

    /**
     * @param net the trained network
     * @param spec what it takes and says
     * @param info name and weight hashes
     */
    public NetClassifier(Net net, ClassifierSpec spec, ModelInfo info) {
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

    /** @return the network */
    public Net net() {
        return net;
    }

    @Override
    public NDArray logits(NDArray images) {
        var s = images.getShape();
        var in = spec.input();
        if (s.dimension() != 4 || s.get(1) != in.channels() || s.get(2) != in.height() || s.get(3) != in.width()) {
            throw new VcexException("Classifier '" + spec.name() + "' takes images of " + in
                    + " (N x channels x height x width) but was given " + s);
        }
        return net.forward1(false, images);
    }

    @Override
    public void close() {
        net.close();
    }
}
