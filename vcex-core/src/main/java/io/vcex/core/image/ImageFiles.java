package io.vcex.core.image;

import io.vcex.core.VcexException;
import io.vcex.core.files.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Image files: PNG and JPEG (and whatever else ImageIO reads) in, PNG out. Every failure is a
 * {@link VcexException} whose message names the file and the problem.
 *
 * <p>PNG output is byte-for-byte deterministic: ImageIO writes no time stamp, so the same pixels
 * always give the same file.
 */
public final class ImageFiles {

    private ImageFiles() {
    }

    /**
     * Reads an image keeping its colour: grey files give one channel, all others three.
     *
     * @param file the image file
     * @return the image in [0, 1]
     */
    public static ImageData read(Path file) {
        BufferedImage img = decode(file);
        boolean grey = img.getColorModel().getNumColorComponents() == 1;
        return ImageData.fromBufferedImage(img, grey ? 1 : 3);
    }

    /**
     * Reads an image, converts it to the wanted channel count and checks its size.
     *
     * @param file the image file
     * @param channels 1 or 3 (converted if the file differs)
     * @param height expected rows, or 0 to accept any
     * @param width expected columns, or 0 to accept any
     * @return the image in [0, 1]
     */
    public static ImageData read(Path file, int channels, int height, int width) {
        BufferedImage img = decode(file);
        if ((height > 0 && img.getHeight() != height) || (width > 0 && img.getWidth() != width)) {
            throw new VcexException("Image " + file + " is " + img.getWidth() + "x" + img.getHeight()
                    + " pixels (width x height) but " + width + "x" + height + " is expected");
        }
        return ImageData.fromBufferedImage(img, channels);
    }

    /**
     * An image file's size and channel count, read from its header without decoding the pixels.
     *
     * @param width columns
     * @param height rows
     * @param channels 1 for grey files, 3 otherwise (as {@link #read(Path)} returns them)
     */
    public record Header(int width, int height, int channels) {
    }

    /**
     * @param file an image file
     * @return its header
     */
    public static Header header(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new VcexException("Image file not found: " + file);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new VcexException("Cannot decode image " + file + ": not a PNG, JPEG, GIF or BMP file");
            }
            ImageReader r = readers.next();
            try {
                r.setInput(in);
                ImageTypeSpecifier type = r.getRawImageType(0);
                int components = type == null ? 3 : type.getColorModel().getNumColorComponents();
                return new Header(r.getWidth(0), r.getHeight(0), components == 1 ? 1 : 3);
            } finally {
                r.dispose();
            }
        } catch (IOException e) {
            throw new VcexException("Cannot read the header of image " + file + ": " + e.getMessage(), e);
        }
    }

    private static BufferedImage decode(Path file) {
        if (!Files.exists(file)) {
            throw new VcexException("Image file not found: " + file);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new VcexException("Image path is not a readable file: " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            BufferedImage img = ImageIO.read(in);
            if (img == null) {
                throw new VcexException("Cannot decode image " + file
                        + ": not a PNG, JPEG, GIF or BMP file (or the file is damaged)");
            }
            return img;
        } catch (IOException | RuntimeException e) {
            if (e instanceof VcexException v) {
                throw v;
            }
            throw new VcexException("Cannot decode image " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a PNG through a temporary file and an atomic rename, so a reader never sees half a
     * file. Parent folders are created.
     *
     * @param image the image
     * @param file the PNG to write
     */
    public static void writePng(ImageData image, Path file) {
        writePng(image.toBufferedImage(), file);
    }

    /**
     * @param image a Java2D image
     * @param file the PNG to write, atomically
     */
    public static void writePng(BufferedImage image, Path file) {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new VcexException("Output file " + file + " must end in .png");
        }
        AtomicFiles.write(file, tmp -> {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer is available");
            }
        });
    }
}
