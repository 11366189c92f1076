package io.vcex.data.dataset;

import static io.vcex.data.dataset.Fixtures.failure;
import static io.vcex.data.dataset.Fixtures.png;
import static io.vcex.data.dataset.Fixtures.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.context.Progress;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageSpec;
import io.vcex.data.dataset.FolderDataset.Unlabelled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderDatasetCsvTest {
    private static final ImageSpec GREY = new ImageSpec(1, 4, 5);

    @TempDir
    Path dir;

    private static void assertHas(String msg, String... parts) {
        for (String p : parts) {
            assertTrue(msg.contains(p), () -> "expected '" + p + "' in: " + msg);
        }
    }

    @Test
    void readsLabelsQuotedValuesCaptionsAndSubfolders() {
        ImageData a = png(dir.resolve("a.png"), 1, 4, 5, 1);
        ImageData b = png(dir.resolve("sub/b.png"), 1, 4, 5, 2);
        text(dir.resolve("labels.csv"), """
                file,split,note,captions
                a.png,train,"hello, world","a cat| a ""fluffy"" dog |"
                ./sub/b.png,test,plain,
                """);

        FolderDataset ds = FolderDataset.open(dir, GREY);

        assertEquals(dir.getFileName().toString(), ds.name());
        assertEquals(2, ds.size());
        assertEquals(GREY, ds.imageSpec());
        assertEquals(List.of("note", "split"), ds.labelNames());
        LabeledImage first = ds.get(0);
        assertEquals("a.png", first.id());
        assertEquals(Map.of("split", "train", "note", "hello, world"), first.labels());
        assertEquals(List.of("a cat", "a \"fluffy\" dog"), first.captions());
        assertArrayEquals(a.pixels(), first.image().pixels(), 1e-6f);
        LabeledImage second = ds.get(1);
        assertEquals("sub/b.png", second.id());
        assertEquals(List.of(), second.captions());
        assertEquals("test", second.label("split"));
        assertArrayEquals(b.pixels(), second.image().pixels(), 1e-6f);
        assertEquals(dir.resolve("sub/b.png").toAbsolutePath(), ds.file(1));
    }

    @Test
    void acceptsImageColumnCrlfByteOrderMarkAndBlankLines() {
        png(dir.resolve("x.png"), 1, 4, 5, 1);
        png(dir.resolve("y.png"), 1, 4, 5, 2);
        text(dir.resolve("labels.csv"), "\uFEFFlabel,Image\r\n\r\n3,x.png\r\n4,y.png\r\n\r\n");

        FolderDataset ds = FolderDataset.open(dir, GREY);

        assertEquals(2, ds.size());
        assertEquals(List.of("label"), ds.labelNames());
        assertEquals("y.png", ds.get(1).id());
        assertEquals(4, ds.get(1).intLabel("label"));
    }

    @Test
    void acceptsFilenameColumn() {
        png(dir.resolve("x.png"), 1, 4, 5, 1);
        text(dir.resolve("labels.csv"), "filename,smile\nx.png,yes\n");
        assertTrue(FolderDataset.open(dir, GREY).get(0).flag("smile"));
    }

    @Test
    void lineNumbersCountLineBreaksInsideQuotedValues() {
        png(dir.resolve("a.png"), 1, 4, 5, 1);
        text(dir.resolve("labels.csv"), "file,note\na.png,\"two\nlines\"\nmissing.png,x\n");

        String msg = failure(() -> FolderDataset.open(dir, GREY));

        assertHas(msg, "labels.csv line 4", "'missing.png'", "not found", dir.resolve("missing.png").toString());
    }

    @Test
    void quotedValueKeepsItsLineBreak() {
        png(dir.resolve("a.png"), 1, 4, 5, 1);
        text(dir.resolve("labels.csv"), "file,note\na.png,\"two\nlines\"\n");
        assertEquals("two\nlines", FolderDataset.open(dir, GREY).get(0).label("note"));
    }

    @Test
    void convertsRgbToGreyAndGreyToRgbWhenAShapeIsExpected() {
        ImageData rgb = png(dir.resolve("rgb.png"), 3, 4, 5, 1);
        ImageData grey = png(dir.resolve("grey.png"), 1, 4, 5, 2);
        text(dir.resolve("labels.csv"), "file\nrgb.png\ngrey.png\n");

        FolderDataset asGrey = FolderDataset.open(dir, new ImageSpec(1, 4, 5));
        FolderDataset asRgb = FolderDataset.open(dir, new ImageSpec(3, 4, 5));

        ImageData g0 = asGrey.get(0).image();
        assertEquals(1, g0.channels());
        assertArrayEquals(rgb.toGrey().pixels(), g0.pixels(), 1e-6f);
        ImageData c1 = asRgb.get(1).image();
        assertEquals(3, c1.channels());
        assertArrayEquals(grey.toRgb().pixels(), c1.pixels(), 1e-6f);
    }

    @Test
    void withoutAnExpectedShapeTheFirstImageSetsIt() {
        png(dir.resolve("a.png"), 3, 6, 7, 1);
        png(dir.resolve("b.png"), 3, 6, 7, 2);
        png(dir.resolve("c.png"), 1, 6, 7, 3);
        text(dir.resolve("labels.csv"), "file\na.png\nb.png\nc.png\n");

        FolderDataset ds = FolderDataset.open(dir, null);

        assertEquals(new ImageSpec(3, 6, 7), ds.imageSpec());
        assertEquals(3, ds.get(1).image().channels());
        String msg = failure(() -> ds.get(2));
        assertHas(msg, "c.png", "1x6x7", "3x6x7", "a.png", "line 4");
    }

    @Test
    void sizeMismatchIsAnErrorNamingTheFile() {
        png(dir.resolve("a.png"), 1, 4, 5, 1);
        png(dir.resolve("big.png"), 1, 8, 8, 1);
        text(dir.resolve("labels.csv"), "file\na.png\nbig.png\n");

        FolderDataset ds = FolderDataset.open(dir, GREY);

        assertEquals(4, ds.get(0).image().height());
        String msg = failure(() -> ds.get(1));
        assertHas(msg, "big.png", "8x8", "5x4", "line 3", "labels.csv");
    }

    @Test
    void validateReportsTheFirstBadImageAndReportsProgress() throws Exception {
        png(dir.resolve("a.png"), 1, 4, 5, 1);
        png(dir.resolve("b.png"), 1, 4, 5, 2);
        text(dir.resolve("labels.csv"), "file\na.png\nb.png\n");
        AtomicLong steps = new AtomicLong();
        AtomicLong total = new AtomicLong();
        Progress counting = (label, n) -> {
            total.set(n);
            return new Progress.Task() {
                @Override
                public void step(long k) {
                    steps.addAndGet(k);
                }

                @Override
                public void status(String s) {
                }

                @Override
                public void close() {
                }
            };
        };

        FolderDataset ds = FolderDataset.open(dir, GREY);
        ds.validate(counting);
        assertEquals(2, total.get());
        assertEquals(2, steps.get());

        Files.writeString(dir.resolve("b.png"), "not an image");
        String msg = failure(() -> ds.validate(null));
        assertHas(msg, "b.png", "Cannot decode", "line 3");
    }

    @Test
    void validateReportsAWrongSize() {
        png(dir.resolve("a.png"), 1, 4, 5, 1);
        png(dir.resolve("b.png"), 1, 4, 6, 2);
        text(dir.resolve("labels.csv"), "file\na.png\nb.png\n");
        String msg = failure(() -> FolderDataset.open(dir, GREY).validate(Progress.silent()));
        assertHas(msg, "b.png", "6x4");
    }

    @Test
    void missingFolderAndFileInsteadOfFolder() throws Exception {
        Path nowhere = dir.resolve("nowhere");
        assertHas(failure(() -> FolderDataset.open(nowhere, null)), "not found", nowhere.toString());
        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        assertHas(failure(() -> FolderDataset.open(file, null)), "Not a folder", "f.txt");
    }

    @Test
    void missingLabelsFileNamesWhatWasLookedFor() {
        png(dir.resolve("a.png"), 1, 4, 5, 1);
        assertHas(failure(() -> FolderDataset.open(dir, GREY)), "No labels file", "labels.csv", "labels.jsonl",
                dir.toString());
        Path given = dir.resolve("meta.csv");
        assertHas(failure(() -> FolderDataset.open(dir, given, GREY)), "not found", "meta.csv");
    }

    @Test
    void bothLabelsFilesAreAmbiguous() {
        png(dir.resolve("a.png"), 1, 4, 5, 1);
        text(dir.resolve("labels.csv"), "file\na.png\n");
        text(dir.resolve("labels.jsonl"), "{\"file\": \"a.png\"}\n");
        assertHas(failure(() -> FolderDataset.open(dir, GREY)), "both", "labels.csv", "labels.jsonl");
    }

    @Test
    void explicitLabelsFileResolvesPathsFromItsOwnFolder() {
        png(dir.resolve("images/a.png"), 1, 4, 5, 1);
        Path labels = text(dir.resolve("meta/train.csv"), "file,split\n../images/a.png,train\n");

        FolderDataset ds = FolderDataset.open(dir, labels, GREY);

        assertEquals(1, ds.size());
        assertEquals("../images/a.png", ds.get(0).id());
        assertEquals(labels.toAbsolutePath(), ds.labelsFile());
        Path txt = text(dir.resolve("meta/train.txt"), "file\n");
        assertHas(failure(() -> FolderDataset.open(dir, txt, GREY)), "train.txt", ".csv or .jsonl");
    }

    @Test
    void missingImageNamesLabelsFileLineAndImage() {
        png(dir.resolve("a.png"), 1, 4, 5, 1);
        text(dir.resolve("labels.csv"), "file,label\na.png,1\nb.png,2\nc.png,3\n");

        String msg = failure(() -> FolderDataset.open(dir, GREY));

        assertHas(msg, dir.resolve("labels.csv").toString() + " line 3", "'b.png'", "not found",
                "2 of 3 rows name missing images");
    }

    @Test
    void duplicateRowNamesBothLines() {
        png(dir.resolve("a.png"), 1, 4, 5, 1);
        text(dir.resolve("labels.csv"), "file,label\na.png,1\n./a.png,2\n");
        assertHas(failure(() -> FolderDataset.open(dir, GREY)), "labels.csv line 3", "'./a.png'",
                "already listed on line 2");
    }

    @Test
    void wrongNumberOfColumnsNamesTheLine() {
        png(dir.resolve("a.png"), 1, 4, 5, 1);
        png(dir.resolve("b.png"), 1, 4, 5, 1);
        text(dir.resolve("labels.csv"), "file,split,label\na.png,train,1\nb.png,test,1,extra\n");
        assertHas(failure(() -> FolderDataset.open(dir, GREY)), "labels.csv line 3", "4 values",
                "3 columns: file, split, label");
    }

    @Test
    void headerWithoutFileColumnListsTheColumns() {
        text(dir.resolve("labels.csv"), "path,label\na.png,1\n");
        assertHas(failure(() -> FolderDataset.open(dir, GREY)), "labels.csv line 1", "file, image or filename",
                "path, label");
    }

    @Test
    void repeatedOrEmptyHeaderNamesAreErrors() {
        text(dir.resolve("labels.csv"), "file,label,label\na.png,1,2\n");
        assertHas(failure(() -> FolderDataset.open(dir, GREY)), "line 1", "'label' twice");
        text(dir.resolve("labels.csv"), "file,,label\na.png,1,2\n");
        assertHas(failure(() -> FolderDataset.open(dir, GREY)), "line 1", "column 2", "no name");
    }

    @Test
    void unclosedQuoteNamesTheLineItOpensOn() {
        text(dir.resolve("labels.csv"), "file,note\na.png,ok\nb.png,\"never closed\nc.png,x\n");
        assertHas(failure(() -> FolderDataset.open(dir, GREY)), "labels.csv line 3", "never closed");
    }

    @Test
    void textAfterAClosingQuoteIsAnError() {
        text(dir.resolve("labels.csv"), "file,note\na.png,\"quoted\"tail\n");
        assertHas(failure(() -> FolderDataset.open(dir, GREY)), "labels.csv line 2", "unexpected 't'");
    }

    @Test
    void headerOnlyOrEmptyFileNamesNoImages() {
        text(dir.resolve("labels.csv"), "file,label\n");
        assertHas(failure(() -> FolderDataset.open(dir, GREY)), "names no images", "labels.csv");
        text(dir.resolve("labels.csv"), "");
        assertHas(failure(() -> FolderDataset.open(dir, GREY)), "labels.csv", "empty");
    }

    @Test
    void absoluteOrEmptyImagePathIsAnError() {
        png(dir.resolve("a.png"), 1, 4, 5, 1);
        text(dir.resolve("labels.csv"), "file\n" + dir.resolve("a.png").toAbsolutePath() + "\n");
        assertHas(failure(() -> FolderDataset.open(dir, GREY)), "line 2", "must be relative");
        text(dir.resolve("labels.csv"), "file,label\n,1\n");
        assertHas(failure(() -> FolderDataset.open(dir, GREY)), "line 2", "empty");
    }

    @Test
    void labelsFileThatIsNotUtf8IsNamed() throws Exception {
        Files.write(dir.resolve("labels.csv"), new byte[] {'f', 'i', 'l', 'e', '\n', (byte) 0xff, (byte) 0xfe, '\n'});
        assertHas(failure(() -> FolderDataset.open(dir, GREY)), "labels.csv", "not UTF-8");
    }

    @Test
    void unlabelledImagesAreListedUnlessAllowed() throws Exception {
        png(dir.resolve("a.png"), 1, 4, 5, 1);
        for (String name : List.of("u1.png", "u2.jpg", "sub/u3.JPEG", "sub/u4.png", "u5.png", "u6.png", "u7.png")) {
            Files.createDirectories(dir.resolve(name).getParent());
            Files.writeString(dir.resolve(name), "x");
        }
        Files.writeString(dir.resolve(".hidden.png"), "x");
        Files.createDirectories(dir.resolve(".cache"));
        Files.writeString(dir.resolve(".cache/c.png"), "x");
        Files.writeString(dir.resolve("notes.txt"), "x");
        text(dir.resolve("labels.csv"), "file\na.png\n");

        String msg = failure(() -> FolderDataset.open(dir, GREY));

        assertHas(msg, "7 image files", "labels.csv does not name", "sub/u3.JPEG, sub/u4.png, u1.png, u2.jpg, u5.png",
                "(and 2 more)");
        assertTrue(!msg.contains("hidden") && !msg.contains("notes") && !msg.contains("c.png"), msg);
        FolderDataset ds = FolderDataset.open(dir, null, GREY, Unlabelled.IGNORE);
        assertEquals(1, ds.size());
    }

    @Test
    void indexOutOfRangeNamesTheDataSetAndRange() {
        png(dir.resolve("a.png"), 1, 4, 5, 1);
        text(dir.resolve("labels.csv"), "file\na.png\n");
        FolderDataset ds = FolderDataset.open(dir, GREY);
        assertHas(failure(() -> ds.get(1)), "Index 1", dir.getFileName().toString(), "0 to 0");
        assertHas(failure(() -> ds.get(-1)), "Index -1");
    }
}
