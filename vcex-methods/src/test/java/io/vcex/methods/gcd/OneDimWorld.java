package io.vcex.methods.gcd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.classifier.Scores;
import io.vcex.core.generator.LatentGenerator;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import java.util.List;

/**
 * A one-number world for hand-checked answers: a code z decodes to a 1x2x2 image whose four
 * pixels are sigmoid(z); the classifier's p(class 1) is the mean pixel (its logit is z).
 */
final class OneDimWorld {
    static final ImageSpec SPEC = new ImageSpec(1, 2, 2);

    private OneDimWorld() {
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    static LatentGenerator generator() {
        return new LatentGenerator() {
            @Override
            public ModelInfo info() {
                return ModelInfo.inMemory("sigmoid");
            }

            @Override
            public ImageSpec imageSpec() {
                return SPEC;
            }

            @Override
            public Shape latentShape() {
                return new Shape(1);
            }

            @Override
            public NDArray encode(NDArray images) {
                NDArray m = images.mean(new int[] {1, 2, 3});
                return m.div(m.neg().add(1f)).log().reshape(-1, 1);
            }

            @Override
            public NDArray decode(NDArray latents) {
                long n = latents.getShape().get(0);
                return ai.djl.nn.Activation.sigmoid(latents).reshape(n, 1, 1, 1).repeat(2, 2).repeat(3, 2);
            }
        };
    }

    static BlackBoxClassifier classifier() {
        return new BlackBoxClassifier() {
            @Override
            public ClassifierSpec spec() {
                return new ClassifierSpec("mean-pixel", SPEC, List.of("dark", "bright"), OutputKind.BINARY_LOGIT);
            }

            @Override
            public ModelInfo info() {
                return ModelInfo.inMemory("mean-pixel");
            }

            @Override
            public Scores scores(NDArray images) {
                int n = (int) images.getShape().get(0);
                float[] px = images.toFloatArray();
                float[][] raw = new float[n][1];
                for (int i = 0; i < n; i++) {
                    double m = 0;
                    for (int p = 0; p < 4; p++) {
                        m += px[i * 4 + p];
                    }
                    m = Math.min(1 - 1e-7, Math.max(1e-7, m / 4));
                    raw[i][0] = (float) Math.log(m / (1 - m));
                }
                return Scores.fromRaw(OutputKind.BINARY_LOGIT, raw);
            }
        };
    }
}
