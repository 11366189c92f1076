package io.vcex.core.context;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded random generator that is split by name, never shared globally.
 *
 * <p>{@link #derive(String)} and {@link #derive(long)} give independent streams whose values
 * depend only on this generator's seed and the label, not on how many numbers were drawn
 * before. So image {@code i} of a data set gets the same pixels whether it is rendered alone or
 * as part of a batch, and adding a random draw in one place does not shift every other result.
 *
 * <p>Tensors are filled from this generator in Java rather than from the engine's global random
 * state, so results are reproducible without touching process-wide settings.
 */
public final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final long seed;
    private final SplittableRandom random;

    /** @param seed the seed; the same seed gives the same stream */
    public Rng(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(mix(seed));
    }

    /** @return the seed this generator was made with */
    public long seed() {
        return seed;
    }

    /**
     * @param label a name for the sub-stream (for example "noise" or "split")
     * @return an independent generator determined by this seed and the label alone
     */
    public Rng derive(String label) {
        long h = 1125899906842597L;
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b;
        }
        return new Rng(mix(seed ^ mix(h)));
    }

    /**
     * @param index an index (for example the image number)
     * @return an independent generator determined by this seed and the index alone
     */
    public Rng derive(long index) {
        return new Rng(mix(seed + GOLDEN * (index + 1)));
    }

    /** SplitMix64's finaliser: a bijective mix of 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @return uniform on [0, 1) */
    public double nextDouble() {
        return random.nextDouble();
    }

    /** @return uniform on [0, 1): 24 random bits, so it never rounds up to 1 */
    public float nextFloat() {
        return (random.nextInt() >>> 8) * 0x1.0p-24f;
    }

    /**
     * @param low inclusive
     * @param high exclusive
     * @return uniform on [low, high)
     */
    public double uniform(double low, double high) {
        return low + (high - low) * random.nextDouble();
    }

    /**
     * @param bound exclusive upper bound, positive
     * @return uniform integer on [0, bound)
     */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** @return a standard normal draw */
    public double nextGaussian() {
        return random.nextGaussian();
    }

    /** @return 64 random bits */
    public long nextLong() {
        return random.nextLong();
    }

    /**
     * @param p probability of true, in [0, 1]
     * @return true with probability p
     */
    public boolean bernoulli(double p) {
        return random.nextDouble() < p;
    }

    /**
     * @param items the choices
     * @param <T> item type
     * @return one item, uniformly
     */
    public <T> T choose(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /**
     * @param n size
     * @return a uniformly random permutation of 0..n-1 (Fisher-Yates)
     */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * @param manager the scope that owns the result
     * @param shape the shape
     * @return a float32 tensor of independent standard normal draws
     */
    public NDArray normal(NDManager manager, Shape shape) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return manager.create(v, shape);
    }

    /**
     * @param manager the scope that owns the result
     * @param shape the shape
     * @param low inclusive
     * @param high exclusive
     * @return a float32 tensor of independent uniform draws
     */
    public NDArray uniform(NDManager manager, Shape shape, float low, float high) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = low + (high - low) * (float) random.nextDouble();
        }
        return manager.create(v, shape);
    }
}
