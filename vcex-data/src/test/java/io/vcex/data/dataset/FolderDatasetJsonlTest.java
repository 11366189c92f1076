package io.vcex.data.dataset;

import static io.vcex.data.dataset.Fixtures.failure;
import static io.vcex.data.dataset.Fixtures.png;
import static io.vcex.data.dataset.Fixtures.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderDatasetJsonlTest {
    private static final ImageSpec RGB = new ImageSpec(3, 3, 4);

    @TempDir
    Path dir;

    private static void assertHas(String msg, String... parts) {
        for (String p : parts) {
            assertTrue(msg.contains(p), () -> "expected '" + p + "' in: " + msg);
        }
    }

    private String openFailure(String jsonl) {
        png(dir.resolve("a.png"), 3, 3, 4, 1);
        png(dir.resolve("b.png"), 3, 3, 4, 2);
        text(dir.resolve("labels.jsonl"), jsonl);
        return failure(() -> FolderDataset.open(dir, null, RGB, FolderDataset.Unlabelled.IGNORE));
    }

    @Test
    void flattensNestedObjectsAndTurnsScalarsIntoStrings() {
        ImageData a = png(dir.resolve("a.png"), 3, 3, 4, 1);
        png(dir.resolve("faces/b.png"), 3, 3, 4, 2);
        text(dir.resolve("labels.jsonl"), """
                {"file": "a.png", "split": "train", "age": 31, "score": 0.5, "note": null, \
                "attributes": {"hat": true, "glasses": {"round": false}}, "captions": ["a man", "with a hat"]}

                {"file": "faces/b.png", "split": "test", "attributes": {"hat": false}}
                """);

        FolderDataset ds = FolderDataset.open(dir, RGB);

        assertEquals(2, ds.size());
        assertEquals(List.of("age", "attributes.glasses.round", "attributes.hat", "score", "split"), ds.labelNames());
        LabeledImage first = ds.get(0);
        assertEquals(Map.of("split", "train", "age", "31", "score", "0.5", "attributes.hat", "true",
                "attributes.glasses.round", "false"), first.labels());
        assertEquals(List.of("a man", "with a hat"), first.captions());
        assertTrue(first.flag("attributes.hat"));
        assertFalse(first.flag("attributes.glasses.round"));
        assertArrayEquals(a.pixels(), first.image().pixels(), 1e-6f);
        LabeledImage second = ds.get(1);
        assertEquals("faces/b.png", second.id());
        assertFalse(second.flag("attributes.hat"));
        assertEquals(List.of(), second.captions());
    }

    @Test
    void malformedLineIsNamedCountingBlankLines() {
        String msg = openFailure("{\"file\": \"a.png\"}\n\n{\"file\": \"b.png\", \"split\": }\n");
        assertHas(msg, "labels.jsonl line 3", "not valid JSON");
    }

    @Test
    void twoObjectsOnOneLineAreMalformed() {
        String msg = openFailure("{\"file\": \"a.png\"} {\"file\": \"b.png\"}\n");
        assertHas(msg, "labels.jsonl line 1", "more than one JSON value");
    }

    @Test
    void repeatedKeyIsMalformed() {
        String msg = openFailure("{\"file\": \"a.png\", \"split\": \"a\", \"split\": \"b\"}\n");
        assertHas(msg, "line 1", "split");
    }

    @Test
    void lineThatIsNotAnObjectIsNamed() {
        assertHas(openFailure("{\"file\": \"a.png\"}\n[\"b.png\"]\n"), "labels.jsonl line 2", "an array");
    }

    @Test
    void missingOrNonStringFileIsNamed() {
        assertHas(openFailure("{\"split\": \"test\"}\n"), "line 1", "\"file\"", "no \"file\" key");
        assertHas(openFailure("{\"file\": 3}\n"), "line 1", "\"file\"", "found 3");
    }

    @Test
    void captionsMustBeAnArrayOfStrings() {
        assertHas(openFailure("{\"file\": \"a.png\", \"captions\": \"a cat\"}\n"), "line 1", "\"captions\"",
                "a string");
        assertHas(openFailure("{\"file\": \"a.png\", \"captions\": [\"ok\", 2]}\n"), "line 1", "only strings");
    }

    @Test
    void arrayLabelIsNamed() {
        assertHas(openFailure("{\"file\": \"a.png\"}\n{\"file\": \"b.png\", \"meta\": {\"tags\": [1, 2]}}\n"),
                "line 2", "'meta.tags'", "array");
    }

    @Test
    void dottedKeyClashingWithNestedKeyIsNamed() {
        assertHas(openFailure("{\"file\": \"a.png\", \"a.b\": 1, \"a\": {\"b\": 2}}\n"), "line 1", "'a.b'", "twice");
    }

    @Test
    void duplicateAndMissingImagesNameTheLines() {
        assertHas(openFailure("{\"file\": \"a.png\"}\n{\"file\": \"b.png\"}\n{\"file\": \"a.png\"}\n"),
                "labels.jsonl line 3", "already listed on line 1");
        assertHas(openFailure("{\"file\": \"a.png\"}\n\n{\"file\": \"zz.png\"}\n"), "labels.jsonl line 3",
                "'zz.png'", "not found");
    }
}
