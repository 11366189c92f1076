package io.vcex.methods.zoom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.VcexException;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageSpec;
import io.vcex.methods.testing.ToyStyleGenerator;
import io.vcex.methods.testing.ToyTextImageEncoder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The edit-weight optimisation: update rules, the first step against the hand-derived gradient, whole runs on the toys. */
class ZoomOptimizerTest {
    private static final double H = 1 / Math.sqrt(2);

    @Test
    void sgdStepsThenClamps() {
        assertEquals(-0.4f, EditWeightOptimizer.sgdStep(0f, 2f, 0.2, 30), 1e-7f);
        assertEquals(1.3f, EditWeightOptimizer.sgdStep(1f, -1.5f, 0.2, 30), 1e-6f);
        assertEquals(30f, EditWeightOptimizer.sgdStep(29.9f, -2f, 0.2, 30), 0f, "29.9 + 0.4 is clamped to the bound");
        assertEquals(-30f, EditWeightOptimizer.sgdStep(-29.95f, 1f, 0.2, 30), 0f);
        assertEquals(-30f, EditWeightOptimizer.sgdStep(0f, 1e6f, 0.2, 30), 0f, "one huge gradient ends at the bound");
        assertEquals(5f, EditWeightOptimizer.sgdStep(5f, 0f, 0.2, 30), 0f);
    }

    @Test
    void pgdTakesSignedStepsThenClamps() {
        assertEquals(-0.2f, EditWeightOptimizer.pgdStep(0f, 1e-6f, 0.2, 30), 1e-7f, "a tiny gradient moves a full step");
        assertEquals(0.2f, EditWeightOptimizer.pgdStep(0f, -1000f, 0.2, 30), 1e-7f, "a huge one moves a full step too");
        assertEquals(5f, EditWeightOptimizer.pgdStep(5f, 0f, 0.2, 30), 0f, "no gradient, no move");
        assertEquals(30f, EditWeightOptimizer.pgdStep(29.9f, -1f, 0.2, 30), 0f);
        float[] w = {0f, 0f, 29.9f};
        EditWeightOptimizer.update(w, new float[] {3f, -0.01f, -7f}, ZoomConfig.defaults().withOptimizer("pgd"));
        assertArrayEquals(new float[] {-0.2f, 0.2f, 30f}, w, 1e-6f);
        float[] s = {0f, 0f, 29.9f};
        EditWeightOptimizer.update(s, new float[] {3f, -0.01f, -7f}, ZoomConfig.defaults());
        assertArrayEquals(new float[] {-0.6f, 0.002f, 30f}, s, 1e-6f);
    }

    /**
     * One iteration from w = 0: the toy classifier's logit is z = 10 (mean red - mean blue), the red
     * direction moves both red channels by w / sqrt(2), each colouring half the image by 0.1 per
     * unit, so dz/dw = 10 * 0.1 / sqrt(2). The flip loss 50 * BCE(z, 1 - y0) has dL/dz = 50 (p1 - (1 - y0)),
     * so one SGD step gives w_1 = -0.2 * 50 (p1 - (1 - y0)) dz/dw; PGD gives w_1 = -0.2 sign(that gradient).
     */
    @Test
    void firstStepFollowsTheHandDerivedGradient() {
        try (VcexContext ctx = VcexContext.builder().seed(11).build()) {
            RelevanceMatrix m = ToyModels.fixedRelevance(ctx);
            WhiteBoxClassifier clf = ToyModels.redVersusBlue(ToyModels.TOY, 10f);
            for (String opt : List.of("sgd", "pgd")) {
                Zoom zoom = new Zoom(new ToyStyleGenerator(), clf, new ToyTextImageEncoder(), m,
                        ToyModels.quick(6, 1).withOptimizer(opt), null);
                ZoomResult r = zoom.diagnose(ctx, AttributePrompts.parseList("red", 0));
                assertEquals(6, r.edits().size());
                boolean both = false;
                for (ZoomResult.Edit e : r.edits()) {
                    double p1 = r.samples().get(e.sample()).probabilities()[1];
                    double grad = 50 * (p1 - (1 - e.initialClass())) * 10 * 0.1 * H;
                    double expected = "sgd".equals(opt) ? -0.2 * grad : -0.2 * Math.signum(grad);
                    assertEquals(expected, e.weights()[0], 1e-4 * Math.max(1, Math.abs(expected)), opt + " sample " + e.sample());
                    assertEquals(e.initialClass() == 0 ? 1 : 0, e.targetClass());
                    both |= e.initialClass() == 0;
                }
                assertTrue(both, "some toy images start blue");
            }
        }
    }

