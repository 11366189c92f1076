package io.vcex.core.classifier;

import ai.djl.ndarray.NDArray;
import io.vcex.core.provenance.ModelInfo;

/**
 * A classifier reached only through its answers: a batch of images in, scores out as Java
 * arrays. No gradient is reachable through this type; methods that must be black-box (GCD) take
 * only this type, and {@link #opaque(BlackBoxClassifier)} hides any richer implementation.
 */
public interface BlackBoxClassifier {

    /** @return input shape, class names, output kind */
    ClassifierSpec spec();

    /** @return name and file hashes for provenance */
    ModelInfo info();

    /**
     * @param images NCHW batch in [0, 1] of the spec's shape; not modified
     * @return one row of scores per image
     */
    Scores scores(NDArray images);

    /**
     * @param classifier any classifier
     * @return a view that is only a black box (never an instance of {@link WhiteBoxClassifier})
     */
    static BlackBoxClassifier opaque(BlackBoxClassifier classifier) {
        return new BlackBoxClassifier() {
            @Override
            public ClassifierSpec spec() {
                return classifier.spec();
            }

            @Override
            public ModelInfo info() {
                return classifier.info();
            }

            @Override
            public Scores scores(NDArray images) {
                return classifier.scores(images);
            }
        };
    }
}
