package io.vcex.core.classifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.autograd.Gradients;
import io.vcex.core.config.ConfigException;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifierTest {

    /** logit = sum of pixels - 2: a white-box binary classifier whose gradient is all ones. */
    static final class Brightness implements WhiteBoxClassifier {
        @Override
        public ClassifierSpec spec() {
            return new ClassifierSpec("brightness", new ImageSpec(1, 2, 2), List.of("dark", "bright"),
                    OutputKind.BINARY_LOGIT);
        }

        @Override
        public ModelInfo info() {
            return ModelInfo.inMemory("brightness");
        }

        @Override
        public NDArray logits(NDArray images) {
            return images.sum(new int[] {1, 2, 3}).sub(2f).reshape(-1, 1);
        }
    }

    @Test
    void outputKindsGiveHandComputedProbabilities() {
        assertArrayEquals(new float[] {0.26894142f, 0.7310586f}, OutputKind.BINARY_LOGIT.probabilities(new float[] {1f}),
                1e-6f);
        // softmax(0, ln 3) = (1/4, 3/4)
        assertArrayEquals(new float[] {0.25f, 0.75f}, OutputKind.SOFTMAX.probabilities(new float[] {0f, (float) Math.log(3)}),
                1e-6f);
        assertArrayEquals(new float[] {0.5f, 0.7310586f}, OutputKind.MULTI_LABEL.probabilities(new float[] {0f, 1f}), 1e-6f);
        assertEquals(0f, OutputKind.sigmoid(-200f), 1e-30f);
        assertEquals(1, OutputKind.BINARY_LOGIT.outputs(2));
    }

    @Test
    void whiteBoxScoresAreCopiedOutAndLeaveNothingAlive() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            Brightness c = new Brightness();
            NDArray x = m.create(new float[] {1, 1, 1, 1, 0, 0, 0, 0.5f}, new Shape(2, 1, 2, 2));
            int before = ctx.liveArrays();
            Scores s = c.scores(x);
            assertEquals(before, ctx.liveArrays());
            assertEquals(2f, s.raw()[0][0], 1e-6f);
            assertEquals(1, s.predicted(0));
            assertEquals(0, s.predicted(1));
            assertEquals(OutputKind.sigmoid(-1.5f), s.probability(1, 1), 1e-6f);
            NDArray g = Gradients.of(m, x, v -> c.logits(v).sum());
            assertArrayEquals(new float[8], g.sub(1f).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void opaqueViewHidesTheGradientType() {
        BlackBoxClassifier b = BlackBoxClassifier.opaque(new Brightness());
        assertFalse(b instanceof WhiteBoxClassifier);
        assertEquals("brightness", b.spec().name());
    }

    @Test
    void specValidatesAndResolvesClassNames() {
        ClassifierSpec spec = new Brightness().spec();
        assertEquals(1, spec.classIndex("bright"));
        assertEquals(0, spec.classIndex("0"));
        var e = assertThrows(VcexException.class, () -> spec.classIndex("smiling"));
        assertTrue(e.getMessage().contains("no class 'smiling'") && e.getMessage().contains("[dark, bright]"), e.getMessage());
        var e2 = assertThrows(ConfigException.class, () -> new ClassifierSpec("x", new ImageSpec(3, 8, 8),
                List.of("a", "b", "c"), OutputKind.BINARY_LOGIT));
        assertEquals("classNames", e2.field());
        var e3 = assertThrows(ConfigException.class, () -> new ImageSpec(2, 8, 8));
        assertEquals("channels", e3.field());
    }

    @org.junit.jupiter.api.Test
    void logProbabilitiesAreFiniteForExtremeLogitsAndMatchByHand() {
        try (io.vcex.core.context.VcexContext ctx = io.vcex.core.context.VcexContext.builder().build();
                ai.djl.ndarray.NDManager m = ctx.newScope()) {
            ClassifierSpec binary = new ClassifierSpec("b", new io.vcex.core.image.ImageSpec(1, 2, 2), java.util.List.of("no", "yes"),
                    OutputKind.BINARY_LOGIT);
            ai.djl.ndarray.NDArray z = m.create(new float[] {-200f, 0f, 3f}).reshape(3, 1);
            float[] lp = ClassLogProbability.of(binary, z, new int[] {1, 1, 0}, 1f).toFloatArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {-200f, (float) Math.log(0.5),
                (float) -Math.log(1 + Math.exp(3))}, lp, 1e-5f);
            float[] g = io.vcex.core.autograd.Gradients.of(m, z, v -> ClassLogProbability.of(binary, v, new int[] {1, 1, 0}, 1f).sum())
                    .toFloatArray();
            // d/dz log sigmoid(z) = 1 - sigmoid(z); d/dz log sigmoid(-z) = -sigmoid(z)
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1f, 0.5f, (float) (-1 / (1 + Math.exp(-3)))}, g, 1e-5f);
            ClassifierSpec soft = new ClassifierSpec("s", new io.vcex.core.image.ImageSpec(1, 2, 2), java.util.List.of("a", "b"),
                    OutputKind.SOFTMAX);
            float[] ls = ClassLogProbability.of(soft, m.create(new float[] {0f, (float) Math.log(3)}).reshape(1, 2), new int[] {1}, 1f)
                    .toFloatArray();
            org.junit.jupiter.api.Assertions.assertEquals(Math.log(0.75), ls[0], 1e-6);
        }
    }
}
