package io.vcex.data.dataset;

import static io.vcex.data.dataset.Fixtures.failure;
import static io.vcex.data.dataset.Fixtures.png;
import static io.vcex.data.dataset.Fixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetViewsTest {
    private static final ImageSpec GREY = new ImageSpec(1, 2, 2);

    @TempDir
    Path dir;
    private FolderDataset ds;

    private static void assertHas(String msg, String... parts) {
        for (String p : parts) {
            assertTrue(msg.contains(p), () -> "expected '" + p + "' in: " + msg);
        }
    }

    private static List<String> ids(Dataset d) {
        return d.range(0, d.size()).stream().map(LabeledImage::id).toList();
    }

    @BeforeEach
    void fiveImages() {
        StringBuilder csv = new StringBuilder("file,split,digit\n");
        for (int i = 0; i < 5; i++) {
            png(dir.resolve("i" + i + ".png"), 1, 2, 2, i);
            csv.append("i").append(i).append(".png,").append(i % 2 == 0 ? "train" : "test").append(',').append(i)
                    .append('\n');
        }
        text(dir.resolve("labels.csv"), csv.toString());
        ds = FolderDataset.open(dir, GREY);
    }

    @Test
    void rangeReturnsDecodedItemsInOrder() {
        List<LabeledImage> items = ds.range(1, 4);
        assertEquals(List.of("i1.png", "i2.png", "i3.png"), items.stream().map(LabeledImage::id).toList());
        assertEquals(GREY.height(), items.get(0).image().height());
        assertEquals(List.of(), ds.range(2, 2));
        assertHas(failure(() -> ds.range(3, 6)), "3..6", "5 images");
        assertHas(failure(() -> ds.range(3, 2)), "3..2");
    }

    @Test
    void subsetKeepsOrderAndRepeatsAndCopiesTheIndices() {
        int[] picks = {4, 0, 4};
        Dataset sub = ds.subset(picks);
        picks[0] = 1;
        assertEquals(List.of("i4.png", "i0.png", "i4.png"), ids(sub));
        assertEquals(GREY, sub.imageSpec());
        assertEquals(ds.labelNames(), sub.labelNames());
        assertEquals("0", sub.labels(1).get("digit"));
        assertHas(failure(() -> ds.subset(new int[] {0, 5})), "index 5", "position 1", "5 images");
        assertHas(failure(() -> sub.get(3)), "Index 3", "0 to 2");
    }

    @Test
    void whereFiltersByLabelAndComposes() {
        Dataset test = ds.where("split", "test");
        assertEquals(List.of("i1.png", "i3.png"), ids(test));
        assertTrue(test.name().contains("split=test"), test.name());
        assertEquals(List.of("i3.png"), ids(test.where("digit", "3")));
    }

    @Test
    void whereReadsLabelsWithoutDecodingImages() throws Exception {
        Files.delete(dir.resolve("i1.png"));
        Dataset train = ds.where("split", "train");
        assertEquals(3, train.size());
        assertHas(failure(() -> ds.where("split", "test").get(0)), "i1.png");
    }

    @Test
    void whereWithUnknownKeyOrNoMatchSaysWhatExists() {
        assertHas(failure(() -> ds.where("spilt", "test")), "no label 'spilt'", "digit, split");
        assertHas(failure(() -> ds.where("split", "tset")), "split=tset", "test, train");
    }

    @Test
    void defaultLabelsComeFromGet() {
        Dataset memory = new Dataset() {
            @Override
            public String name() {
                return "memory";
            }

            @Override
            public int size() {
                return 3;
            }

            @Override
            public LabeledImage get(int index) {
                return new LabeledImage("m" + index, ImageData.zeros(1, 2, 2), Map.of("odd", index % 2 == 1 ? "yes" : "no"),
                        null);
            }

            @Override
            public ImageSpec imageSpec() {
                return GREY;
            }

            @Override
            public List<String> labelNames() {
                return List.of("odd");
            }
        };
        assertEquals(List.of("m0", "m2"), ids(memory.where("odd", "no")));
    }
}
