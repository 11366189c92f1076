package io.vcex.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.autograd.Gradients;
import io.vcex.core.context.VcexContext;
import org.junit.jupiter.api.Test;

class ResamplingTest {

    @Test
    void bilinearUpsamplingMatchesHalfPixelCentres() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            // one row [a, b, c] = [0, 4, 8]: PyTorch (align_corners=False) gives
            // [a, .75a+.25b, .25a+.75b, .75b+.25c, .25b+.75c, c] along that axis
            NDArray x = m.create(new float[] {0, 4, 8}).reshape(1, 1, 1, 3);
            NDArray up = ImageTensors.upsample2x(x);
            assertEquals(new Shape(1, 1, 2, 6), up.getShape());
            float[] row = {0, 1, 3, 5, 7, 8};
            float[] both = new float[12];
            System.arraycopy(row, 0, both, 0, 6);
            System.arraycopy(row, 0, both, 6, 6);
            assertArrayEquals(both, up.toFloatArray(), 1e-6f);
            // 2x2 checkerboard: corners keep 3/4 of their own value along each axis
            NDArray c = m.create(new float[] {1, 0, 0, 1}).reshape(1, 1, 2, 2);
            float[] u = ImageTensors.upsample2x(c).toFloatArray();
            assertEquals(1f, u[0], 1e-6f); // replicated edge: row and column both clamp to the corner
            assertEquals(0.75f * 0.75f + 0.25f * 0.25f, u[5], 1e-6f); // (1,1): 9/16 of (0,0) + 1/16 of (1,1)
        }
    }

    @Test
    void areaDownsamplingAveragesBlocksAndRoundTripsConstants() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            NDArray x = m.create(new float[] {1, 3, 5, 7, 2, 2, 4, 4, 0, 0, 0, 0, 8, 8, 8, 8}).reshape(1, 1, 4, 4);
            assertArrayEquals(new float[] {2, 5, 4, 4}, ImageTensors.downsample(x, 2).toFloatArray(), 1e-6f);
            NDArray constant = m.full(new Shape(1, 3, 4, 4), 0.3f);
            assertArrayEquals(constant.toFloatArray(), ImageTensors.upsample2x(ImageTensors.downsample(constant, 2)).toFloatArray(),
                    1e-6f);
            // differentiable: the gradient of the sum of a 2x up-sampling is 4 per input pixel
            float[] g = Gradients.of(m, m.ones(new Shape(1, 1, 3, 3)), v -> ImageTensors.upsample2x(v).sum()).toFloatArray();
            assertArrayEquals(new float[] {4, 4, 4, 4, 4, 4, 4, 4, 4}, g, 1e-5f);
        }
    }

    @Test
    void theEnginesUpsamplingEqualsTheSliceConstructionWithItsGradient() {
        try (VcexContext ctx = VcexContext.builder().seed(5).build(); NDManager m = ctx.newScope()) {
            NDArray x = m.randomNormal(new Shape(2, 3, 5, 4));
            assertArrayEquals(ImageTensors.upsample2xBySlices(x).toFloatArray(), ImageTensors.upsample2x(x).toFloatArray(), 1e-6f);
            NDArray w = m.randomNormal(new Shape(2, 3, 10, 8));
            float[] g1 = Gradients.of(m, x, v -> ImageTensors.upsample2x(v).mul(w).sum()).toFloatArray();
            float[] g2 = Gradients.of(m, x, v -> ImageTensors.upsample2xBySlices(v).mul(w).sum()).toFloatArray();
            assertArrayEquals(g2, g1, 1e-5f);
        }
    }
}
