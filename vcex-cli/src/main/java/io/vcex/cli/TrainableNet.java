package io.vcex.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.methods.zoom.TrainableClassifier;
import io.vcex.zoo.models.NetClassifier;
import java.util.ArrayList;
import java.util.List;

/**
 * A zoo classifier whose weights (convolution and linear weights and biases, batch-norm scales and
 * shifts; not the running statistics) can be fine-tuned in place, for counterfactual training.
 */
final class TrainableNet implements TrainableClassifier {
    private static final List<Parameter.Type> TUNED = List.of(Parameter.Type.WEIGHT, Parameter.Type.BIAS, Parameter.Type.GAMMA,
            Parameter.Type.BETA);

    private final NetClassifier net;

    private TrainableNet(NetClassifier net) {
        this.net = net;
    }

    /**
     * @param classifier a loaded classifier
     * @return it as a trainable one
     */
    static TrainableNet of(WhiteBoxClassifier classifier) {
        if (classifier instanceof NetClassifier n) {
            return new TrainableNet(n);
        }
        throw new VcexException("Counterfactual training fine-tunes vcex-trained networks (zoo classifiers); '"
                + classifier.spec().name() + "' is a " + classifier.getClass().getSimpleName());
    }

    /** @return the network (to save its weights) */
    NetClassifier net() {
        return net;
    }

    private List<Parameter> tuned() {
        List<Parameter> out = new ArrayList<>();
        for (Pair<String, Parameter> p : net.net().block().getParameters()) {
            if (TUNED.contains(p.getValue().getType())) {
                out.add(p.getValue());
            }
        }
        return out;
    }

    @Override
    public List<NDArray> weights() {
        return tuned().stream().map(Parameter::getArray).toList();
    }

    @Override
    public void trainable(boolean on) {
        for (Parameter p : tuned()) {
            p.freeze(!on);
        }
    }

    @Override
    public ClassifierSpec spec() {
        return net.spec();
    }

    @Override
    public ModelInfo info() {
        return net.info();
    }

    @Override
    public NDArray logits(NDArray images) {
        return net.logits(images);
    }
}
