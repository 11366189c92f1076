package io.vcex.data.dataset;

import io.vcex.core.VcexException;
import io.vcex.core.image.ImageData;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One item of a {@link Dataset}: an image with its labels and captions.
 *
 * <p>Labels are strings, as they appear in the user's file ({@code "7"}, {@code "true"},
 * {@code "test"}); the typed helpers {@link #label}, {@link #flag} and {@link #intLabel} read
 * them with errors that name the image, the key and the value.
 *
 * @param id the item's name in its data set: a file path relative to the labels file, or an index
 * @param image the pixels
 * @param labels label key to value, sorted by key and unmodifiable (an empty map when null is given)
 * @param captions free-text descriptions, unmodifiable, possibly empty (an empty list when null is
 *     given)
 */
public record LabeledImage(String id, ImageData image, Map<String, String> labels, List<String> captions) {

    /**
     * Copies labels and captions into unmodifiable collections and checks that nothing is null.
     *
     * @param id the item's name in its data set
     * @param image the pixels
     * @param labels label key to value, or null for none
     * @param captions captions, or null for none
     */
    public LabeledImage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(image, "image");
        SortedMap<String, String> sorted = new TreeMap<>();
        if (labels != null) {
            labels.forEach((k, v) -> sorted.put(
                    Objects.requireNonNull(k, "label key"),
                    Objects.requireNonNull(v, () -> "value of label '" + k + "'")));
        }
        labels = Collections.unmodifiableSortedMap(sorted);
        captions = captions == null ? List.of() : List.copyOf(captions);
    }

    /**
     * @param key a label key, for example {@code "split"}
     * @return its value
     * @throws VcexException naming the key and listing the keys this image has, when it is missing
     */
    public String label(String key) {
        String value = labels.get(key);
        if (value == null) {
            throw new VcexException("Image '" + id + "' has no label '" + key + "'; its labels are "
                    + (labels.isEmpty() ? "none" : String.join(", ", labels.keySet())));
        }
        return value;
    }

    /**
     * Reads a yes/no label. Accepted (ignoring case and surrounding spaces): {@code true/false},
     * {@code 1/0}, {@code yes/no}.
     *
     * @param key a label key, for example {@code "attributes.hat"}
     * @return its value as a boolean
     * @throws VcexException naming the key and the value when it is missing or not a flag
     */
    public boolean flag(String key) {
        String value = label(key);
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new VcexException("Label '" + key + "' of image '" + id + "' is '" + value
                    + "', which is not a flag (use true/false, 1/0 or yes/no)");
        };
    }

    /**
     * Reads a whole-number label, such as a class index.
     *
     * @param key a label key, for example {@code "label"}
     * @return its value as an int
     * @throws VcexException naming the key and the value when it is missing or not a whole number
     */
    public int intLabel(String key) {
        String value = label(key);
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new VcexException("Label '" + key + "' of image '" + id + "' is '" + value
                    + "', which is not a whole number", e);
        }
    }
}
