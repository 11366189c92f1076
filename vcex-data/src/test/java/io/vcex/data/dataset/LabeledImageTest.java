package io.vcex.data.dataset;

import static io.vcex.data.dataset.Fixtures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.image.ImageData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabeledImageTest {
    private static final ImageData IMG = ImageData.zeros(1, 2, 2);

    private static LabeledImage item(Map<String, String> labels) {
        return new LabeledImage("a.png", IMG, labels, null);
    }

    @Test
    void labelsAreSortedAndCollectionsAreUnmodifiableCopies() {
        Map<String, String> labels = new HashMap<>(Map.of("zeta", "1", "alpha", "2", "mid", "3"));
        List<String> captions = new ArrayList<>(List.of("a cat"));
        LabeledImage it = new LabeledImage("a.png", IMG, labels, captions);
        labels.put("beta", "4");
        captions.add("a dog");

        assertEquals(List.of("alpha", "mid", "zeta"), List.copyOf(it.labels().keySet()));
        assertEquals(List.of("a cat"), it.captions());
        assertThrows(UnsupportedOperationException.class, () -> it.labels().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> it.captions().add("x"));
    }

    @Test
    void nullLabelsAndCaptionsBecomeEmpty() {
        LabeledImage it = new LabeledImage("0", IMG, null, null);
        assertTrue(it.labels().isEmpty());
        assertTrue(it.captions().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "1", "yes", " Yes "})
    void flagAcceptsTrueSpellings(String value) {
        assertTrue(item(Map.of("hat", value)).flag("hat"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "False", "0", "no", "NO"})
    void flagAcceptsFalseSpellings(String value) {
        assertFalse(item(Map.of("hat", value)).flag("hat"));
    }

    @Test
    void flagRejectsOtherValuesNamingKeyAndValue() {
        String msg = failure(() -> item(Map.of("hat", "maybe")).flag("hat"));
        assertTrue(msg.contains("'hat'") && msg.contains("'maybe'") && msg.contains("a.png"), msg);
    }

    @Test
    void missingLabelNamesKeyAndListsAvailableKeys() {
        String msg = failure(() -> item(Map.of("split", "test", "smile", "1")).label("hat"));
        assertTrue(msg.contains("'hat'") && msg.contains("smile, split"), msg);
        String none = failure(() -> item(Map.of()).flag("hat"));
        assertTrue(none.contains("'hat'") && none.contains("none"), none);
    }

    @Test
    void intLabelParsesWholeNumbersAndNamesBadValues() {
        assertEquals(7, item(Map.of("label", "7")).intLabel("label"));
        String msg = failure(() -> item(Map.of("label", "seven")).intLabel("label"));
        assertTrue(msg.contains("'label'") && msg.contains("'seven'"), msg);
    }
}