    @Test
    void redAndBlueFlipTheRedBlueClassifierAndGreenDoesNothing() {
        try (VcexContext ctx = VcexContext.builder().seed(3).build()) {
            RelevanceMatrix m = ToyModels.fixedRelevance(ctx);
            Zoom zoom = new Zoom(new ToyStyleGenerator(), ToyModels.redVersusBlue(ToyModels.TOY, 10f), new ToyTextImageEncoder(), m,
                    ToyModels.quick(5, 40).withKeepImages(2), null);
            int live = ctx.liveArrays();
            ZoomResult r = zoom.diagnose(ctx, AttributePrompts.parseList("red,green,blue", 0));
            assertEquals(live, ctx.liveArrays(), "every iteration's tensors are freed");
            assertEquals(15, r.edits().size(), "5 images x 3 attributes, one at a time");
            ZoomResult.AttributeSummary red = r.summary("red");
            ZoomResult.AttributeSummary green = r.summary("green");
            ZoomResult.AttributeSummary blue = r.summary("blue");
            assertEquals(1.0, red.flipRate());
            assertEquals(1.0, blue.flipRate());
            assertEquals(0.0, green.flipRate());
            // green moves neither red nor blue: its gradient is exactly zero and its weights stay 0
            assertEquals(0.0, green.sensitivity());
            assertEquals(0.0, green.meanAbsWeight());
            assertEquals(1.0, red.sensitivity() + blue.sensitivity(), 1e-9);
            assertEquals(List.of("red", "blue", "green").subList(2, 3), r.ranking().subList(2, 3));
            for (ZoomResult.Edit e : r.edits()) {
                if (e.attribute() == 0) {
                    // more red for blue images, less for red ones
                    assertTrue(e.initialClass() == 0 ? e.weights()[0] > 0 : e.weights()[0] < 0, "red weight " + e.weights()[0]);
                    assertEquals(0f, e.weights()[1], 0f, "single mode: the other attributes' weights stay 0");
                    assertEquals(41, e.focusPerIteration().length);
                }
                assertTrue(Double.isNaN(e.ssim()), "8x8 images are too small for SSIM's window");
                if (e.sample() < 2) {
                    // frames every 10 iterations and the last
                    assertEquals(List.of(0, 10, 20, 30, 40), e.frames().stream().map(ZoomResult.Frame::iteration).toList());
                    assertEquals(e.focusPerIteration()[40], e.frames().get(4).probability(), 1e-6f);
                } else {
                    assertNull(e.counterfactual());
                    assertTrue(e.frames().isEmpty());
                }
            }
            assertEquals(12, red.weightHistogram().length);
            assertEquals(5, java.util.Arrays.stream(red.weightHistogram()).sum());
        }
    }

