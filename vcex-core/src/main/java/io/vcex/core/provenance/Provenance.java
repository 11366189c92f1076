package io.vcex.core.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcex.core.config.Json;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a result came from: the full config, the SHA-256 of every model file used, the seed and
 * the versions. Every result record carries one, so a figure can be traced and re-made.
 *
 * <p>It deliberately holds no time stamp: the same inputs give a byte-identical provenance,
 * which keeps outputs reproducible file for file. Timing belongs in the result itself.
 *
 * @param kind what produced the result (a command or method name, for example "world.render")
 * @param config the config as JSON
 * @param seed the seed
 * @param models model name to SHA-256 of its weights file
 * @param vcexVersion vcex version
 * @param djlVersion Deep Java Library version
 * @param libtorchVersion engine natives version
 * @param javaVersion the Java runtime's version
 */
public record Provenance(String kind, JsonNode config, long seed, Map<String, String> models,
        String vcexVersion, String djlVersion, String libtorchVersion, String javaVersion) {

    /** Copies the model map into a sorted, unmodifiable one. */
    public Provenance {
        models = java.util.Collections.unmodifiableMap(new TreeMap<>(models == null ? Map.of() : models));
    }

    /**
     * @param kind what produced the result
     * @param config the config record
     * @param seed the seed
     * @param modelFiles model name to weights file (each is hashed)
     * @return the provenance with the running versions
     */
    public static Provenance of(String kind, Object config, long seed, Map<String, Path> modelFiles) {
        Map<String, String> hashes = new TreeMap<>();
        modelFiles.forEach((name, file) -> hashes.put(name, Hashing.sha256(file)));
        return new Provenance(kind, Json.tree(config), seed, hashes, Versions.vcex(), Versions.djl(),
                Versions.libtorch(), Versions.java());
    }

    /**
     * @param kind what produced the result
     * @param config the config record
     * @param seed the seed
     * @param models the models used, with the hashes of their files (keys become "model/file")
     * @return the provenance with the running versions
     */
    public static Provenance ofModels(String kind, Object config, long seed, java.util.List<ModelInfo> models) {
        Map<String, String> hashes = new TreeMap<>();
        for (ModelInfo m : models) {
            if (m.fileSha256().isEmpty()) {
                hashes.put(m.name(), "in-memory");
            }
            m.fileSha256().forEach((file, sha) -> hashes.put(m.name() + "/" + file, sha));
        }
        return new Provenance(kind, Json.tree(config), seed, hashes, Versions.vcex(), Versions.djl(),
                Versions.libtorch(), Versions.java());
    }

    /**
     * @param kind what produced the result
     * @param config the config record
     * @param seed the seed
     * @return the provenance of a result that used no model file
     */
    public static Provenance of(String kind, Object config, long seed) {
        return of(kind, config, seed, Map.of());
    }
}
