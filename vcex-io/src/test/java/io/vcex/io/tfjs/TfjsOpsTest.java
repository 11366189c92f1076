package io.vcex.io.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.context.VcexContext;
import io.vcex.io.description.ModelInput;
import io.vcex.io.tfjs.TfjsOps.Pads;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TfjsOpsTest {
    private static final int[] ONES = {1, 1, 1, 1};
    private static VcexContext ctx;

    @BeforeAll
    static void start() {
        ctx = VcexContext.builder().build();
    }

    @AfterAll
    static void stop() {
        ctx.close();
    }

    /** 1x4x4x1, values 1..16 row by row. */
    private static NDArray counting(NDManager m, float sign) {
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) {
            v[i] = sign * (i + 1);
        }
        return m.create(v, new Shape(1, 4, 4, 1));
    }

    @Test
    void samePaddingPutsTheOddPixelAtTheEnd() {
        assertEquals(new Pads(0, 1, 0, 1), TfjsOps.pads("SAME", null, 4, 4, 3, 3, 2, 2, 1, 1));
        assertEquals(new Pads(1, 1, 1, 1), TfjsOps.pads("SAME", null, 5, 5, 3, 3, 2, 2, 1, 1));
        assertEquals(new Pads(1, 2, 0, 0), TfjsOps.pads("SAME", null, 6, 7, 4, 1, 1, 1, 1, 1));
        assertEquals(new Pads(2, 2, 2, 2), TfjsOps.pads("SAME", null, 8, 8, 3, 3, 1, 1, 2, 2), "dilation widens the kernel");
        assertEquals(new Pads(0, 0, 0, 0), TfjsOps.pads("VALID", null, 8, 8, 3, 3, 2, 2, 1, 1));
        assertEquals(new Pads(1, 2, 3, 4), TfjsOps.pads("EXPLICIT", new int[] {0, 0, 1, 2, 3, 4, 0, 0}, 8, 8, 3, 3, 1, 1, 1, 1));
    }

    @Test
    void sameConvolutionWithStrideTwoMatchesTheHandComputedResult() {
        try (NDManager m = ctx.newScope()) {
            // filter k[i][j] = 3i + j + 1, layout [h, w, in, out] = [3, 3, 1, 1]
            float[] k = {1, 2, 3, 4, 5, 6, 7, 8, 9};
            NDArray filter = TfjsOps.convFilter(m.create(k, new Shape(3, 3, 1, 1)));
            NDArray y = TfjsOps.conv2d(counting(m, 1), filter, null, 1, new int[] {1, 2, 2, 1}, ONES, "SAME", null);
            assertEquals(new Shape(1, 2, 2, 1), y.getShape());
            // padding: none before, one row and one column after (4 = 2 * 2, total (2-1)*2 + 3 - 4 = 1)
            // (0,0): [1 2 3; 5 6 7; 9 10 11] . k = 14 + 92 + 242 = 348
            // (0,1): [3 4 0; 7 8 0; 11 12 0] . k = 11 + 68 + 173 = 252
            // (1,0): [9 10 11; 13 14 15; 0 0 0] . k = 62 + 212 = 274
            // (1,1): [11 12 0; 15 16 0; 0 0 0] . k = 35 + 140 = 175
            assertArrayEquals(new float[] {348, 252, 274, 175}, y.toFloatArray(), 1e-4f);
            NDArray bias = m.create(new float[] {-300});
            NDArray valid = TfjsOps.conv2d(counting(m, 1), filter, bias, 1, ONES, ONES, "VALID", null);
            assertEquals(new Shape(1, 2, 2, 1), valid.getShape());
            assertEquals(48f, valid.toFloatArray()[0], 1e-4f, "VALID starts at the corner; bias added");
        }
    }

    @Test
    void convolutionsMatchANaiveTensorFlowReference() {
        Random r = new Random(3);
        try (NDManager m = ctx.newScope()) {
            for (String padding : new String[] {"SAME", "VALID"}) {
                for (int stride : new int[] {1, 2}) {
                    float[] x = random(r, 2 * 7 * 6 * 3);
                    float[] f = random(r, 3 * 3 * 3 * 4);
                    float[] b = random(r, 4);
                    NDArray y = TfjsOps.conv2d(m.create(x, new Shape(2, 7, 6, 3)),
                            TfjsOps.convFilter(m.create(f, new Shape(3, 3, 3, 4))), m.create(b), 1,
                            new int[] {1, stride, stride, 1}, ONES, padding, null);
                    Naive ref = Naive.conv(x, 2, 7, 6, 3, f, 3, 3, 4, 1, stride, padding, b);
                    assertEquals(new Shape(2, ref.h, ref.w, ref.c), y.getShape(), padding + " stride " + stride);
                    assertArrayEquals(ref.values, y.toFloatArray(), 1e-4f, padding + " stride " + stride);
                }
            }
        }
    }

    @Test
    void depthwiseFiltersAreInChannelTimesMultiplier() {
        try (NDManager m = ctx.newScope()) {
            // 1x1 kernel, 2 input channels, multiplier 2: filter[0][0][i][m]
            NDArray f = m.create(new float[] {2, 3, 5, 7}, new Shape(1, 1, 2, 2));
            NDArray x = m.create(new float[] {1, 10}, new Shape(1, 1, 1, 2));
            NDArray y = TfjsOps.conv2d(x, TfjsOps.depthwiseFilter(f), null, 2, ONES, ONES, "VALID", null);
            // output channel i * multiplier + m = x[i] * f[i][m]
            assertArrayEquals(new float[] {2, 3, 50, 70}, y.toFloatArray(), 1e-6f);
            Random r = new Random(5);
            float[] xs = random(r, 1 * 6 * 5 * 3);
            float[] fs = random(r, 3 * 3 * 3 * 2);
            NDArray z = TfjsOps.conv2d(m.create(xs, new Shape(1, 6, 5, 3)),
                    TfjsOps.depthwiseFilter(m.create(fs, new Shape(3, 3, 3, 2))), null, 3,
                    new int[] {1, 2, 2, 1}, ONES, "SAME", null);
            Naive ref = Naive.depthwise(xs, 1, 6, 5, 3, fs, 3, 3, 2, 2, "SAME");
            assertEquals(new Shape(1, ref.h, ref.w, ref.c), z.getShape());
            assertArrayEquals(ref.values, z.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void samePoolingIgnoresThePadding() {
        try (NDManager m = ctx.newScope()) {
            NDArray y = TfjsOps.maxPool(counting(m, -1), new int[] {1, 3, 3, 1}, new int[] {1, 2, 2, 1}, "SAME");
            // windows as in the convolution above; the padded cells must never win, even over negatives
            assertArrayEquals(new float[] {-1, -3, -9, -11}, y.toFloatArray(), 0f);
            NDArray z = TfjsOps.maxPool(counting(m, 1), new int[] {1, 3, 3, 1}, new int[] {1, 1, 1, 1}, "SAME");
            assertEquals(new Shape(1, 4, 4, 1), z.getShape());
            assertEquals(16f, z.toFloatArray()[15]);
            assertEquals(6f, z.toFloatArray()[0]);
        }
    }

    @Test
    void bilinearMatricesFollowTfjsCoordinates() {
        float[][] legacy = ModelInput.bilinear(4, 2, false);
        assertArrayEquals(new float[] {1, 0, 0, 0}, legacy[0]);
        assertArrayEquals(new float[] {0, 0, 1, 0}, legacy[1]);
        float[][] half = ModelInput.bilinear(4, 2, true);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0, 0}, half[0]);
        assertArrayEquals(new float[] {0, 0, 0.5f, 0.5f}, half[1]);
        float[][] up = ModelInput.bilinear(2, 4, true);
        assertArrayEquals(new float[] {1, 0}, up[0], "clamped at the border");
        assertArrayEquals(new float[] {0.75f, 0.25f}, up[1]);
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** TensorFlow's convolutions written out as loops (NHWC, cross-correlation, SAME/VALID). */
    private record Naive(int h, int w, int c, float[] values) {

        static Naive conv(float[] x, int n, int h, int w, int cin, float[] f, int kh, int kw, int cout, int groups,
                int stride, String padding, float[] bias) {
            Pads p = TfjsOps.pads(padding, null, h, w, kh, kw, stride, stride, 1, 1);
            int oh = (h + p.top() + p.bottom() - kh) / stride + 1;
            int ow = (w + p.left() + p.right() - kw) / stride + 1;
            float[] out = new float[n * oh * ow * cout];
            for (int b = 0; b < n; b++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        for (int o = 0; o < cout; o++) {
                            double s = bias == null ? 0 : bias[o];
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int y = oy * stride + i - p.top();
                                    int xx = ox * stride + j - p.left();
                                    if (y < 0 || y >= h || xx < 0 || xx >= w) {
                                        continue;
                                    }
                                    for (int c = 0; c < cin; c++) {
                                        s += x[((b * h + y) * w + xx) * cin + c] * f[((i * kw + j) * cin + c) * cout + o];
                                    }
                                }
                            }
                            out[((b * oh + oy) * ow + ox) * cout + o] = (float) s;
                        }
                    }
                }
            }
            return new Naive(oh, ow, cout, out);
        }

        static Naive depthwise(float[] x, int n, int h, int w, int cin, float[] f, int kh, int kw, int mult,
                int stride, String padding) {
            Pads p = TfjsOps.pads(padding, null, h, w, kh, kw, stride, stride, 1, 1);
            int oh = (h + p.top() + p.bottom() - kh) / stride + 1;
            int ow = (w + p.left() + p.right() - kw) / stride + 1;
            int cout = cin * mult;
            float[] out = new float[n * oh * ow * cout];
            for (int b = 0; b < n; b++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        for (int c = 0; c < cin; c++) {
                            for (int q = 0; q < mult; q++) {
                                double s = 0;
                                for (int i = 0; i < kh; i++) {
                                    for (int j = 0; j < kw; j++) {
                                        int y = oy * stride + i - p.top();
                                        int xx = ox * stride + j - p.left();
                                        if (y >= 0 && y < h && xx >= 0 && xx < w) {
                                            s += x[((b * h + y) * w + xx) * cin + c] * f[((i * kw + j) * cin + c) * mult + q];
                                        }
                                    }
                                }
                                out[((b * oh + oy) * ow + ox) * cout + c * mult + q] = (float) s;
                            }
                        }
                    }
                }
            }
            return new Naive(oh, ow, cout, out);
        }
    }
}
