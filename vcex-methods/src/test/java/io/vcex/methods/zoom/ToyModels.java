package io.vcex.methods.zoom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.generator.StyleCode;
import io.vcex.core.generator.StyleGenerator;
import io.vcex.core.generator.StyleLayer;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.methods.testing.ToyStyleGenerator;
import io.vcex.methods.testing.ToyTextImageEncoder;
import java.util.List;

/** Models with hand-computable behaviour for the ZOOM tests, around the shared toys. */
final class ToyModels {
    static final ImageSpec TOY = new ImageSpec(3, 8, 8);
    /** Templates the toy encoder can read. */
    static final List<String> TEMPLATES = List.of("{}", "a photo of {}");

    private ToyModels() {
    }

    /** A binary classifier of toy images: logit = gain * (mean red - mean blue); classes "blue", "red". */
    static WhiteBoxClassifier redVersusBlue(ImageSpec input, float gain) {
        ClassifierSpec spec = new ClassifierSpec("red-vs-blue", input, List.of("blue", "red"), OutputKind.BINARY_LOGIT);
        return new WhiteBoxClassifier() {
            @Override
            public ClassifierSpec spec() {
                return spec;
            }

            @Override
            public ModelInfo info() {
                return ModelInfo.inMemory("red-vs-blue");
            }

            @Override
            public NDArray logits(NDArray images) {
                long n = images.getShape().get(0);
                NDArray red = images.get(":,0,:,:").reshape(n, -1).mean(new int[] {1});
                NDArray blue = images.get(":,2,:,:").reshape(n, -1).mean(new int[] {1});
                return red.sub(blue).mul(gain).reshape(n, 1);
            }
        };
    }

    /**
     * The toy generator with fixed samples: code j of a draw has every entry +1 (j even) or -1 (j
     * odd), whatever the stream, so per-channel standard deviations are exactly 1 and the
     * relevance can be computed by hand.
     */
    static StyleGenerator fixedSigns() {
        ToyStyleGenerator toy = new ToyStyleGenerator();
        return new StyleGenerator() {
            @Override
            public ModelInfo info() {
                return ModelInfo.inMemory("toy-style");
            }

            @Override
            public ImageSpec imageSpec() {
                return toy.imageSpec();
            }

            @Override
            public List<StyleLayer> styleLayers() {
                return toy.styleLayers();
            }

            @Override
            public int wDim() {
                return 3;
            }

            @Override
            public int numWs() {
                return 2;
            }

            @Override
            public NDArray sampleWPlus(NDManager manager, Rng rng, int count, float truncation) {
                float[] v = new float[count * 6];
                for (int j = 0; j < count; j++) {
                    for (int k = 0; k < 6; k++) {
                        v[j * 6 + k] = j % 2 == 0 ? 1f : -1f;
                    }
                }
                return manager.create(v, new Shape(count, 2, 3));
            }

            @Override
            public StyleCode styles(NDArray wPlus) {
                return toy.styles(wPlus);
            }

            @Override
            public NDArray synthesize(StyleCode styles) {
                return toy.synthesize(styles);
            }

            @Override
            public NDArray encode(NDArray images) {
                return toy.encode(images);
            }
        };
    }

    /** The relevance of the shared toys with the fixed samples: 2 images, k = 5. */
    static RelevanceMatrix fixedRelevance(VcexContext ctx) {
        return ChannelRelevance.compute(ctx, fixedSigns(), new ToyTextImageEncoder(), new RelevanceConfig(2, 5.0, 2, null, 4, 0L));
    }

    /** The relevance of the shared toys with their random samples. */
    static RelevanceMatrix randomRelevance(VcexContext ctx) {
        return ChannelRelevance.compute(ctx, new ToyStyleGenerator(), new ToyTextImageEncoder(),
                new RelevanceConfig(8, 5.0, 64, null, 8, 0L));
    }

    /** A quick ZOOM config for the toys: templates the toy encoder reads, the CLIP term off. */
    static ZoomConfig quick(int samples, int iterations) {
        return ZoomConfig.defaults().withTemplates(TEMPLATES).withSamples(samples).withSteps(iterations, 0.2).withWeights(50, 0);
    }

    /**
     * A trainable toy classifier: logit = a (mean red - 0.5) + b (mean green - 0.5) + c. The truth
     * of the toy world is "red" (mean red above 0.5); b is a spurious reliance on green.
     */
    static final class RedGreen implements TrainableClassifier, AutoCloseable {
        private final NDManager manager;
        private final NDArray a;
        private final NDArray b;
        private final NDArray c;
        private final ClassifierSpec spec = new ClassifierSpec("red-green", TOY, List.of("not red", "red"),
                OutputKind.BINARY_LOGIT);

        RedGreen(NDManager parent, float a, float b) {
            this.manager = parent.newSubManager();
            this.a = manager.create(new float[] {a});
            this.b = manager.create(new float[] {b});
            this.c = manager.create(new float[] {0f});
        }

        float a() {
            return a.getFloat(0);
        }

        float b() {
            return b.getFloat(0);
        }

        @Override
        public ClassifierSpec spec() {
            return spec;
        }

        @Override
        public ModelInfo info() {
            return ModelInfo.inMemory("red-green");
        }

        @Override
        public NDArray logits(NDArray images) {
            long n = images.getShape().get(0);
            NDArray red = images.get(":,0,:,:").reshape(n, -1).mean(new int[] {1}).sub(0.5f);
            NDArray green = images.get(":,1,:,:").reshape(n, -1).mean(new int[] {1}).sub(0.5f);
            return red.mul(a).add(green.mul(b)).add(c).reshape(n, 1);
        }

        @Override
        public List<NDArray> weights() {
            return List.of(a, b, c);
        }

        @Override
        public void trainable(boolean on) {
            for (NDArray p : weights()) {
                p.setRequiresGradient(on);
            }
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
