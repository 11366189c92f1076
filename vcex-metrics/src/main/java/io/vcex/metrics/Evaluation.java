package io.vcex.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.classifier.Scores;
import io.vcex.core.context.Progress;
import io.vcex.core.context.VcexContext;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * What metrics are computed from: originals and their counterfactuals (pair {@code i} is
 * {@code originals.get(i)} and {@code counterfactuals.get(i)}), and the models some metrics need:
 * the explained classifier (validity, COUT), a feature network (FID, perceptual distance, face
 * similarity) and an oracle (MNAC, CD). Model outputs are computed once, in batches, each batch
 * in its own scope, and shared by every metric. Images are adapted to a model's input (channels
 * converted, size resampled) where they differ.
 *
 * <p>The lists may be lazy (for example backed by files) so thousands of images need not be in
 * memory at once: only one batch is materialised at a time.
 */
public final class Evaluation {
    private static final String VALIDITY = "flip_rate, target_confidence and cout";
    private final VcexContext ctx;
    private final List<ImageData> originals;
    private final List<ImageData> counterfactuals;
    private final BlackBoxClassifier classifier;
    private final int[] requestedTargets;
    private final ImageFeatures features;
    private final BlackBoxClassifier oracle;
    private final List<ImageData> reference;
    private final String targetAttribute;
    private final int batchSize;
    private Scores originalScores;
    private Scores counterfactualScores;
    private float[][] oracleOriginals;
    private float[][] oracleCounterfactuals;
    private float[][] referenceFeatures;
    private float[][] counterfactualFeatures;

    private Evaluation(Builder b) {
        this.ctx = Objects.requireNonNull(b.ctx, "context");
        this.originals = b.originals;
        this.counterfactuals = b.counterfactuals;
        if (originals == null || counterfactuals == null || originals.isEmpty()) {
            throw new VcexException("An evaluation needs at least one original and its counterfactual");
        }
        if (originals.size() != counterfactuals.size()) {
            throw new VcexException("An evaluation needs one counterfactual per original, got " + originals.size()
                    + " originals and " + counterfactuals.size() + " counterfactuals");
        }
        this.classifier = b.classifier;
        this.requestedTargets = b.targets;
        if (requestedTargets != null && requestedTargets.length != originals.size()) {
            throw new VcexException(requestedTargets.length + " target classes for " + originals.size() + " pairs");
        }
        this.features = b.features;
        this.oracle = b.oracle;
        this.reference = b.reference == null ? originals : b.reference;
        this.targetAttribute = b.targetAttribute;
        if (oracle != null && targetAttribute != null && !oracle.spec().classNames().contains(targetAttribute)) {
            throw new VcexException("Target attribute '" + targetAttribute + "' is not an output of the oracle '"
                    + oracle.spec().name() + "'; its outputs are " + oracle.spec().classNames());
        }
        this.batchSize = b.batchSize;
    }

    /**
     * @param ctx the context
     * @return a builder; originals and counterfactuals are required
     */
    public static Builder builder(VcexContext ctx) {
        return new Builder(ctx);
    }

    /** @return the context */
    public VcexContext context() {
        return ctx;
    }

    /** @return number of pairs */
    public int size() {
        return originals.size();
    }

    /** @return the originals */
    public List<ImageData> originals() {
        return originals;
    }

    /** @return the counterfactuals */
    public List<ImageData> counterfactuals() {
        return counterfactuals;
    }

    /**
     * @param metric the asking metric
     * @return the oracle's attribute names
     */
    public String[] oracleNames(String metric) {
        return requireOracle(metric).spec().classNames().toArray(new String[0]);
    }

    /**
     * @param requirements what a metric needs
     * @return a description of what this evaluation lacks of them, or null when it has everything
     */
    public String missing(java.util.Set<Metric.Requirement> requirements) {
        List<String> lack = new ArrayList<>();
        for (Metric.Requirement r : requirements) {
            boolean has = switch (r) {
                case CLASSIFIER -> classifier != null;
                case FEATURES -> features != null;
                case ORACLE -> oracle != null;
                case TARGET_ATTRIBUTE -> targetAttribute != null;
            };
            if (!has) {
                lack.add(switch (r) {
                    case CLASSIFIER -> "the explained classifier (--classifier)";
                    case FEATURES -> "a feature network (the zoo's feature-net, --features)";
                    case ORACLE -> "an oracle (a multi-attribute classifier, --oracle)";
                    case TARGET_ATTRIBUTE -> "the target attribute (--target-attribute)";
                });
            }
        }
        return lack.isEmpty() ? null : String.join(" and ", lack);
    }

    /** @return the attribute the counterfactuals were meant to change (oracle output name), or null */
    public String targetAttribute() {
        return targetAttribute;
    }

