package io.vcex.data.dataset;

import static io.vcex.data.dataset.Fixtures.bytes;
import static io.vcex.data.dataset.Fixtures.failure;
import static io.vcex.data.dataset.Fixtures.gzip;
import static io.vcex.data.dataset.Fixtures.idxImages;
import static io.vcex.data.dataset.Fixtures.idxLabels;
import static io.vcex.data.dataset.IdxDataset.IMAGES_MAGIC;
import static io.vcex.data.dataset.IdxDataset.LABELS_MAGIC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.image.ImageSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {
    /** Two images of 2 rows x 3 columns. */
    private static final byte[] PIXELS = {0, (byte) 255, (byte) 128, 1, 2, 3, /* image 1: */ 10, 20, 30, 40, 50, (byte) 200};
    private static final byte[] IMAGES = idxImages(IMAGES_MAGIC, 2, 2, 3, PIXELS);
    private static final byte[] LABELS = idxLabels(LABELS_MAGIC, 2, new byte[] {7, (byte) 250});

    @TempDir
    Path dir;

    private static void assertHas(String msg, String... parts) {
        for (String p : parts) {
            assertTrue(msg.contains(p), () -> "expected '" + p + "' in: " + msg);
        }
    }

    private static float[] scaled(int from, int to) {
        float[] out = new float[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = (PIXELS[i] & 0xff) / 255f;
        }
        return out;
    }

    private void checkContent(IdxDataset ds) {
        assertEquals(2, ds.size());
        assertEquals(new ImageSpec(1, 2, 3), ds.imageSpec());
        assertEquals(List.of("label"), ds.labelNames());
        LabeledImage first = ds.get(0);
        assertEquals("0", first.id());
        assertEquals(Map.of("label", "7"), first.labels());
        assertArrayEquals(scaled(0, 6), first.image().pixels());
        assertEquals(1f, first.image().get(0, 0, 1));
        LabeledImage second = ds.get(1);
        assertEquals("1", second.id());
        assertEquals(250, second.intLabel("label"));
        assertEquals(250, ds.label(1));
        assertArrayEquals(scaled(6, 12), second.image().pixels());
    }

    @Test
    void readsRawFiles() {
        checkContent(IdxDataset.open(bytes(dir.resolve("images.idx"), IMAGES), bytes(dir.resolve("labels.idx"), LABELS)));
    }

    @Test
    void detectsGzipByContentNotName() {
        Path gzNamedRaw = bytes(dir.resolve("images-idx3-ubyte"), gzip(IMAGES));
        Path rawNamedGz = bytes(dir.resolve("labels-idx1-ubyte.gz"), LABELS);
        IdxDataset ds = IdxDataset.open("tiny", gzNamedRaw, rawNamedGz);
        assertEquals("tiny", ds.name());
        checkContent(ds);
    }

    @Test
    void whereAndSubsetSelectByLabel() {
        IdxDataset ds = IdxDataset.open(bytes(dir.resolve("i"), IMAGES), bytes(dir.resolve("l"), LABELS));
        Dataset sevens = ds.where("label", "7");
        assertEquals(1, sevens.size());
        assertEquals("0", sevens.get(0).id());
        assertEquals("1", ds.subset(new int[] {1, 1, 0}).get(0).id());
    }

    @Test
    void missingFileIsNamed() {
        Path labels = bytes(dir.resolve("labels.idx"), LABELS);
        Path nowhere = dir.resolve("nowhere.idx");
        assertHas(failure(() -> IdxDataset.open(nowhere, labels)), "not found", nowhere.toString());
    }

    @Test
    void wrongMagicSaysWhatWasFoundAndExpected() {
        Path images = bytes(dir.resolve("images.idx"), IMAGES);
        Path labels = bytes(dir.resolve("labels.idx"), LABELS);
        assertHas(failure(() -> IdxDataset.open(labels, images)), "labels.idx", "0x00000801", "0x00000803", "swapped");

        Path png = bytes(dir.resolve("picture.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        String msg = failure(() -> IdxDataset.open(png, labels));
        assertHas(msg, "picture.png", "0x89504E47", "0x00000803");
    }

    @Test
    void truncatedPixelsNameTheFileAndTheSizes() {
        Path images = bytes(dir.resolve("images.idx"), Arrays.copyOf(IMAGES, IMAGES.length - 1));
        Path labels = bytes(dir.resolve("labels.idx"), LABELS);
        assertHas(failure(() -> IdxDataset.open(images, labels)), "images.idx", "truncated", "2 images of 2x3",
                "28 bytes", "27 bytes");
    }

    @Test
    void truncatedHeaderOrLabelsAreNamed() {
        Path images = bytes(dir.resolve("images.idx"), IMAGES);
        Path shortHeader = bytes(dir.resolve("short.idx"), Arrays.copyOf(IMAGES, 10));
        Path labels = bytes(dir.resolve("labels.idx"), LABELS);
        assertHas(failure(() -> IdxDataset.open(shortHeader, labels)), "short.idx", "truncated", "header");
        Path tiny = bytes(dir.resolve("tiny.idx"), new byte[] {0, 0});
        assertHas(failure(() -> IdxDataset.open(tiny, labels)), "tiny.idx", "truncated");
        Path shortLabels = bytes(dir.resolve("short-labels.idx"), Arrays.copyOf(LABELS, LABELS.length - 1));
        assertHas(failure(() -> IdxDataset.open(images, shortLabels)), "short-labels.idx", "truncated", "2 labels");
    }

    @Test
    void truncatedGzipIsNamed() {
        byte[] gz = gzip(IMAGES);
        Path images = bytes(dir.resolve("images.gz"), Arrays.copyOf(gz, gz.length / 2));
        Path labels = bytes(dir.resolve("labels.idx"), LABELS);
        assertHas(failure(() -> IdxDataset.open(images, labels)), "images.gz", "gzip", "truncated or damaged");
    }

    @Test
    void extraBytesAfterTheDataAreAnError() {
        Path images = bytes(dir.resolve("images.idx"), Arrays.copyOf(IMAGES, IMAGES.length + 3));
        Path labels = bytes(dir.resolve("labels.idx"), LABELS);
        assertHas(failure(() -> IdxDataset.open(images, labels)), "images.idx", "3 bytes after");
    }

    @Test
    void negativeDimensionIsNamed() {
        Path images = bytes(dir.resolve("images.idx"), idxImages(IMAGES_MAGIC, 2, -2, 3, PIXELS));
        Path labels = bytes(dir.resolve("labels.idx"), LABELS);
        assertHas(failure(() -> IdxDataset.open(images, labels)), "images.idx", "row count -2");
    }

    @Test
    void countMismatchNamesBothFilesAndCounts() {
        Path images = bytes(dir.resolve("images.idx"), IMAGES);
        Path labels = bytes(dir.resolve("labels.idx"), idxLabels(LABELS_MAGIC, 3, new byte[] {1, 2, 3}));
        assertHas(failure(() -> IdxDataset.open(images, labels)), "images.idx", "2 images", "labels.idx", "3 labels");
    }

    @Test
    void indexOutOfRangeIsNamed() {
        IdxDataset ds = IdxDataset.open("tiny", bytes(dir.resolve("i"), IMAGES), bytes(dir.resolve("l"), LABELS));
        assertHas(failure(() -> ds.get(2)), "Index 2", "'tiny'", "0 to 1");
        assertHas(failure(() -> ds.labels(-1)), "Index -1");
    }
}
