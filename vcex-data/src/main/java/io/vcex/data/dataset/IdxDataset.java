package io.vcex.data.dataset;

import io.vcex.core.VcexException;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Grey images with integer labels in the IDX format of LeCun et al.'s MNIST distribution
 * ({@code http://yann.lecun.com/exdb/mnist/}): an image file (magic number {@code 0x00000803},
 * then the image count, rows and columns as big-endian 32-bit integers, then one unsigned byte per
 * pixel, row by row) and a label file (magic {@code 0x00000801}, the count, one unsigned byte per
 * label). Either file may be gzip-compressed; this is detected from its first two bytes
 * ({@code 0x1f 0x8b}), not its name.
 *
 * <p>Both files are read into memory once (MNIST's training images are 47 MB). Image {@code i}
 * is a one-channel {@link ImageData} with pixel values {@code byte / 255}; its id is {@code i}
 * and its one label, {@value #LABEL}, is the label byte as a decimal number.
 */
public final class IdxDataset implements Dataset {

    /** The key of the label. */
    public static final String LABEL = "label";
    /** Magic number of an IDX file of unsigned-byte images (three dimensions). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned-byte labels (one dimension). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;

    private final String name;
    private final byte[] images;
    private final byte[] labels;
    private final int count;
    private final ImageSpec spec;

    private IdxDataset(String name, byte[] images, byte[] labels, int count, int rows, int cols) {
        this.name = name;
        this.images = images;
        this.labels = labels;
        this.count = count;
        this.spec = new ImageSpec(1, rows, cols);
    }

    /**
     * @param imagesFile an IDX image file, raw or gzip
     * @param labelsFile the matching IDX label file, raw or gzip
     * @return the data set, named after the image file
     */
    public static IdxDataset open(Path imagesFile, Path labelsFile) {
        return open(imagesFile.getFileName().toString(), imagesFile, labelsFile);
    }

    /**
     * @param name the data set's name, for messages
     * @param imagesFile an IDX image file, raw or gzip
     * @param labelsFile the matching IDX label file, raw or gzip
     * @return the data set
     * @throws VcexException naming the file when one is missing, is not the IDX file expected (the
     *     message gives the magic number found and the one expected), is truncated, or the two
     *     files hold different numbers of items
     */
    public static IdxDataset open(String name, Path imagesFile, Path labelsFile) {
        return fromBytes(name, readFile(imagesFile), imagesFile, readFile(labelsFile), labelsFile);
    }

    /**
     * @param name the data set's name
     * @param imageBytes the content of an IDX image file, raw or gzip
     * @param imagesSource where it came from, for messages
     * @param labelBytes the content of an IDX label file, raw or gzip
     * @param labelsSource where it came from, for messages
     * @return the data set
     */
    static IdxDataset fromBytes(String name, byte[] imageBytes, Path imagesSource, byte[] labelBytes,
            Path labelsSource) {
        byte[] images = gunzipIfNeeded(imageBytes, imagesSource);
        byte[] labels = gunzipIfNeeded(labelBytes, labelsSource);
        ByteBuffer ih = header(images, imagesSource, IMAGES_MAGIC, IMAGES_HEADER, "image");
        int count = dimension(ih.getInt(4), imagesSource, "image count", 0);
        int rows = dimension(ih.getInt(8), imagesSource, "row count", 1);
        int cols = dimension(ih.getInt(12), imagesSource, "column count", 1);
        checkLength(images, imagesSource, IMAGES_HEADER, (long) count * rows * cols,
                count + " images of " + rows + "x" + cols + " pixels");
        ByteBuffer lh = header(labels, labelsSource, LABELS_MAGIC, LABELS_HEADER, "label");
        int labelCount = dimension(lh.getInt(4), labelsSource, "label count", 0);
        checkLength(labels, labelsSource, LABELS_HEADER, labelCount, labelCount + " labels");
        if (labelCount != count) {
            throw new VcexException("Image file " + imagesSource + " holds " + count + " images but label file "
                    + labelsSource + " holds " + labelCount + " labels; they must belong together");
        }
        return new IdxDataset(name, images, labels, count, rows, cols);
    }

    private static byte[] readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new VcexException("IDX file not found: " + file);
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new VcexException("Cannot read IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] gunzipIfNeeded(byte[] bytes, Path source) {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
            return bytes;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 1 << 16)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new VcexException("IDX file " + source + " is gzip-compressed but cannot be decompressed "
                    + "(truncated or damaged): " + e.getMessage(), e);
        }
    }

    private static ByteBuffer header(byte[] data, Path source, int magic, int headerLength, String kind) {
        if (data.length < 4) {
            throw new VcexException("IDX file " + source + " is truncated: " + data.length
                    + " bytes, too short for a header");
        }
        ByteBuffer buf = ByteBuffer.wrap(data);
        int found = buf.getInt(0);
        if (found != magic) {
            String hint = found == IMAGES_MAGIC ? " (that of an IDX image file)"
                    : found == LABELS_MAGIC ? " (that of an IDX label file)" : "";
            throw new VcexException("File " + source + " is not an IDX " + kind + " file: it starts with magic number "
                    + hex(found) + hint + " but " + hex(magic) + " is expected"
                    + (hint.isEmpty() ? "" : "; are the image and label files swapped?"));
        }
        if (data.length < headerLength) {
            throw new VcexException("IDX file " + source + " is truncated: " + data.length
                    + " bytes, shorter than its " + headerLength + "-byte header");
        }
        return buf;
    }

    private static int dimension(int value, Path source, String what, int min) {
        if (value < min) {
            throw new VcexException("IDX file " + source + " has an invalid " + what + " " + value
                    + " in its header (need at least " + min + ")");
        }
        return value;
    }

    private static void checkLength(byte[] data, Path source, int headerLength, long payload, String what) {
        long expected = headerLength + payload;
        if (expected > Integer.MAX_VALUE - 8) {
            throw new VcexException("IDX file " + source + " announces " + what + ", too many to hold in memory");
        }
        if (data.length < expected) {
            throw new VcexException("IDX file " + source + " is truncated: its header announces " + what + " ("
                    + expected + " bytes with the header) but it has only " + data.length + " bytes");
        }
        if (data.length > expected) {
            throw new VcexException("IDX file " + source + " has " + (data.length - expected)
                    + " bytes after the " + what + " its header announces; it is damaged or not an IDX file");
        }
    }

    private static String hex(int v) {
        return String.format("0x%08X", v);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public LabeledImage get(int index) {
        Datasets.checkIndex(this, index);
        int plane = spec.height() * spec.width();
        float[] px = new float[plane];
        int offset = IMAGES_HEADER + index * plane;
        for (int i = 0; i < plane; i++) {
            px[i] = (images[offset + i] & 0xff) / 255f;
        }
        return new LabeledImage(Integer.toString(index), new ImageData(1, spec.height(), spec.width(), px),
                labels(index), List.of());
    }

    @Override
    public Map<String, String> labels(int index) {
        return Map.of(LABEL, Integer.toString(label(index)));
    }

    /**
     * @param index 0 to {@code size() - 1}
     * @return the label of that image, 0 to 255, without decoding the image
     */
    public int label(int index) {
        Datasets.checkIndex(this, index);
        return labels[LABELS_HEADER + index] & 0xff;
    }

    @Override
    public ImageSpec imageSpec() {
        return spec;
    }

    @Override
    public List<String> labelNames() {
        return List.of(LABEL);
    }
}
