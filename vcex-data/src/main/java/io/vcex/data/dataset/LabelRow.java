package io.vcex.data.dataset;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of a labels file, as written: the image path (relative to the labels file's folder),
 * its labels and captions, and the line the row starts on, for messages.
 *
 * @param line 1-based line number in the labels file
 * @param file the image path as written
 * @param labels label key to value (kept sorted by key)
 * @param captions captions, possibly empty
 */
record LabelRow(int line, String file, Map<String, String> labels, List<String> captions) {

    /** Makes labels and captions unmodifiable copies, the labels sorted by key. */
    LabelRow {
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        captions = List.copyOf(captions);
    }
}