    @Test
    void aBatchWhoseBackwardPassTurnsNaNIsDifferentiatedRowByRow() {
        // a classifier whose batched backward pass is NaN for every row (d sqrt(0 * sum x) / dx = inf * 0)
        // while its forward pass is exact: the engine behaviour seen on the shipped style generator
        WhiteBoxClassifier plain = ToyModels.redVersusBlue(ToyModels.TOY, 10f);
        WhiteBoxClassifier poisoned = new WhiteBoxClassifier() {
            @Override
            public io.vcex.core.classifier.ClassifierSpec spec() {
                return plain.spec();
            }

            @Override
            public io.vcex.core.provenance.ModelInfo info() {
                return plain.info();
            }

            @Override
            public ai.djl.ndarray.NDArray logits(ai.djl.ndarray.NDArray images) {
                ai.djl.ndarray.NDArray z = plain.logits(images);
                return images.getShape().get(0) == 1 ? z : z.add(images.sum().mul(0f).sqrt());
            }
        };
        try (VcexContext ctx = VcexContext.builder().seed(3).build()) {
            RelevanceMatrix m = ToyModels.fixedRelevance(ctx);
            ZoomResult[] r = new ZoomResult[2];
            WhiteBoxClassifier[] clf = {plain, poisoned};
            int[] batch = {1, 32};
            for (int k = 0; k < 2; k++) {
                Zoom zoom = new Zoom(new ToyStyleGenerator(), clf[k], new ToyTextImageEncoder(), m,
                        ToyModels.quick(4, 10).withBatch(batch[k]), null);
                r[k] = zoom.diagnose(ctx, AttributePrompts.parseList("red,blue", 0));
            }
            for (int i = 0; i < r[0].edits().size(); i++) {
                float[] expected = r[0].edits().get(i).weights();
                float[] got = r[1].edits().get(i).weights();
                assertTrue(Float.isFinite(got[0]) && Float.isFinite(got[1]), "row " + i + " " + java.util.Arrays.toString(got));
                assertArrayEquals(expected, got, 1e-4f, "row " + i);
            }
            assertTrue(Math.abs(r[0].edits().get(0).weights()[0]) > 0.1f, "the rows did move");
        }
    }

    @Test
    void multiModeOptimisesOneWeightPerAttributeTogether() {
        try (VcexContext ctx = VcexContext.builder().seed(3).build()) {
            Zoom zoom = new Zoom(new ToyStyleGenerator(), ToyModels.redVersusBlue(ToyModels.TOY, 10f), new ToyTextImageEncoder(),
                    ToyModels.fixedRelevance(ctx), ToyModels.quick(4, 30).withMulti(true), null);
            ZoomResult r = zoom.diagnose(ctx, AttributePrompts.parseList("red,green", 0));
            assertTrue(r.multi());
            assertEquals(4, r.edits().size(), "one edit per image");
            for (ZoomResult.Edit e : r.edits()) {
                assertEquals(-1, e.attribute());
                assertEquals(2, e.weights().length);
                assertTrue(Math.abs(e.weights()[0]) > 0.5f && e.weights()[1] == 0f, java.util.Arrays.toString(e.weights()));
                assertTrue(e.flipped());
            }
            assertEquals(1.0, r.summary("red").sensitivity(), 1e-9, "multi mode: the weight share");
        }
    }

    @Test
    void theKeepTheClassTermHoldsTheEditBack() {
        try (VcexContext ctx = VcexContext.builder().seed(3).build()) {
            RelevanceMatrix m = ToyModels.fixedRelevance(ctx);
            double[] mean = new double[2];
            double[] clip = {0, 5};
            for (int k = 0; k < 2; k++) {
                ZoomConfig c = ToyModels.quick(4, 30).withWeights(1, clip[k]);
                Zoom zoom = new Zoom(new ToyStyleGenerator(), ToyModels.redVersusBlue(ToyModels.TOY, 10f), new ToyTextImageEncoder(),
                        m, c, List.of("a blue face", "a red face"));
                ZoomResult r = zoom.diagnose(ctx, AttributePrompts.parseList("red", 0));
                mean[k] = r.summary("red").meanAbsWeight();
                assertEquals(k == 0 ? List.of() : List.of("a blue face", "a red face"), r.classPhrases());
            }
            // the encoder sees the same colour the classifier reads, so keeping its choice resists the flip
            assertTrue(mean[1] < mean[0], "with the term " + mean[1] + ", without " + mean[0]);
        }
    }

