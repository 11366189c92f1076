package io.vcex.data.world;

import io.vcex.core.context.Rng;
import io.vcex.core.image.ImageData;
import java.util.List;

/**
 * The procedural faces world: a seeded, indexable population of cartoon faces with ground truth.
 * Face {@code i} depends only on the config, the seed and {@code i} (its random stream is
 * derived from the index), so any face can be made alone, in any order, on any thread.
 */
public final class FacesWorld {
    /** Captions made per face. */
    public static final int CAPTIONS_PER_FACE = 3;

    private final WorldConfig config;
    private final long seed;
    private final Rng root;
    private final FaceSampler sampler;
    private final FaceRenderer renderer;
    private final Captioner captioner = Captioner.standard();

    /**
     * @param config the distribution
     * @param seed the world's seed
     */
    public FacesWorld(WorldConfig config, long seed) {
        this.config = config;
        this.seed = seed;
        this.root = new Rng(seed);
        this.sampler = new FaceSampler(config);
        this.renderer = new FaceRenderer(config);
    }

    /** @return the distribution */
    public WorldConfig config() {
        return config;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return the renderer (for true counterfactuals and landmarks) */
    public FaceRenderer renderer() {
        return renderer;
    }

    /**
     * @param index face index, 0 or more
     * @return its ground truth
     */
    public FaceAttributes attributes(int index) {
        return sampler.sample(root.derive("face").derive(index));
    }

    /**
     * @param index face index
     * @return "train", "val" or "test", from the configured fractions
     */
    public String split(int index) {
        double u = root.derive("split").derive(index).nextDouble();
        return u < config.trainFraction() ? "train" : u < config.trainFraction() + config.valFraction() ? "val" : "test";
    }

    /**
     * @param index face index
     * @return the face, rendered and captioned
     */
    public WorldSample sample(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("face index must be 0 or more, got " + index);
        }
        FaceAttributes a = attributes(index);
        List<String> captions = captioner.captions(a, root.derive("caption").derive(index), CAPTIONS_PER_FACE);
        return new WorldSample(index, a, renderer.render(a), captions, split(index));
    }

    /**
     * @param attributes any ground truth (for example a face with one attribute changed)
     * @return its image
     */
    public ImageData render(FaceAttributes attributes) {
        return renderer.render(attributes);
    }
}
