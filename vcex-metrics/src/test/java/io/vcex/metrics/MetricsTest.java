package io.vcex.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.VcexException;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageData;
import io.vcex.metrics.attributes.CorrelationDifference;
import io.vcex.metrics.attributes.Mnac;
import io.vcex.metrics.attribution.Complexity;
import io.vcex.metrics.attribution.EffectiveComplexity;
import io.vcex.metrics.attribution.Sparseness;
import io.vcex.metrics.closeness.LpDistance;
import io.vcex.metrics.diversity.Diversity;
import io.vcex.metrics.perceptual.FaceSimilarity;
import io.vcex.metrics.perceptual.PerceptualDistance;
import io.vcex.metrics.validity.Cout;
import io.vcex.metrics.validity.FlipRate;
import io.vcex.metrics.validity.TargetConfidence;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final ImageData DARK = Fakes.img(0f, 0f, 0f, 0f);
    private static final ImageData BRIGHT = Fakes.img(1f, 1f, 1f, 1f);
    private static final ImageData HALF = Fakes.img(1f, 1f, 0f, 0f);

    @Test
    void lpDistancesByHand() {
        ImageData a = Fakes.img(0f, 0f, 0f, 0f);
        ImageData b = Fakes.img(0.5f, 0f, 0.25f, 0f);
        assertEquals(0.75, LpDistance.distance(a, b, 1), 1e-7);
        assertEquals(Math.sqrt(0.25 + 0.0625), LpDistance.distance(a, b, 2), 1e-7);
        assertEquals(Math.pow(Math.pow(0.5, 1.5) + Math.pow(0.25, 1.5), 1 / 1.5), LpDistance.distance(a, b, 1.5), 1e-7);
        assertEquals("l1.5", new LpDistance(1.5).name());
        assertEquals("l2", new LpDistance(2).name());
    }

    @Test
    void validityMetricsWithAKnownClassifier() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            // pair 0: dark -> bright flips; pair 1: dark -> half (sum 2, logit 0, p = 0.5) does not reach "bright"
            Evaluation e = Evaluation.builder(ctx).setPairs(List.of(DARK, DARK), List.of(BRIGHT, HALF))
                    .optClassifier(Fakes.brightness()).build();
            assertArrayEquals(new int[] {0, 0}, e.sourceClasses());
            assertArrayEquals(new int[] {1, 1}, e.targetClasses());
            MetricResult flip = new FlipRate().compute(e);
            assertEquals(0.5, flip.value(), 1e-9);
            MetricResult conf = new TargetConfidence().compute(e);
            assertEquals((1 / (1 + Math.exp(-20)) + 0.5) / 2, conf.value(), 1e-6);
        }
    }

    @Test
    void coutPathTrapezoidAndValue() {
        ImageData x = Fakes.img(0f, 0f, 0f, 0f);
        ImageData cf = Fakes.img(0.2f, 1f, 0f, 0.6f);
        List<ImageData> path = Cout.insertionPath(x, cf, 2);
        assertEquals(3, path.size());
        // most changed first: pixel 1 (1.0), then 3 (0.6); half the pixels at step 1
        assertArrayEquals(new float[] {0f, 1f, 0f, 0.6f}, path.get(1).pixels(), 0f);
        assertArrayEquals(cf.pixels(), path.get(2).pixels(), 0f);
        assertEquals(0.5, Cout.trapezoid(new double[] {0, 0.5, 1}), 1e-12);
        try (VcexContext ctx = VcexContext.builder().build()) {
            // the counterfactual equals the original: flat curves, COUT = p_target - p_source
            Evaluation same = Evaluation.builder(ctx).setPairs(List.of(HALF), List.of(HALF))
                    .optClassifier(Fakes.brightness()).optTargets(new int[] {1}).build();
            assertEquals(0.0, new Cout(10).compute(same).value(), 1e-6);
            // dark -> bright with 4 steps: p_bright along the path is sigmoid(10 (k - 2)) for k = 0..4 bright pixels
            Evaluation full = Evaluation.builder(ctx).setPairs(List.of(DARK), List.of(BRIGHT))
                    .optClassifier(Fakes.brightness()).build();
            double[] pt = new double[5];
            double[] ps = new double[5];
            for (int k = 0; k <= 4; k++) {
                pt[k] = 1 / (1 + Math.exp(-10.0 * (k - 2)));
                ps[k] = 1 - pt[k];
            }
            assertEquals(Cout.trapezoid(pt) - Cout.trapezoid(ps), new Cout(4).compute(full).value(), 1e-5);
        }
    }

    @Test
    void mnacAndCorrelationDifferenceWithAPixelOracle() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            // attribute a0 is the target. Pair 0 changes a0 and a1; pair 1 changes a0 only; pair 2 changes a2 only.
            List<ImageData> orig = List.of(Fakes.img(0, 0, 0, 0), Fakes.img(0, 1, 0, 0), Fakes.img(1, 1, 0, 0));
            List<ImageData> cf = List.of(Fakes.img(1, 1, 0, 0), Fakes.img(1, 1, 0, 0), Fakes.img(1, 1, 1, 0));
            Evaluation e = Evaluation.builder(ctx).setPairs(orig, cf).optOracle(Fakes.pixelOracle())
                    .optTargetAttribute("a0").build();
            MetricResult mnac = new Mnac().compute(e);
            assertArrayEquals(new double[] {1, 0, 1}, mnac.perItem(), 1e-12);
            assertEquals(2.0 / 3, mnac.value(), 1e-12);
            assertEquals(2.0 / 3, mnac.details().get("changed[a0]"), 1e-12);
            // by hand: a0 = (0,0,1), d0 = (1,1,0); a1 = (0,1,1), d1 = (1,0,0); a2 = (0,0,0), d2 = (0,0,1); a3 constant
            double cd = Math.abs(CorrelationDifference.pearson(new double[] {0, 0, 1}, new double[] {0, 1, 1})
                    - CorrelationDifference.pearson(new double[] {1, 1, 0}, new double[] {1, 0, 0}))
                    + Math.abs(0 - CorrelationDifference.pearson(new double[] {1, 1, 0}, new double[] {0, 0, 1}));
            assertEquals(cd, new CorrelationDifference().compute(e).value(), 1e-9);
            assertEquals(0.5, CorrelationDifference.pearson(new double[] {0, 0, 1}, new double[] {0, 1, 1}), 1e-12);
        }
    }

    @Test
    void featureMetricsAndDiversityWithFlatFeatures() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            Evaluation e = Evaluation.builder(ctx).setPairs(List.of(HALF, BRIGHT), List.of(BRIGHT, BRIGHT))
                    .optFeatures(Fakes.flat()).build();
            // identity cosines: (1,1,0,0).(1,1,1,1) / (sqrt2 * 2) = 1/sqrt2; identical images 1
            MetricResult fs = new FaceSimilarity().compute(e);
            assertArrayEquals(new double[] {1 / Math.sqrt(2), 1}, fs.perItem(), 1e-6);
            assertEquals(1.0, fs.details().get("fva"), 1e-12);
            assertArrayEquals(new double[] {0.5, 0}, new PerceptualDistance().compute(e).perItem(), 1e-6);
            // pairs (dark, half) 0.5, (dark, bright) 1, (half, bright) 0.5: mean 2/3
            assertEquals(2.0 / 3, Diversity.of(ctx, Fakes.flat(), List.of(DARK, HALF, BRIGHT)), 1e-6);
        }
    }

    @Test
    void attributionMetricsByHand() {
        float[] a = {0f, -1f, 3f};
        // Gini of sorted (1e-7, 1 + 1e-7, 3 + 1e-7): (-2 * 1e-7 + 0 + 2 * (3 + 1e-7)) / (3 * (4 + 3e-7))
        assertEquals(6.0 / (3 * (4 + 3e-7)), new Sparseness().compute(a), 1e-9);
        assertEquals(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), new Complexity().compute(a), 1e-9);
        assertEquals(2.0, EffectiveComplexity.standard().compute(a));
        assertEquals(0.0, new Sparseness().compute(new float[] {2f, 2f, 2f, 2f}), 1e-9, "uniform maps are not sparse");
    }

    @Test
    void missingModelsAndUnknownMetricsAreNamed() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            Evaluation e = Evaluation.builder(ctx).setPairs(List.of(DARK), List.of(BRIGHT)).build();
            var noClassifier = assertThrows(VcexException.class, () -> Metrics.compute(new FlipRate(), e));
            assertEquals("Metric 'flip_rate' needs the explained classifier (--classifier)", noClassifier.getMessage());
            var noOracle = assertThrows(VcexException.class, () -> Metrics.compute(new CorrelationDifference(), e));
            assertTrue(noOracle.getMessage().contains("'cd' needs an oracle") && noOracle.getMessage().contains(
                    "target attribute"), noOracle.getMessage());
            var direct = assertThrows(VcexException.class, () -> new TargetConfidence().compute(e));
            assertTrue(direct.getMessage().contains("need the explained classifier"), direct.getMessage());
            Evaluation small = Evaluation.builder(ctx).setPairs(List.of(DARK, HALF), List.of(BRIGHT, BRIGHT))
                    .optFeatures(Fakes.flat()).build();
            var few = assertThrows(VcexException.class, () -> Metrics.compute(new io.vcex.metrics.realism.SplitFid(), small));
            assertEquals("Metric 'sfid' needs at least 4 pairs, got 2", few.getMessage());
            List<String> names = Metrics.applicable(small).stream().map(Metric::name).toList();
            assertTrue(names.contains("fid") && names.contains("lpips") && !names.contains("sfid") && !names.contains("mnac"),
                    names.toString());
            var badTarget = assertThrows(VcexException.class, () -> Evaluation.builder(ctx).setPairs(List.of(DARK),
                    List.of(BRIGHT)).optOracle(Fakes.pixelOracle()).optTargetAttribute("smile").build());
            assertTrue(badTarget.getMessage().contains("'smile' is not an output") && badTarget.getMessage().contains("a0"),
                    badTarget.getMessage());
            var tiny = assertThrows(VcexException.class, () -> io.vcex.metrics.perceptual.Ssim.between(DARK, BRIGHT));
            assertTrue(tiny.getMessage().contains("larger than 10 pixels"), tiny.getMessage());
            var unknown = assertThrows(VcexException.class, () -> Metrics.parse("flip_rate,fidd"));
            assertTrue(unknown.getMessage().contains("Unknown metric 'fidd'"), unknown.getMessage());
            var mismatch = assertThrows(VcexException.class,
                    () -> Evaluation.builder(ctx).setPairs(List.of(DARK, DARK), List.of(BRIGHT)).build());
            assertTrue(mismatch.getMessage().contains("2 originals and 1 counterfactuals"), mismatch.getMessage());
        }
    }
}
