package io.vcex.core.context;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import java.nio.file.Path;

/**
 * The explicit execution context every algorithm receives: the engine scope that owns native
 * memory, the seeded random generator, the thread settings and where progress goes. There are
 * no singletons in vcex; whatever an algorithm needs from its surroundings comes from here.
 *
 * <p>Memory discipline: the context owns one root {@link NDManager}. Work opens a child scope
 * with {@link #newScope()} in a try-with-resources block, attaches its temporaries to it and
 * copies results out (to Java arrays or to a longer-lived scope) before it closes. Closing the
 * context closes every scope still open.
 *
 * <p>The engine puts the result of an operation in the scope of its first operand. A long-lived
 * array used inside a step must therefore be lent to the step with
 * {@code step.tempAttachAll(state)} (it goes back when the step closes), or every temporary
 * computed from it would outlive the step.
 *
 * <pre>{@code
 * try (VcexContext ctx = VcexContext.builder().seed(1).build();
 *      NDManager step = ctx.newScope()) {
 *     NDArray x = ctx.rng("noise").normal(step, new Shape(4, 3, 64, 64));
 * }
 * }</pre>
 */
public final class VcexContext implements AutoCloseable {
    /** Engine name: vcex runs on DJL's PyTorch engine. */
    public static final String ENGINE = "PyTorch";

    private final long seed;
    private final int threads;
    private final Progress progress;
    private final NDManager root;
    private final Rng rng;

    private VcexContext(Builder b) {
        this.seed = b.seed;
        this.threads = b.threads;
        this.progress = b.progress;
        this.rng = new Rng(b.seed);
        configureEngine(b.threads, b.cacheDir);
        try {
            this.root = Engine.getEngine(ENGINE).newBaseManager();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new VcexException("Cannot start the " + ENGINE + " engine (DJL " + Engine.getDjlVersion()
                    + "): " + e.getMessage() + ". Run ./vcex, which builds the project with its native "
                    + "libraries, or check that the DJL_CACHE_DIR folder is writable.", e);
        }
        this.root.setName("vcex-root");
    }

    /**
     * Sets the engine's offline mode, cache folder and thread counts through DJL's system
     * properties, unless the caller already set them. They take effect when the engine is first
     * loaded in this process; later contexts inherit the first one's thread settings.
     */
    private static void configureEngine(int threads, Path cacheDir) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(threads));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        if (cacheDir != null) {
            setIfAbsent("DJL_CACHE_DIR", cacheDir.toString());
            setIfAbsent("ENGINE_CACHE_DIR", cacheDir.toString());
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** @return a builder with seed 0, 2 threads and silent progress */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the seed of this context */
    public long seed() {
        return seed;
    }

    /** @return the engine's intra-op thread count requested by this context */
    public int threads() {
        return threads;
    }

    /** @return the context's root generator */
    public Rng rng() {
        return rng;
    }

    /**
     * @param label the stream's name
     * @return the generator for that stream, the same for the same seed and label
     */
    public Rng rng(String label) {
        return rng.derive(label);
    }

    /** @return where progress is reported */
    public Progress progress() {
        return progress;
    }

    /** @return the root scope; prefer {@link #newScope()} for work */
    public NDManager manager() {
        return root;
    }

    /** @return a child scope to close with try-with-resources */
    public NDManager newScope() {
        return root.newSubManager();
    }

    /** @return the number of native arrays alive in this context (all scopes, recursively) */
    public int liveArrays() {
        return root.getManagedArrays().size();
    }

    @Override
    public void close() {
        root.close();
    }

    /** Builds a {@link VcexContext}; every setting is optional. */
    public static final class Builder {
        private long seed;
        private int threads = 2;
        private Progress progress = Progress.silent();
        private Path cacheDir;

        private Builder() {
        }

        /**
         * @param value the seed of every random stream
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * @param value engine intra-op threads, at least 1 (2 on the reference machine)
         * @return this builder
         */
        public Builder optThreads(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + value);
            }
            this.threads = value;
            return this;
        }

        /**
         * @param value where progress goes
         * @return this builder
         */
        public Builder optProgress(Progress value) {
            this.progress = java.util.Objects.requireNonNull(value, "progress");
            return this;
        }

        /**
         * @param value the engine's cache folder (natives unpack there)
         * @return this builder
         */
        public Builder optCacheDir(Path value) {
            this.cacheDir = value;
            return this;
        }

        /** @return the context; close it when done */
        public VcexContext build() {
            return new VcexContext(this);
        }
    }
}
