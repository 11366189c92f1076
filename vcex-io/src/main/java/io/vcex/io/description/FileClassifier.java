package io.vcex.io.description;

import io.vcex.core.classifier.WhiteBoxClassifier;

/**
 * A classifier loaded from files through a {@link ModelDescription}, whatever the format. Its
 * {@link #logits} apply the description's adapter first, so it takes vcex images of the
 * adapter's accepted shape. Closing it frees its weights.
 */
public interface FileClassifier extends WhiteBoxClassifier, AutoCloseable {

    /** @return the description it was loaded from */
    ModelDescription description();

    /** Frees the weights; no engine exception escapes. */
    @Override
    void close();
}
