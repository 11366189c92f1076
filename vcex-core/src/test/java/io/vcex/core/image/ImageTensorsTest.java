package io.vcex.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.context.VcexContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {

    @Test
    void batchIsNchwInTheRequestedRangeAndComesBackClamped() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            ImageData a = new ImageData(3, 1, 2, new float[] {0f, 1f, 0.5f, 0.25f, 0.75f, 1f});
            ImageData b = ImageData.zeros(3, 1, 2);
            NDArray x = ImageTensors.toBatch(m, List.of(a, b), ValueRange.SYMMETRIC);
            assertEquals(new Shape(2, 3, 1, 2), x.getShape());
            assertArrayEquals(new float[] {-1f, 1f, 0f, -0.5f, 0.5f, 1f}, x.get(0).flatten().toFloatArray(), 1e-6f);
            List<ImageData> back = ImageTensors.fromBatch(x.mul(1.5f), ValueRange.SYMMETRIC);
            // -1.5 -> clamped 0; 1.5 -> clamped 1; 0 -> 0.5; -0.75 -> 0.125
            assertArrayEquals(new float[] {0f, 1f, 0.5f, 0.125f, 0.875f, 1f}, back.get(0).pixels(), 1e-6f);
        }
    }

    @Test
    void mixedShapesAndWrongRanksAreClearErrors() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            var e = assertThrows(VcexException.class, () -> ImageTensors.toBatch(m,
                    List.of(ImageData.zeros(3, 4, 4), ImageData.zeros(1, 4, 4)), ValueRange.UNIT));
            assertTrue(e.getMessage().contains("Image 1 of the batch is 1x4x4"), e.getMessage());
            var e2 = assertThrows(VcexException.class, () -> ImageTensors.fromBatch(m.zeros(new Shape(3, 4, 4)),
                    ValueRange.UNIT));
            assertTrue(e2.getMessage().contains("(3, 4, 4)"), e2.getMessage());
        }
    }
}
