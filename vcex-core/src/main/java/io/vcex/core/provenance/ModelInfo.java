package io.vcex.core.provenance;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a model is and which files it was loaded from, for provenance.
 *
 * @param name the model's name (a zoo name, or a file name for users' models)
 * @param fileSha256 file name to SHA-256, for every file the model was loaded from (empty for
 *     models built in memory)
 */
public record ModelInfo(String name, Map<String, String> fileSha256) {

    /** Copies the map into a sorted, unmodifiable one. */
    public ModelInfo {
        fileSha256 = java.util.Collections.unmodifiableMap(new TreeMap<>(fileSha256));
    }

    /**
     * @param name the model's name
     * @return the info of a model built in memory (no files)
     */
    public static ModelInfo inMemory(String name) {
        return new ModelInfo(name, Map.of());
    }
}