    @Test
    void traversalsMoveTheChannelsByTheWeight() {
        try (VcexContext ctx = VcexContext.builder().seed(5).build()) {
            Zoom zoom = new Zoom(new ToyStyleGenerator(), ToyModels.redVersusBlue(ToyModels.TOY, 10f), new ToyTextImageEncoder(),
                    ToyModels.fixedRelevance(ctx), ToyModels.quick(2, 1), null);
            List<EditDirection> d = zoom.directions(ctx, AttributePrompts.parseList("red", 0));
            int live = ctx.liveArrays();
            List<Traversal> t = zoom.traverse(ctx, d, new float[] {-1, 0, 1}, 2);
            assertEquals(live, ctx.liveArrays());
            Traversal red = t.get(0);
            for (int i = 0; i < 2; i++) {
                var at0 = red.images().get(i).get(1);
                var at1 = red.images().get(i).get(2);
                // red moves by 0.1 / sqrt(2) per unit of weight in both halves; green does not move
                assertEquals(0.1 * H, at1.get(0, 1, 1) - at0.get(0, 1, 1), 1e-5);
                assertEquals(0.1 * H, at1.get(0, 6, 6) - at0.get(0, 6, 6), 1e-5);
                assertEquals(0.0, at1.get(1, 1, 1) - at0.get(1, 1, 1), 1e-6);
                assertTrue(red.probabilities()[i][2][1] > red.probabilities()[i][0][1], "p(red) grows along +red");
            }
        }
    }

