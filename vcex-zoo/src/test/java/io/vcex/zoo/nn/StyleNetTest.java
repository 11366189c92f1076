package io.vcex.zoo.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.generator.StyleCode;
import io.vcex.core.generator.StyleLayer;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.zoo.models.StyleNet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StyleNetTest {

    private static StyleNet tiny(VcexContext ctx) {
        Net net = new Net(new StyleNetBlock(List.of(8, 8, 8, 4, 4), 4, 4), ctx.manager(), new Rng(3), new Shape(1, 3, 64, 64));
        return new StyleNet(net, ModelInfo.inMemory("tiny-style"));
    }

    @Test
    void layersFollowStyleGanNamingAndWPlusIndexing() {
        try (VcexContext ctx = VcexContext.builder().build(); StyleNet g = tiny(ctx)) {
            // 9 convolutions and 5 toRGBs; convolution c reads w_c, a toRGB the index after its resolution's last conv
            assertEquals(10, g.numWs());
            List<StyleLayer> layers = g.styleLayers();
            assertEquals(14, layers.size());
            assertEquals(new StyleLayer("b4.conv1", 8, 4), layers.get(0));
            assertEquals(new StyleLayer("b8.conv0", 8, 8), layers.get(2));
            assertEquals(new StyleLayer("b64.torgb", 4, 64), layers.get(13));
            StyleNetBlock block = (StyleNetBlock) g.net().block();
            assertEquals(List.of(0, 1, 1, 2, 3, 3, 4, 5, 5, 6, 7, 7, 8, 9),
                    block.layers().stream().map(StyleNetBlock.Layer::wIndex).toList());
        }
    }

    @Test
    void shapesRangeAndDemodulation() {
        try (VcexContext ctx = VcexContext.builder().build(); StyleNet g = tiny(ctx); NDManager m = ctx.newScope()) {
            NDArray w = new Rng(1).normal(m, new Shape(2, 10, 4));
            StyleCode s = g.styles(w);
            for (int i = 0; i < s.layers().size(); i++) {
                assertEquals(new Shape(2, g.styleLayers().get(i).channels()), s.layers().get(i).getShape());
            }
            NDArray image = g.synthesize(s);
            assertEquals(new Shape(2, 3, 64, 64), image.getShape());
            assertTrue(image.min().getFloat() >= 0 && image.max().getFloat() <= 1);
            assertEquals(new Shape(2, 10, 4), g.encode(image).getShape());

            // demodulation makes a convolution blind to a common scale of its styles (Karras et al. 2020, eq. 3) ...
            float[] base = image.toFloatArray();
            assertArrayEquals(base, g.synthesize(scaled(s, 3, 3f)).toFloatArray(), 1e-4f, "b8.conv1 styles times 3");
            // ... while a toRGB is modulated only, so scaling its styles changes the image
            float[] rgb = g.synthesize(scaled(s, 13, 3f)).toFloatArray();
            double diff = 0;
            for (int i = 0; i < base.length; i++) {
                diff += Math.abs(rgb[i] - base[i]);
            }
            assertTrue(diff / base.length > 1e-3, "b64.torgb styles times 3 change the image, mean |d| " + diff / base.length);
        }
    }

    private static StyleCode scaled(StyleCode s, int layer, float factor) {
        List<NDArray> out = new ArrayList<>(s.layers());
        out.set(layer, out.get(layer).mul(factor));
        return new StyleCode(out);
    }

    @Test
    void priorSamplesHaveTheFittedMeanAndTruncationZeroGivesIt() {
        try (VcexContext ctx = VcexContext.builder().build(); StyleNet g = tiny(ctx); NDManager m = ctx.newScope()) {
            StyleNetBlock block = (StyleNetBlock) g.net().block();
            int d = 40;
            float[] mean = new float[d];
            float[] factor = new float[d * d];
            for (int k = 0; k < d; k++) {
                mean[k] = k * 0.1f;
                factor[k * d + k] = 2f; // covariance 4 I
            }
            block.priorMean().getArray().set(mean);
            block.priorFactor().getArray().set(factor);
            try (StyleNet fitted = new StyleNet(g.net(), g.info())) {
                assertArrayEquals(mean, fitted.sampleWPlus(m, new Rng(5), 3, 0f).get(1).reshape(d).toFloatArray(), 1e-6f);
                NDArray many = fitted.sampleWPlus(m, new Rng(5), 4000, 1f).reshape(4000, d);
                float[] sampleMean = many.mean(new int[] {0}).toFloatArray();
                float[] sampleVar = many.sub(many.mean(new int[] {0}, true)).square().mean(new int[] {0}).toFloatArray();
                for (int k = 0; k < d; k++) {
                    assertEquals(mean[k], sampleMean[k], 0.15, "mean of coordinate " + k); // 5 standard errors (2 / sqrt 4000 = 0.03)
                    assertEquals(4, sampleVar[k], 0.5, "variance of coordinate " + k);
                }
                NDArray half = fitted.sampleWPlus(m, new Rng(5), 4000, 0.5f).reshape(4000, d);
                float var0 = half.sub(half.mean(new int[] {0}, true)).square().mean(new int[] {0}).toFloatArray()[0];
                assertEquals(1, var0, 0.15, "truncation 0.5 halves the standard deviation");
            }
        }
    }

    @Test
    void wrongShapesAreNamedAndNothingLeaks() {
        try (VcexContext ctx = VcexContext.builder().build(); StyleNet g = tiny(ctx)) {
            int before = ctx.liveArrays();
            try (NDManager m = ctx.newScope()) {
                VcexException e = assertThrows(VcexException.class, () -> g.styles(m.zeros(new Shape(2, 9, 4))));
                assertTrue(e.getMessage().contains("N x 10 x 4") && e.getMessage().contains("(2, 9, 4)"), e.getMessage());
                e = assertThrows(VcexException.class, () -> g.encode(m.zeros(new Shape(1, 3, 32, 32))));
                assertTrue(e.getMessage().contains("3x64x64"), e.getMessage());
                e = assertThrows(VcexException.class, () -> g.sampleWPlus(m, new Rng(1), 2, 1.5f));
                assertTrue(e.getMessage().contains("truncation"), e.getMessage());
                NDArray w = g.sampleWPlus(m, new Rng(1), 2, 0.7f);
                g.synthesize(g.styles(w));
            }
            assertEquals(before, ctx.liveArrays(), "a step's arrays stay in its scope, none in the network's");
        }
    }
}
