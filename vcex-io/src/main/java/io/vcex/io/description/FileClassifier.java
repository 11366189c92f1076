package io.vcex.io.description;

import io.vcex.core.classifier.WhiteBoxClassifier;

/**
 * A white-box classifier loaded from files through a {@link ModelDescription} (TensorFlow.js
 * graph models and TorchScript modules). Its {@link #logits} apply the description's adapter
 * first, so it takes vcex images of the adapter's accepted shape. Closing it frees its weights.
 */
public interface FileClassifier extends DescribedClassifier, WhiteBoxClassifier {
}
