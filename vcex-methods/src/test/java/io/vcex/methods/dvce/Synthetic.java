package io.vcex.methods.dvce;

import ai.djl.ndarray.NDArray;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.diffusion.Denoiser;
import io.vcex.core.diffusion.NoiseSchedule;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import java.util.List;

/** Models with known behaviour for the DVCE tests. */
final class Synthetic {

    private Synthetic() {
    }

    /**
     * The exact noise predictor for data x_0 ~ N(0, s^2 I) (grey images with independent pixel
     * noise, in [-1, 1]): E[x_0 | x_t] = sqrt(abar) s^2 / (abar s^2 + 1 - abar) x_t, and
     * eps = (x_t - sqrt(abar) E[x_0 | x_t]) / sqrt(1 - abar). Linear in x_t, so differentiable.
     */
    static Denoiser gaussianDenoiser(ImageSpec spec, double s) {
        NoiseSchedule schedule = NoiseSchedule.linear(1000);
        double[] abar = schedule.alphasCumprod();
        return new Denoiser() {
            @Override
            public ModelInfo info() {
                return ModelInfo.inMemory("gaussian");
            }

            @Override
            public ImageSpec imageSpec() {
                return spec;
            }

            @Override
            public NoiseSchedule schedule() {
                return schedule;
            }

            @Override
            public NDArray predictNoise(NDArray xt, NDArray t, NDArray condition) {
                float[] ts = t.toFloatArray();
                long n = xt.getShape().get(0);
                float[] factor = new float[(int) n];
                for (int k = 0; k < n; k++) {
                    double a = abar[(int) ts[k]];
                    double posterior = Math.sqrt(a) * s * s / (a * s * s + 1 - a);
                    factor[k] = (float) ((1 - Math.sqrt(a) * posterior) / Math.sqrt(1 - a));
                }
                return xt.mul(xt.getManager().create(factor).reshape(n, 1, 1, 1));
            }
        };
    }

    /** A binary classifier: logit = gain * (mean red - mean blue); class 1 "red", class 0 "blue". */
    static WhiteBoxClassifier redVersusBlue(ImageSpec input, float gain, String name) {
        ClassifierSpec spec = new ClassifierSpec(name, input, List.of("blue", "red"), OutputKind.BINARY_LOGIT);
        return new WhiteBoxClassifier() {
            @Override
            public ClassifierSpec spec() {
                return spec;
            }

            @Override
            public ModelInfo info() {
                return ModelInfo.inMemory(name);
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
}
