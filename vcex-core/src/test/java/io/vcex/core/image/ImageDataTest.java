package io.vcex.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageDataTest {

    @Test
    void rgbRoundTripThroughJava2dIsExactForByteValues() {
        float[] px = new float[3 * 2 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 23 % 256) / 255f;
        }
        ImageData img = new ImageData(3, 2, 2, px);
        ImageData back = ImageData.fromBufferedImage(img.toBufferedImage(), 3);
        assertArrayEquals(px, back.pixels(), 1e-7f);
    }

    @Test
    void greyUsesBt601LumaWeights() {
        // one pixel r=1, g=0.5, b=0: 0.299 + 0.2935 = 0.5925
        ImageData img = new ImageData(3, 1, 1, new float[] {1f, 0.5f, 0f});
        assertEquals(0.5925f, img.toGrey().pixels()[0], 1e-6f);
        assertEquals(3, img.toGrey().toRgb().channels());
    }

    @Test
    void greyBufferedImageIsReadFromSamplesNotThroughColourConversion() {
        BufferedImage g = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSample(0, 0, 0, 100);
        assertEquals(100 / 255f, ImageData.fromBufferedImage(g, 1).pixels()[0], 1e-7f);
        ImageData rgb = ImageData.fromBufferedImage(g, 3);
        assertEquals(100 / 255f, rgb.get(2, 0, 0), 1e-7f);
    }

    @Test
    void integerDownscaleIsABoxAverage() {
        ImageData img = new ImageData(1, 2, 2, new float[] {0f, 1f, 0.5f, 0.5f});
        assertArrayEquals(new float[] {0.5f}, img.resize(1, 1).pixels(), 1e-7f);
    }

    @Test
    void bilinearUpscaleUsesHalfPixelCentres() {
        // 1x2 -> 1x4, align_corners=false: source x = (x + .5) / 2 - .5 -> -.25 (clamped 0), .25, .75, 1.25 (clamped 1)
        ImageData img = new ImageData(1, 1, 2, new float[] {0f, 1f});
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, img.resize(1, 4).pixels(), 1e-6f);
    }

    @Test
    void shapeIsValidatedWithTheWrongValueInTheMessage() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ImageData(2, 4, 4, new float[32]));
        assertTrue(e.getMessage().contains("got 2"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> new ImageData(3, 4, 4, new float[10]));
        assertTrue(e2.getMessage().contains("length 10") && e2.getMessage().contains("3x4x4"), e2.getMessage());
    }

    @Test
    void valueRangesConvertBothWays() {
        assertEquals(-1f, ValueRange.SYMMETRIC.fromUnit(0f));
        assertEquals(0.75f, ValueRange.SYMMETRIC.toUnit(0.5f), 1e-7f);
        assertEquals(127.5f, ValueRange.BYTE.fromUnit(0.5f), 1e-4f);
    }
}
