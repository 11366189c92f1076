package io.vcex.data.dataset;

import io.vcex.core.VcexException;
import java.util.Collection;
import java.util.stream.Collectors;

/** Checks and message helpers shared by the data sets of this package. */
final class Datasets {

    private Datasets() {
    }

    /**
     * @param dataset the data set indexed
     * @param index an index
     * @return the index, when it is in range
     */
    static int checkIndex(Dataset dataset, int index) {
        if (index < 0 || index >= dataset.size()) {
            throw new VcexException("Index " + index + " is out of range for data set '" + dataset.name()
                    + "' of " + images(dataset.size()) + " (valid: 0 to " + (dataset.size() - 1) + ")");
        }
        return index;
    }

    /**
     * @param n a count
     * @return "1 image" or "n images"
     */
    static String images(int n) {
        return n == 1 ? "1 image" : n + " images";
    }

    /**
     * @param values values to list
     * @param max how many to name
     * @return the first {@code max} values joined by commas, with a count of the rest
     */
    static String listSome(Collection<String> values, int max) {
        if (values.isEmpty()) {
            return "none";
        }
        String some = values.stream().limit(max).collect(Collectors.joining(", "));
        return values.size() > max ? some + " (and " + (values.size() - max) + " more)" : some;
    }
}
