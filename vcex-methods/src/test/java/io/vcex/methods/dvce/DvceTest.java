package io.vcex.methods.dvce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.VcexException;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.VcexContext;
import io.vcex.core.diffusion.Denoiser;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DvceTest {
    private static final ImageSpec MODEL = new ImageSpec(3, 8, 8);
    private static final ImageSpec CLASSIFIER = new ImageSpec(3, 16, 16);

    /** Bluish images: red 0.3, green 0.5, blue 0.7, plus a fixed pattern. */
    private static List<ImageData> bluish(int count) {
        List<ImageData> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] p = new float[3 * 16 * 16];
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 256; k++) {
                    p[c * 256 + k] = 0.3f + 0.2f * c + 0.05f * (float) Math.sin(k + i);
                }
            }
            out.add(new ImageData(3, 16, 16, p));
        }
        return out;
    }

    private static DvceConfig quick(double cc, double cd) {
        return new DvceConfig(20, 6, cc, cd, null, null, null, null, null, null, null, 4, 3);
    }

    @Test
    void guidanceFlipsTheDecisionAndWithoutItNothingFlips() {
        Denoiser denoiser = Synthetic.gaussianDenoiser(MODEL, 1.0);
        WhiteBoxClassifier clf = Synthetic.redVersusBlue(CLASSIFIER, 40f, "rgb");
        try (VcexContext ctx = VcexContext.builder().seed(3).build()) {
            int live = ctx.liveArrays();
            List<ImageData> images = bluish(4);
            List<DvceResult> guided = new Dvce(denoiser, clf, null, null, quick(3, 0.05)).explain(ctx, images, "flip");
            assertEquals(4, guided.size());
            for (DvceResult r : guided) {
                assertEquals(0, r.sourceClass()); // blue
                assertEquals(1, r.targetClass());
                assertTrue(r.originalProbabilities()[1] < 0.01f, "the originals are clearly blue");
                assertTrue(r.flipped(), "guided to red: p(red) = " + r.counterfactualProbabilities()[1]);
                assertEquals(CLASSIFIER.height(), r.counterfactual().height());
                assertEquals(6, r.targetProbabilityPerStep().length);
                // frames every 4 steps (0, 4) and the last (5)
                assertEquals(List.of(0, 4, 5), r.trajectory().stream().map(DvceResult.Frame::step).toList());
                assertTrue(r.l1() > 0 && r.l2() <= r.l15() && r.l15() <= r.l1());
            }
            List<DvceResult> unguided = new Dvce(denoiser, clf, null, null, quick(0, 0)).explain(ctx, images, "flip");
            for (int k = 0; k < 4; k++) {
                DvceResult r = unguided.get(k);
                assertFalse(r.flipped(), "no guidance: the late start alone should not turn blue into red");
                assertTrue(r.l1() < guided.get(k).l1(), "guidance changes more than the noise of the late start does");
            }
            assertEquals(live, ctx.liveArrays(), "every step's tensors are freed");
        }
    }

    @Test
    void sameSeedSameExplanation() {
        Denoiser denoiser = Synthetic.gaussianDenoiser(MODEL, 1.0);
        WhiteBoxClassifier clf = Synthetic.redVersusBlue(CLASSIFIER, 40f, "rgb");
        float[] a;
        float[] b;
        try (VcexContext ctx = VcexContext.builder().seed(5).build()) {
            a = new Dvce(denoiser, clf, null, null, quick(3, 0.05)).explain(ctx, bluish(2), "red").get(1).counterfactual().pixels();
        }
        try (VcexContext ctx = VcexContext.builder().seed(5).build()) {
            b = new Dvce(denoiser, clf, null, null, quick(3, 0.05)).explain(ctx, bluish(2), "red").get(1).counterfactual().pixels();
        }
        assertArrayEquals(a, b);
    }

    @Test
    void coneAndBlendedBaselineRun() {
        Denoiser denoiser = Synthetic.gaussianDenoiser(MODEL, 1.0);
        WhiteBoxClassifier clf = Synthetic.redVersusBlue(CLASSIFIER, 40f, "rgb");
        WhiteBoxClassifier robust = Synthetic.redVersusBlue(CLASSIFIER, 10f, "rgb-robust");
        try (VcexContext ctx = VcexContext.builder().seed(3).build()) {
            Dvce cone = new Dvce(denoiser, clf, robust, null, new DvceConfig(20, 6, 3.0, 0.05, null, null, null, null, 2, null, null,
                    null, null));
            assertTrue(cone.usesCone());
            assertTrue(cone.explain(ctx, bluish(2), "flip").get(0).flipped());
            assertFalse(new Dvce(denoiser, clf, clf, null, DvceConfig.defaults()).usesCone(), "no cone around itself");
            DvceConfig blended = new DvceConfig(20, 6, 5.0, 0.0, "l2", null, null, null, null, null, "blended", null, null);
            assertTrue(new Dvce(denoiser, clf, null, null, blended).explain(ctx, bluish(1), "flip").get(0).flipped());
        }
    }

    @Test
    void badInputsGetClearErrors() {
        Denoiser denoiser = Synthetic.gaussianDenoiser(MODEL, 1.0);
        WhiteBoxClassifier clf = Synthetic.redVersusBlue(CLASSIFIER, 40f, "rgb");
        try (VcexContext ctx = VcexContext.builder().build()) {
            Dvce dvce = new Dvce(denoiser, clf, null, null, quick(3, 0.05));
            VcexException target = assertThrows(VcexException.class, () -> dvce.explain(ctx, bluish(1), "green"));
            assertTrue(target.getMessage().contains("no class 'green'") && target.getMessage().contains("[blue, red]"),
                    target.getMessage());
            VcexException size = assertThrows(VcexException.class,
                    () -> dvce.explain(ctx, List.of(ImageData.zeros(3, 12, 12)), "flip"));
            assertTrue(size.getMessage().contains("12"), size.getMessage());
            VcexException resolution = assertThrows(VcexException.class,
                    () -> new Dvce(Synthetic.gaussianDenoiser(new ImageSpec(3, 6, 6), 0.3), clf, null, null, DvceConfig.defaults()));
            assertTrue(resolution.getMessage().contains("power of two"), resolution.getMessage());
            assertThrows(VcexException.class, () -> new Dvce(denoiser, clf, null, null,
                    new DvceConfig(null, null, null, null, "lpips+l2", null, null, null, null, null, null, null, null)));
        }
    }
}
