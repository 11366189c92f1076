package io.vcex.data.dataset;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vcex.core.VcexException;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.function.Executable;

/** Small files for the data-set tests: PNGs, text, IDX bytes. */
final class Fixtures {

    private Fixtures() {
    }

    /**
     * @param channels 1 or 3
     * @param height rows
     * @param width columns
     * @param seed varies the pixels
     * @return an image whose values are multiples of 1/255, so a PNG round trip is exact
     */
    static ImageData image(int channels, int height, int width, int seed) {
        float[] px = new float[channels * height * width];
        for (int i = 0; i < px.length; i++) {
            px[i] = ((i * 37 + seed * 101) % 256) / 255f;
        }
        return new ImageData(channels, height, width, px);
    }

    /** Writes a PNG of {@link #image} and returns it. */
    static ImageData png(Path file, int channels, int height, int width, int seed) {
        ImageData img = image(channels, height, width, seed);
        ImageFiles.writePng(img, file);
        return img;
    }

    /** Writes UTF-8 text, creating folders. */
    static Path text(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes bytes, creating folders. */
    static Path bytes(Path file, byte[] content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the bytes of an IDX image file holding {@code count} images of rows x cols */
    static byte[] idxImages(int magic, int count, int rows, int cols, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length).putInt(magic).putInt(count).putInt(rows).putInt(cols)
                .put(pixels).array();
    }

    /** @return the bytes of an IDX label file */
    static byte[] idxLabels(int magic, int count, byte[] labels) {
        return ByteBuffer.allocate(8 + labels.length).putInt(magic).putInt(count).put(labels).array();
    }

    /** @return data gzip-compressed */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Asserts that the code throws a VcexException and returns its message. */
    static String failure(Executable code) {
        return assertThrows(VcexException.class, code).getMessage();
    }
}
