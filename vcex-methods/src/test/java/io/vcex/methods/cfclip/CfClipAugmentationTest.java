package io.vcex.methods.cfclip;

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
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The random perspective augmentation (eq. 3) and what it is built from. */
class CfClipAugmentationTest {

    private static NDArray images(NDManager m) {
        return new Rng(7).uniform(m, new Shape(2, 3, 8, 8), 0f, 1f);
    }

    @Test
    void viewsHaveTheImagesShapeViewMajorAndAreSeeded() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            NDArray x = images(m);
            PerspectiveAugmentation aug = new PerspectiveAugmentation(4, 0.5);
            NDArray a = aug.apply(x, new Rng(1));
            assertEquals(new Shape(8, 3, 8, 8), a.getShape());
            assertArrayEquals(a.toFloatArray(), aug.apply(x, new Rng(1)).toFloatArray(), "same stream, same views");
            assertFalse(Arrays.equals(a.toFloatArray(), aug.apply(x, new Rng(2)).toFloatArray()), "another stream, other views");
            // one map per view for the whole batch: views 0 and 1 differ from each other
            assertFalse(Arrays.equals(a.get("0:2").toFloatArray(), a.get("2:4").toFloatArray()));
            float[] v = a.toFloatArray();
            for (float f : v) {
                assertTrue(f >= -1e-6f && f <= 1 + 1e-6f, "bilinear weights are a convex combination (or the fill 0)");
            }
        }
    }

    @Test
    void zeroDistortionCopiesEveryImageInViewMajorOrder() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            NDArray x = images(m);
            NDArray a = new PerspectiveAugmentation(3, 0).apply(x, new Rng(5));
            assertEquals(new Shape(6, 3, 8, 8), a.getShape());
            for (int v = 0; v < 3; v++) {
                // row v N + i is view v of image i
                assertArrayEquals(x.toFloatArray(), a.get((2 * v) + ":" + (2 * v + 2)).toFloatArray(), 1e-5f);
            }
        }
    }

    @Test
    void theCentreStaysAndTheMovedCornersLeaveTheFill() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            // a white 1 x 1 x 16 x 16 image; with distortion 0.5 each corner moves inward by up to 0.5 W/2 = 4 pixels
            NDArray white = m.ones(new Shape(1, 1, 16, 16));
            PerspectiveAugmentation aug = new PerspectiveAugmentation(1, 0.5);
            // the first seed whose view moves the top-left corner by 2 or more pixels both ways
            long seed = 0;
            while (aug.corners(new Rng(seed).derive(0), 16, 16)[0][0] < 2 || aug.corners(new Rng(seed).derive(0), 16, 16)[0][1] < 2) {
                seed++;
            }
            Rng rng = new Rng(seed);
            NDArray view = aug.apply(white, rng);
            // the quadrilateral always contains the square [4, 11] x [4, 11], so the centre shows the image
            assertEquals(1f, view.getFloat(0, 0, 8, 8), 1e-5f);
            // a pixel 2 or more pixels outside the moved top-left corner reads only outside the image: the fill 0
            assertEquals(0f, view.getFloat(0, 0, 0, 0), 1e-6f);
            assertTrue(view.sum().getFloat() < 256, "a squeezed view shows less of the white image");
        }
    }

    @Test
    void viewsAreDifferentiableWithRespectToTheImages() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            NDArray x = images(m);
            // with distortion 0 every view copies every pixel once: d sum(views) / d x = views
            NDArray g0 = Gradients.of(m, x, img -> new PerspectiveAugmentation(3, 0).apply(img, new Rng(1)).sum());
            assertArrayEquals(m.full(x.getShape(), 3f).toFloatArray(), g0.toFloatArray(), 1e-5f);
            // a distorted view still passes gradient to the pixels it reads (and only in [0, views] per pixel weight)
            NDArray g = Gradients.of(m, x, img -> new PerspectiveAugmentation(2, 0.5).apply(img, new Rng(1)).sum());
            assertEquals(x.getShape(), g.getShape());
            assertTrue(g.sum().getFloat() > 0);
        }
    }

    @Test
    void homographyFitsFourPointsExactly() {
        double[][] from = {{0, 0}, {7, 0}, {7, 7}, {0, 7}};
        double[][] to = {{1, 2}, {6, 1}, {7, 7}, {0, 6}};
        Homography h = Homography.fit(from, to);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(to[i], h.apply(from[i][0], from[i][1]), 1e-9);
        }
        // an affine map is a homography with g = h = 0: (x, y) -> (2x + 1, 3y - 2)
        Homography affine = Homography.fit(from, new double[][] {{1, -2}, {15, -2}, {15, 19}, {1, 19}});
        assertArrayEquals(new double[] {2 * 3.5 + 1, 3 * 1.25 - 2}, affine.apply(3.5, 1.25), 1e-9);
        VcexException line = assertThrows(VcexException.class,
                () -> Homography.fit(new double[][] {{0, 0}, {1, 1}, {2, 2}, {3, 3}}, to));
        assertTrue(line.getMessage().contains("degenerate"));
    }

    @Test
    void resizeIsBilinearWithClampedEdges() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            // 1 x 1 x 1 x 2 image [0, 1] upsampled to width 4: centres at -0.25, 0.25, 0.75, 1.25 of the source
            NDArray x = m.create(new float[] {0, 1}, new Shape(1, 1, 1, 2));
            assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1}, BilinearSampler.resize(x, 1, 4).toFloatArray(), 1e-6f);
            assertEquals(x, BilinearSampler.resize(x, 1, 2), "same size: unchanged");
        }
    }

    @Test
    void badSettingsAreNamed() {
        assertTrue(assertThrows(VcexException.class, () -> new PerspectiveAugmentation(0, 0.5)).getMessage().contains("view"));
        assertTrue(assertThrows(VcexException.class, () -> new PerspectiveAugmentation(8, 1.5)).getMessage()
                .contains("distortion"));
    }
}
