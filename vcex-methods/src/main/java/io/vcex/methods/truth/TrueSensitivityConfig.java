package io.vcex.methods.truth;

import io.vcex.core.config.Check;
import io.vcex.core.config.ConfigException;
import io.vcex.data.world.FaceAttributes;
import io.vcex.data.world.WorldConfig;
import java.util.List;

/**
 * Configuration of the ground-truth sensitivity analysis.
 *
 * @param attributes binary attributes to toggle (default: all of {@link FaceAttributes#BINARY})
 * @param samples faces per attribute (default 200)
 * @param seed world seed of the faces (default 7, apart from every zoo training seed)
 * @param world the faces' distribution (default: the unbiased in-prior world)
 */
public record TrueSensitivityConfig(List<String> attributes, Integer samples, Long seed, WorldConfig world) {

    /** Fills defaults and validates. */
    public TrueSensitivityConfig {
        attributes = attributes == null ? FaceAttributes.BINARY : List.copyOf(attributes);
        for (String a : attributes) {
            if (!FaceAttributes.BINARY.contains(a)) {
                throw new ConfigException("attributes", a, "must be binary attributes of the faces world: " + FaceAttributes.BINARY);
            }
        }
        samples = samples == null ? 200 : Check.range("samples", samples, 1, 100_000);
        seed = seed == null ? 7L : seed;
        world = world == null ? WorldConfig.inPrior() : world;
    }

    /** @return every default */
    public static TrueSensitivityConfig defaults() {
        return new TrueSensitivityConfig(null, null, null, null);
    }
}
