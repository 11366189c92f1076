package io.vcex.methods.zoom;

import ai.djl.ndarray.NDArray;
import io.vcex.core.classifier.WhiteBoxClassifier;
import java.util.List;

/**
 * A white-box classifier whose weights can be fine-tuned in place, as counterfactual training
 * needs. Its {@link #logits} stay in inference mode (batch statistics frozen); only the weights
 * listed here change.
 */
public interface TrainableClassifier extends WhiteBoxClassifier {

    /** @return the weight arrays fine-tuning updates in place (running statistics excluded) */
    List<NDArray> weights();

    /** @param on true: the weights record gradients; false: frozen again (gradients reach inputs only) */
    void trainable(boolean on);
}
