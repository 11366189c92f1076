package io.vcex.data.world;

import io.vcex.core.config.Check;

/**
 * What {@code vcex world dataset --config FILE} reads: the world's distribution, the seed and
 * how many faces to export. Missing fields take their defaults (seed 1, 1000 faces, the
 * in-prior world).
 *
 * @param seed the world's seed
 * @param count how many faces (indices 0..count-1)
 * @param world the distribution
 */
public record WorldDatasetConfig(Long seed, Integer count, WorldConfig world) {

    /** Fills defaults and validates. */
    public WorldDatasetConfig {
        seed = seed == null ? 1L : seed;
        count = count == null ? 1000 : Check.range("count", count, 1, 10_000_000);
        world = world == null ? WorldConfig.inPrior() : world;
    }
}
