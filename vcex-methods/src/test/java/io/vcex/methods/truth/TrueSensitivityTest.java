package io.vcex.methods.truth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrueSensitivityTest {

    /** Says "glasses" when the darkest pixel between the eyes (where the bridge sits) is dark. */
    static final class BridgeDetector implements WhiteBoxClassifier {
        @Override
        public ClassifierSpec spec() {
            return new ClassifierSpec("bridge", new ImageSpec(3, 64, 64), List.of("no glasses", "glasses"),
                    OutputKind.BINARY_LOGIT);
        }

        @Override
        public ModelInfo info() {
            return ModelInfo.inMemory("bridge");
        }

        @Override
        public NDArray logits(NDArray images) {
            NDArray luma = images.get(new NDIndex(":, 0")).mul(0.299f).add(images.get(new NDIndex(":, 1")).mul(0.587f))
                    .add(images.get(new NDIndex(":, 2")).mul(0.114f));
            NDArray band = luma.get(new NDIndex(":, 28:36, 30:35"));
            NDArray darkest = band.min(new int[] {2}).min(new int[] {1});
            return darkest.neg().add(0.3f).mul(40f).reshape(-1, 1);
        }
    }

    @Test
    void theStrongestTrueEffectOfAGlassesDetectorIsEyeglasses() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            int before = ctx.liveArrays();
            TrueSensitivity.Result r = TrueSensitivity.run(ctx, new BridgeDetector(),
                    new TrueSensitivityConfig(null, 60, 3L, null), 2);
            assertEquals(before, ctx.liveArrays());
            assertEquals("eyeglasses", r.strongest().attribute());
            TrueSensitivity.AttributeEffect glasses = r.effect("eyeglasses");
            assertTrue(glasses.flipRate() > 0.6, "toggling glasses flips the (imperfect, threshold-based) detector: " + glasses.flipRate());
            for (String other : List.of("smiling", "mustache", "beard", "lipstick")) {
                assertTrue(r.effect(other).flipRate() < 0.05, other + " flips it " + r.effect(other).flipRate());
            }
            assertEquals(2, glasses.examples().size());
            assertEquals(8, r.effects().size());
            assertEquals("in-memory", r.provenance().models().get("bridge"));
        }
    }
}
