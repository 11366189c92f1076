package io.vcex.io.description;

import io.vcex.core.classifier.BlackBoxClassifier;

/**
 * A classifier loaded through a {@link ModelDescription}, whatever its format: at least a black
 * box (scores only). Formats whose models are differentiable return a {@link FileClassifier},
 * which is also a {@link io.vcex.core.classifier.WhiteBoxClassifier}; a caller that needs
 * gradients tests for that type and must not assume it. Its {@link #scores} apply the
 * description's adapter first, so it takes vcex images of the adapter's accepted shape.
 * Closing it frees what it holds (weights, connections).
 */
public interface DescribedClassifier extends BlackBoxClassifier, AutoCloseable {

    /** @return the description it was loaded from */
    ModelDescription description();

    /** Frees what it holds; no engine or network exception escapes. */
    @Override
    void close();
}
