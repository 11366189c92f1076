package io.vcex.methods.gcd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.classifier.Scores;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.Rng;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.generator.LatentGenerator;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A small world with known answers: codes of length {@link #DIM} decode to 3x4x4 images through
 * pixel = sigmoid(A z) (A fixed, seeded), and a black-box classifier whose logit is a fixed linear
 * read-out of the pixels that follows z_0, so the direction that flips it is known: -e_0 for a
 * positive source, +e_0 for a negative one.
 */
final class SyntheticWorld {
    static final int DIM = 6;
    static final ImageSpec SPEC = new ImageSpec(3, 4, 4);
    static final int PIXELS = 48;

    final double[][] a = new double[PIXELS][DIM];
    final double[] readout = new double[PIXELS];
    final double[][] pinv;

    SyntheticWorld(long seed) {
        Rng r = new Rng(seed);
        for (int p = 0; p < PIXELS; p++) {
            for (int j = 0; j < DIM; j++) {
                a[p][j] = r.nextGaussian() * 0.6;
            }
            a[p][0] = 1.0 + 0.2 * r.nextGaussian(); // every pixel brightens with z_0
            readout[p] = 1.0 / PIXELS;
        }
        DMatrixRMaj m = new DMatrixRMaj(a);
        DMatrixRMaj pi = new DMatrixRMaj(DIM, PIXELS);
        CommonOps_DDRM.pinv(m, pi);
        pinv = new double[DIM][PIXELS];
        for (int j = 0; j < DIM; j++) {
            for (int p = 0; p < PIXELS; p++) {
                pinv[j][p] = pi.get(j, p);
            }
        }
    }

    float[] decode(float[] z) {
        float[] px = new float[PIXELS];
        for (int p = 0; p < PIXELS; p++) {
            double s = 0;
            for (int j = 0; j < DIM; j++) {
                s += a[p][j] * z[j];
            }
            px[p] = (float) (1 / (1 + Math.exp(-s)));
        }
        return px;
    }

    float[] encode(float[] px) {
        float[] z = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            double s = 0;
            for (int p = 0; p < PIXELS; p++) {
                double v = Math.min(1 - 1e-6, Math.max(1e-6, px[p]));
                s += pinv[j][p] * Math.log(v / (1 - v));
            }
            z[j] = (float) s;
        }
        return z;
    }

    /** @return logit = 12 (mean pixel - 0.5), which follows z_0 */
    double logit(float[] px) {
        double s = 0;
        for (int p = 0; p < PIXELS; p++) {
            s += readout[p] * px[p];
        }
        return 12 * (s - 0.5);
    }

    ImageData image(float[] z) {
        return new ImageData(3, 4, 4, decode(z));
    }

    /** @return n images with codes N(0, 1) and z_0 uniform in +-[0.3, 1.2] */
    List<ImageData> images(long seed, int n) {
        Rng r = new Rng(seed);
        List<ImageData> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] z = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                z[j] = (float) (0.5 * r.nextGaussian());
            }
            z[0] = (float) ((r.bernoulli(0.5) ? 1 : -1) * r.uniform(0.3, 1.2));
            out.add(image(z));
        }
        return out;
    }

    LatentGenerator generator() {
        SyntheticWorld w = this;
        return new LatentGenerator() {
            @Override
            public ModelInfo info() {
                return ModelInfo.inMemory("synthetic-generator");
            }

            @Override
            public ImageSpec imageSpec() {
                return SPEC;
            }

            @Override
            public Shape latentShape() {
                return new Shape(DIM);
            }

            @Override
            public NDArray encode(NDArray images) {
                int n = (int) images.getShape().get(0);
                float[] px = images.toFloatArray();
                float[] out = new float[n * DIM];
                for (int i = 0; i < n; i++) {
                    float[] one = java.util.Arrays.copyOfRange(px, i * PIXELS, (i + 1) * PIXELS);
                    System.arraycopy(w.encode(one), 0, out, i * DIM, DIM);
                }
                return images.getManager().create(out, new Shape(n, DIM));
            }

            @Override
            public NDArray decode(NDArray latents) {
                int n = (int) latents.getShape().get(0);
                float[] z = latents.toFloatArray();
                float[] out = new float[n * PIXELS];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(w.decode(java.util.Arrays.copyOfRange(z, i * DIM, (i + 1) * DIM)), 0, out, i * PIXELS, PIXELS);
                }
                return latents.getManager().create(out, new Shape(n, 3, 4, 4));
            }
        };
    }

    /**
     * A classifier that is white-box by type but refuses to be used as one: {@code logits} throws,
     * and {@code scores} fails when handed an image that carries a gradient.
     */
    final class GuardedClassifier implements WhiteBoxClassifier {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger images = new AtomicInteger();

        @Override
        public ClassifierSpec spec() {
            return new ClassifierSpec("synthetic-z0", SPEC, List.of("dark", "bright"), OutputKind.BINARY_LOGIT);
        }

        @Override
        public ModelInfo info() {
            return ModelInfo.inMemory("synthetic-z0");
        }

        @Override
        public NDArray logits(NDArray x) {
            throw new AssertionError("GCD asked the classifier for a differentiable forward pass");
        }

        @Override
        public Scores scores(NDArray x) {
            if (x.hasGradient()) {
                throw new AssertionError("GCD handed the classifier an image that requires a gradient");
            }
            calls.incrementAndGet();
            int n = (int) x.getShape().get(0);
            images.addAndGet(n);
            float[] px = x.toFloatArray();
            float[][] raw = new float[n][1];
            for (int i = 0; i < n; i++) {
                raw[i][0] = (float) logit(java.util.Arrays.copyOfRange(px, i * PIXELS, (i + 1) * PIXELS));
            }
            return Scores.fromRaw(OutputKind.BINARY_LOGIT, raw);
        }
    }

    /** @return mean squared pixel difference as the "perceptual" distance */
    static ImageFeatures meanSquaredDistance() {
        return new ImageFeatures() {
            @Override
            public ModelInfo info() {
                return ModelInfo.inMemory("mse");
            }

            @Override
            public ImageSpec imageSpec() {
                return SPEC;
            }

            @Override
            public NDArray poolFeatures(NDArray images) {
                throw new UnsupportedOperationException();
            }

            @Override
            public NDArray perceptualDistance(NDArray x, NDArray y) {
                long n = x.getShape().get(0);
                return x.sub(y).square().reshape(n, -1).mean(new int[] {1});
            }

            @Override
            public NDArray identity(NDArray images) {
                throw new UnsupportedOperationException();
            }
        };
    }

}
