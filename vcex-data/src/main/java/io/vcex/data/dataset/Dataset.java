package io.vcex.data.dataset;

import io.vcex.core.VcexException;
import io.vcex.core.image.ImageSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An indexed, read-only list of labelled images that all have one shape ({@link #imageSpec()}).
 *
 * <p>Implementations decode images in {@link #get} and answer {@link #labels} without decoding, so
 * filtering with {@link #where} stays cheap. The views returned by {@link #subset} and {@link #where}
 * share the underlying data.
 */
public interface Dataset {

    /** @return a short name for messages, for example {@code mnist-test} or the folder's name */
    String name();

    /** @return the number of images */
    int size();

    /**
     * @param index 0 to {@code size() - 1}
     * @return the image with its labels
     * @throws VcexException when the index is out of range (the message names the data set and
     *     the valid range) or the image cannot be read (the message names the file)
     */
    LabeledImage get(int index);

    /** @return the shape of every image this data set returns */
    ImageSpec imageSpec();

    /** @return the label keys that occur in this data set, sorted */
    List<String> labelNames();

    /**
     * The labels of one item without decoding its image. Implementations that decode in
     * {@link #get} override this.
     *
     * @param index 0 to {@code size() - 1}
     * @return the labels of that item, as in {@link LabeledImage#labels()}
     */
    default Map<String, String> labels(int index) {
        return get(index).labels();
    }

    /**
     * @param from first index, inclusive
     * @param to last index, exclusive
     * @return the decoded items {@code from} to {@code to - 1}
     */
    default List<LabeledImage> range(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new VcexException("Range " + from + ".." + to + " is not valid for data set '" + name()
                    + "' of " + Datasets.images(size()) + " (need 0 <= from <= to <= " + size() + ")");
        }
        List<LabeledImage> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(get(i));
        }
        return out;
    }

    /**
     * @param indices indices into this data set, in the order wanted (repeats allowed); copied
     * @return a view of those items
     */
    default Dataset subset(int[] indices) {
        Objects.requireNonNull(indices, "indices");
        for (int k = 0; k < indices.length; k++) {
            if (indices[k] < 0 || indices[k] >= size()) {
                throw new VcexException("Subset index " + indices[k] + " (at position " + k
                        + ") is out of range for data set '" + name() + "' of " + Datasets.images(size()));
            }
        }
        return new SubsetDataset(this, indices.clone(), name() + "[" + indices.length + " selected]");
    }

    /**
     * Keeps the items whose label {@code labelKey} equals {@code value}, for example
     * {@code where("split", "test")}.
     *
     * @param labelKey a key from {@link #labelNames()}
     * @param value the wanted value, compared exactly
     * @return a view of the matching items
     * @throws VcexException when the key is unknown (the message lists the keys) or no item matches
     *     (the message lists the values the key has)
     */
    default Dataset where(String labelKey, String value) {
        Objects.requireNonNull(labelKey, "labelKey");
        Objects.requireNonNull(value, "value");
        if (!labelNames().contains(labelKey)) {
            throw new VcexException("Data set '" + name() + "' has no label '" + labelKey + "'; its labels are "
                    + (labelNames().isEmpty() ? "none" : String.join(", ", labelNames())));
        }
        List<Integer> hits = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < size(); i++) {
            String v = labels(i).get(labelKey);
            if (value.equals(v)) {
                hits.add(i);
            } else if (v != null) {
                seen.add(v);
            }
        }
        if (hits.isEmpty()) {
            throw new VcexException("No image of data set '" + name() + "' has " + labelKey + "=" + value
                    + "; the values of " + labelKey + " are " + Datasets.listSome(seen, 20));
        }
        return new SubsetDataset(this, hits.stream().mapToInt(Integer::intValue).toArray(),
                name() + "[" + labelKey + "=" + value + "]");
    }
}
