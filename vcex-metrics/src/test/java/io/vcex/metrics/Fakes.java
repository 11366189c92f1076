package io.vcex.metrics;

import ai.djl.ndarray.NDArray;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import java.util.List;

/** Small models whose outputs can be worked out by hand. */
final class Fakes {

    private Fakes() {
    }

    /** A 1x2x2 grey image with the given pixels. */
    static ImageData img(float a, float b, float c, float d) {
        return new ImageData(1, 2, 2, new float[] {a, b, c, d});
    }

    /** Binary classifier on 1x2x2 images: logit = 10 * (sum of pixels - 2). */
    static WhiteBoxClassifier brightness() {
        return new WhiteBoxClassifier() {
            @Override
            public ClassifierSpec spec() {
                return new ClassifierSpec("brightness", new ImageSpec(1, 2, 2), List.of("dark", "bright"), OutputKind.BINARY_LOGIT);
            }

            @Override
            public ModelInfo info() {
                return ModelInfo.inMemory("brightness");
            }

            @Override
            public NDArray logits(NDArray images) {
                return images.sum(new int[] {1, 2, 3}).sub(2f).mul(10f).reshape(-1, 1);
            }
        };
    }

    /** Oracle on 1x2x2 images: attribute k ("a0".."a3") is pixel k, as a logit 20 * (p - 0.5). */
    static WhiteBoxClassifier pixelOracle() {
        return new WhiteBoxClassifier() {
            @Override
            public ClassifierSpec spec() {
                return new ClassifierSpec("pixels", new ImageSpec(1, 2, 2), List.of("a0", "a1", "a2", "a3"),
                        OutputKind.MULTI_LABEL);
            }

            @Override
            public ModelInfo info() {
                return ModelInfo.inMemory("pixels");
            }

            @Override
            public NDArray logits(NDArray images) {
                return images.reshape(-1, 4).sub(0.5f).mul(20f);
            }
        };
    }

    /** Features: the flattened image; identity: its unit vector; perceptual distance: mean squared difference. */
    static ImageFeatures flat() {
        return new ImageFeatures() {
            @Override
            public ModelInfo info() {
                return ModelInfo.inMemory("flat");
            }

            @Override
            public ImageSpec imageSpec() {
                return new ImageSpec(1, 2, 2);
            }

            @Override
            public NDArray poolFeatures(NDArray images) {
                return images.reshape(-1, 4);
            }

            @Override
            public NDArray perceptualDistance(NDArray a, NDArray b) {
                return a.sub(b).square().reshape(-1, 4).mean(new int[] {1});
            }

            @Override
            public NDArray identity(NDArray images) {
                NDArray f = images.reshape(-1, 4);
                return f.div(f.norm(new int[] {1}, true).add(1e-12f));
            }
        };
    }
}