    /**
     * @param metric the asking metrics' names, for the message
     * @return the classifier
     */
    public BlackBoxClassifier requireClassifier(String metric) {
        if (classifier == null) {
            throw new VcexException("The metrics " + metric + " need the explained classifier (--classifier)");
        }
        return classifier;
    }

    /**
     * @param metric the asking metric
     * @return the feature network
     */
    public ImageFeatures requireFeatures(String metric) {
        if (features == null) {
            throw new VcexException("Metric '" + metric + "' needs a feature network (the zoo's feature-net)");
        }
        return features;
    }

    /**
     * @param metric the asking metric
     * @return the oracle
     */
    public BlackBoxClassifier requireOracle(String metric) {
        if (oracle == null) {
            throw new VcexException("Metric '" + metric + "' needs an oracle (a multi-attribute classifier, --oracle)");
        }
        return oracle;
    }

    /** @return the classifier's scores of the originals (computed once) */
    public Scores originalScores() {
        if (originalScores == null) {
            originalScores = classify(requireClassifier(VALIDITY), originals, "classifying originals");
        }
        return originalScores;
    }

    /** @return the classifier's scores of the counterfactuals (computed once) */
    public Scores counterfactualScores() {
        if (counterfactualScores == null) {
            counterfactualScores = classify(requireClassifier(VALIDITY), counterfactuals, "classifying counterfactuals");
        }
        return counterfactualScores;
    }

    /** @return the class the classifier gives each original */
    public int[] sourceClasses() {
        Scores s = originalScores();
        int[] src = new int[size()];
        for (int i = 0; i < src.length; i++) {
            src[i] = s.predicted(i);
        }
        return src;
    }

    /**
     * The class each counterfactual should reach: as requested, or for "flip" (-1 or no targets)
     * the other class of a binary classifier, or for more classes the second most probable class
     * of the original.
     *
     * @return target class per pair
     */
    public int[] targetClasses() {
        Scores s = originalScores();
        int[] src = sourceClasses();
        int[] t = new int[size()];
        for (int i = 0; i < t.length; i++) {
            int r = requestedTargets == null ? -1 : requestedTargets[i];
            if (r >= 0) {
                t[i] = r;
            } else {
                float[] p = s.probabilities()[i];
                int best = -1;
                for (int c = 0; c < p.length; c++) {
                    if (c != src[i] && (best < 0 || p[c] > p[best])) {
                        best = c;
                    }
                }
                t[i] = best;
            }
        }
        return t;
    }

    /**
     * Classifies any images with the explained classifier, in batches (black-box queries).
     *
     * @param images images
     * @param label progress label, or null for no progress of its own
     * @return class probabilities, one row per image
     */
    public float[][] probabilities(List<ImageData> images, String label) {
        return classify(requireClassifier(VALIDITY), images, label).probabilities();
    }

    /**
     * @param metric the asking metric
     * @return the oracle's probabilities of the originals (computed once)
     */
    public float[][] oracleOriginals(String metric) {
        if (oracleOriginals == null) {
            oracleOriginals = classify(requireOracle(metric), originals, "oracle on originals").probabilities();
        }
        return oracleOriginals;
    }

    /**
     * @param metric the asking metric
     * @return the oracle's probabilities of the counterfactuals (computed once)
     */
    public float[][] oracleCounterfactuals(String metric) {
        if (oracleCounterfactuals == null) {
            oracleCounterfactuals = classify(requireOracle(metric), counterfactuals, "oracle on counterfactuals").probabilities();
        }
        return oracleCounterfactuals;
    }

    /**
     * @param metric the asking metric
     * @return feature vectors of the reference (real) images, for Frechet distances
     */
    public float[][] referenceFeatures(String metric) {
        if (referenceFeatures == null) {
            ImageFeatures f = requireFeatures(metric);
            referenceFeatures = map(reference, f.imageSpec(), "features of real images", (m, x) -> ImageTensors.rows(f.poolFeatures(x)));
        }
        return referenceFeatures;
    }

    /**
     * @param metric the asking metric
     * @return feature vectors of the counterfactuals, for Frechet distances
     */
    public float[][] counterfactualFeatures(String metric) {
        if (counterfactualFeatures == null) {
            ImageFeatures f = requireFeatures(metric);
            counterfactualFeatures = map(counterfactuals, f.imageSpec(), "features of counterfactuals",
                    (m, x) -> ImageTensors.rows(f.poolFeatures(x)));
        }
        return counterfactualFeatures;
    }

