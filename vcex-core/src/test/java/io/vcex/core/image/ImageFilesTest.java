package io.vcex.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.VcexException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir
    Path dir;

    private static ImageData gradient(int channels) {
        float[] px = new float[channels * 8 * 8];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i % 64) / 63f;
        }
        return new ImageData(channels, 8, 8, px);
    }

    @Test
    void pngRoundTripKeepsChannelsAndValuesToOneByte() throws Exception {
        for (int c : new int[] {1, 3}) {
            Path f = dir.resolve("img" + c + ".png");
            ImageData img = gradient(c);
            ImageFiles.writePng(img, f);
            ImageData back = ImageFiles.read(f);
            assertEquals(c, back.channels());
            assertArrayEquals(img.pixels(), back.pixels(), 0.5f / 255f + 1e-6f);
        }
    }

    @Test
    void samePixelsGiveByteIdenticalFiles() throws Exception {
        ImageFiles.writePng(gradient(3), dir.resolve("a.png"));
        ImageFiles.writePng(gradient(3), dir.resolve("b.png"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.png")), Files.readAllBytes(dir.resolve("b.png")));
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary file is left behind");
        }
    }

    @Test
    void readConvertsChannelsAndChecksSize() {
        Path f = dir.resolve("c.png");
        ImageFiles.writePng(gradient(3), f);
        assertEquals(1, ImageFiles.read(f, 1, 8, 8).channels());
        var e = assertThrows(VcexException.class, () -> ImageFiles.read(f, 3, 64, 64));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("8x8")
                && e.getMessage().contains("64x64"), e.getMessage());
    }

    @Test
    void missingAndUndecodableFilesNameTheFile() throws Exception {
        Path missing = dir.resolve("nope.png");
        var e = assertThrows(VcexException.class, () -> ImageFiles.read(missing));
        assertEquals("Image file not found: " + missing, e.getMessage());
        Path junk = dir.resolve("junk.png");
        Files.writeString(junk, "this is not an image");
        var e2 = assertThrows(VcexException.class, () -> ImageFiles.read(junk));
        assertTrue(e2.getMessage().startsWith("Cannot decode image " + junk), e2.getMessage());
        var e3 = assertThrows(VcexException.class, () -> ImageFiles.read(dir));
        assertTrue(e3.getMessage().contains("not a readable file"), e3.getMessage());
    }

    @Test
    void outputMustBeAPng() {
        var e = assertThrows(VcexException.class, () -> ImageFiles.writePng(gradient(1), dir.resolve("x.jpg")));
        assertTrue(e.getMessage().contains("must end in .png"), e.getMessage());
    }
}