    @Test
    void mismatchedModelsAreRefusedWithTheirSizes() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            RelevanceMatrix m = ToyModels.fixedRelevance(ctx);
            VcexException big = assertThrows(VcexException.class, () -> new Zoom(new ToyStyleGenerator(),
                    ToyModels.redVersusBlue(new ImageSpec(3, 16, 16), 1f), new ToyTextImageEncoder(), m, ToyModels.quick(1, 1), null));
            assertTrue(big.getMessage().startsWith("The classifier 'red-vs-blue' takes images of " + new ImageSpec(3, 16, 16)
                    + " but the style generator makes " + new ImageSpec(3, 8, 8)), big.getMessage());
            VcexException grey = assertThrows(VcexException.class, () -> new Zoom(new ToyStyleGenerator(),
                    ToyModels.redVersusBlue(new ImageSpec(1, 8, 8), 1f), new ToyTextImageEncoder(), m, ToyModels.quick(1, 1), null));
            assertTrue(grey.getMessage().contains("takes images of " + new ImageSpec(1, 8, 8)), grey.getMessage());
            // a classifier at half the generator's side is fed area-reduced images
            new Zoom(new ToyStyleGenerator(), ToyModels.redVersusBlue(new ImageSpec(3, 4, 4), 1f), new ToyTextImageEncoder(), m,
                    ToyModels.quick(1, 1), null);
            RelevanceMatrix other = new RelevanceMatrix(m.generator(), m.encoder(), m.config(),
                    List.of(new io.vcex.core.generator.StyleLayer("only", 6, 8)), m.std(), m.relevance(), 0, null);
            VcexException rel = assertThrows(VcexException.class, () -> new Zoom(new ToyStyleGenerator(),
                    ToyModels.redVersusBlue(ToyModels.TOY, 1f), new ToyTextImageEncoder(), other, ToyModels.quick(1, 1), null));
            assertTrue(rel.getMessage().contains("relevance was measured for"), rel.getMessage());
            VcexException classes = assertThrows(VcexException.class, () -> new Zoom(new ToyStyleGenerator(),
                    ToyModels.redVersusBlue(ToyModels.TOY, 1f), new ToyTextImageEncoder(), m, ToyModels.quick(1, 1).withWeights(50, 0.005),
                    null));
            assertTrue(classes.getMessage().contains("Cannot phrase the class 'blue'"), classes.getMessage());
        }
    }

    /** A three-class classifier of toy images: logits = 10 * (mean red, mean green, mean blue). */
    private static WhiteBoxClassifier threeColours() {
        var spec = new io.vcex.core.classifier.ClassifierSpec("rgb", ToyModels.TOY, List.of("red", "green", "blue"),
                io.vcex.core.classifier.OutputKind.SOFTMAX);
        return new WhiteBoxClassifier() {
            @Override
            public io.vcex.core.classifier.ClassifierSpec spec() {
                return spec;
            }

            @Override
            public io.vcex.core.provenance.ModelInfo info() {
                return io.vcex.core.provenance.ModelInfo.inMemory("rgb");
            }

            @Override
            public ai.djl.ndarray.NDArray logits(ai.djl.ndarray.NDArray images) {
                long n = images.getShape().get(0);
                return images.reshape(n, 3, -1).mean(new int[] {2}).mul(10f);
            }
        };
    }

    @Test
    void multiClassFlipsAwayFromTheInitialClassOrTowardsANamedOne() {
        try (VcexContext ctx = VcexContext.builder().seed(4).build()) {
            RelevanceMatrix m = ToyModels.fixedRelevance(ctx);
            Zoom away = new Zoom(new ToyStyleGenerator(), threeColours(), new ToyTextImageEncoder(), m, ToyModels.quick(6, 40), null);
            ZoomResult r = away.diagnose(ctx, AttributePrompts.parseList("red,green,blue", 0));
            for (ZoomResult.Edit e : r.edits()) {
                assertEquals(-1, e.targetClass(), "a multi-class flip has no single target");
                assertEquals(e.finalClass() != e.initialClass(), e.flipped());
                assertEquals(e.initialClass(), e.focusClass());
                if (e.attribute() == e.initialClass()) {
                    // moving away from its own colour means less of it
                    assertTrue(e.weights()[e.attribute()] < 0, "weight " + e.weights()[e.attribute()]);
                }
            }
            assertTrue(r.flipRate() > 0.5, "flip rate " + r.flipRate());
            ZoomConfig toGreen = new ZoomConfig(null, 40, null, null, 50.0, 0.0, null, null, null, 6, null, null, null, null, "green",
                    null, null, ToyModels.TEMPLATES, null, null);
            ZoomResult g = new Zoom(new ToyStyleGenerator(), threeColours(), new ToyTextImageEncoder(), m, toGreen, null)
                    .diagnose(ctx, AttributePrompts.parseList("green", 0));
            for (ZoomResult.Edit e : g.edits()) {
                assertEquals(1, e.targetClass());
                assertEquals(e.finalClass() == 1 && e.initialClass() != 1, e.flipped());
                assertTrue(e.weights()[0] > 0, "towards green means more green: " + e.weights()[0]);
            }
            assertTrue(g.edits().stream().anyMatch(ZoomResult.Edit::flipped));
        }
    }

    @Test
    void histogramNumbers() {
        assertArrayEquals(new double[] {0.8, 0.2}, Sensitivity.normalisedSums(new double[][] {{0.5, 0.3}, {0.1, 0.1}}), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.25, 0.25}, Sensitivity.normalisedSums(new double[][] {{1}, {0.25, 0.25}, {0.5}}),
                1e-12);
        assertArrayEquals(new double[] {0, 0}, Sensitivity.normalisedSums(new double[][] {{0}, {}}), 0, "nothing moved: all zero, no NaN");
        assertArrayEquals(new double[] {0.25, 0.5}, Sensitivity.absoluteChange(new float[] {0.5f, 0.75f}, new float[] {0.75f, 0.25f}),
                1e-7);
        // bins of width 5 over [-30, 30]; the upper edge of a bin belongs to the next, the bound to the last
        assertArrayEquals(new int[] {2, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 2},
                Sensitivity.histogram(new double[] {-30, -29.9, -0.1, 0, 29.99, 30}, 30, 12));
    }

    private static Map<String, Double> ordered(Object... kv) {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return m;
    }

    @Test
    void stabilityCompareRanksAndTop() {
        assertEquals(1.0, PromptStability.spearman(new double[] {0.1, 0.5, 0.4}, new double[] {1, 3, 2}), 1e-12);
        assertEquals(-1.0, PromptStability.spearman(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
        assertArrayEquals(new double[] {1.5, 1.5, 3}, PromptStability.ranks(new double[] {2, 2, 5}), 1e-12);
        PromptStability.Report r = PromptStability.compare(List.of("v0", "v1"),
                List.of(ordered("a", 0.6, "b", 0.3, "c", 0.1), ordered("a", 0.5, "b", 0.1, "c", 0.4)));
        assertEquals(0.5, r.meanSpearman(), 1e-12, "ranks (3,2,1) against (3,1,2)");
        assertEquals(0.3, r.maxAbsDifference(), 1e-12);
        assertEquals(List.of("a", "a"), r.top());
        assertTrue(r.sameTop());
    }
}