    /**
     * Runs a function of two batches (originals and counterfactuals) over every pair.
     *
     * @param spec the model's input
     * @param label progress label
     * @param fn per batch: (originals, counterfactuals) to one value per pair
     * @return one value per pair
     */
    public double[] pairwise(ImageSpec spec, String label, BiFunction<NDArray, NDArray, NDArray> fn) {
        double[] out = new double[size()];
        try (Progress.Task task = ctx.progress().start(label, size())) {
            for (int from = 0; from < size(); from += batchSize) {
                int to = Math.min(size(), from + batchSize);
                try (NDManager scope = ctx.newScope()) {
                    NDArray a = batch(scope, originals.subList(from, to), spec);
                    NDArray b = batch(scope, counterfactuals.subList(from, to), spec);
                    float[] v = fn.apply(a, b).toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        out[from + i] = v[i];
                    }
                }
                task.step(to - from);
            }
        }
        return out;
    }

    private Scores classify(BlackBoxClassifier c, List<ImageData> images, String label) {
        ImageSpec spec = c.spec().input();
        List<float[]> raw = new ArrayList<>();
        List<float[]> prob = new ArrayList<>();
        Progress progress = label == null ? Progress.silent() : ctx.progress();
        try (Progress.Task task = progress.start(label, images.size())) {
            for (int from = 0; from < images.size(); from += batchSize) {
                int to = Math.min(images.size(), from + batchSize);
                try (NDManager scope = ctx.newScope()) {
                    Scores s = c.scores(batch(scope, images.subList(from, to), spec));
                    raw.addAll(List.of(s.raw()));
                    prob.addAll(List.of(s.probabilities()));
                }
                task.step(to - from);
            }
        }
        return new Scores(raw.toArray(new float[0][]), prob.toArray(new float[0][]));
    }

    private float[][] map(List<ImageData> images, ImageSpec spec, String label, BiFunction<NDManager, NDArray, float[][]> fn) {
        List<float[]> out = new ArrayList<>();
        try (Progress.Task task = ctx.progress().start(label, images.size())) {
            for (int from = 0; from < images.size(); from += batchSize) {
                int to = Math.min(images.size(), from + batchSize);
                try (NDManager scope = ctx.newScope()) {
                    out.addAll(List.of(fn.apply(scope, batch(scope, images.subList(from, to), spec))));
                }
                task.step(to - from);
            }
        }
        return out.toArray(new float[0][]);
    }

    /**
     * @param scope scope of the batch
     * @param images images
     * @param spec the model's input: channels converted and size resampled where they differ
     * @return an NCHW batch in [0, 1]
     */
    static NDArray batch(NDManager scope, List<ImageData> images, ImageSpec spec) {
        List<ImageData> adapted = new ArrayList<>(images.size());
        for (ImageData img : images) {
            adapted.add(img.withChannels(spec.channels()).resize(spec.height(), spec.width()));
        }
        return ImageTensors.toBatch(scope, adapted, ValueRange.UNIT);
    }

    /** Builds an {@link Evaluation}. */
    public static final class Builder {
        private final VcexContext ctx;
        private List<ImageData> originals;
        private List<ImageData> counterfactuals;
        private BlackBoxClassifier classifier;
        private int[] targets;
        private ImageFeatures features;
        private BlackBoxClassifier oracle;
        private List<ImageData> reference;
        private String targetAttribute;
        private int batchSize = 64;

        private Builder(VcexContext ctx) {
            this.ctx = ctx;
        }

        /**
         * @param orig originals
         * @param cf their counterfactuals, in the same order
         * @return this builder
         */
        public Builder setPairs(List<ImageData> orig, List<ImageData> cf) {
            this.originals = orig;
            this.counterfactuals = cf;
            return this;
        }

        /**
         * @param value the explained classifier
         * @return this builder
         */
        public Builder optClassifier(BlackBoxClassifier value) {
            this.classifier = value;
            return this;
        }

        /**
         * @param value target class per pair (-1: flip)
         * @return this builder
         */
        public Builder optTargets(int[] value) {
            this.targets = value == null ? null : value.clone();
            return this;
        }

        /**
         * @param value a feature network
         * @return this builder
         */
        public Builder optFeatures(ImageFeatures value) {
            this.features = value;
            return this;
        }

        /**
         * @param value a multi-attribute classifier (one output per attribute, sigmoid)
         * @return this builder
         */
        public Builder optOracle(BlackBoxClassifier value) {
            this.oracle = value;
            return this;
        }

        /**
         * @param value real images to compare the counterfactuals' distribution with (default: the originals)
         * @return this builder
         */
        public Builder optReference(List<ImageData> value) {
            this.reference = value;
            return this;
        }

        /**
         * @param value the oracle attribute the counterfactuals were meant to change (for CD, and left
         *     out of MNAC)
         * @return this builder
         */
        public Builder optTargetAttribute(String value) {
            this.targetAttribute = value;
            return this;
        }

        /**
         * @param value images per model call (default 64)
         * @return this builder
         */
        public Builder optBatchSize(int value) {
            if (value < 1) {
                throw new VcexException("batch size must be at least 1, got " + value);
            }
            this.batchSize = value;
            return this;
        }

        /** @return the evaluation */
        public Evaluation build() {
            return new Evaluation(this);
        }
    }
}
