package io.vcex.methods.gcd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.classifier.Scores;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counterfactual loss of GCD eq. 1 for one image x: L(x') = f(x') + lambda d(x', x), where f is
 * the score of x's own class (its logit or probability, {@link ScoreKind}) so that minimising it
 * moves away from that class, and d the perceptual distance. x' is a valid counterfactual when
 * the classifier's decision differs from x's.
 *
 * <p>The classifier is touched only through {@link BlackBoxClassifier#scores}: answers come back as
 * Java arrays, so nothing here can carry a gradient. Every image scored is counted.
 */
public final class CounterfactualLoss {
    private static final double P_FLOOR = 1e-12;

    private final BlackBoxClassifier classifier;
    private final ImageFeatures features;
    private final ImageData image;
    private final int imageClass;
    private final double imageProbability;
    private final ScoreKind kind;
    private final double lambda;
    private final AtomicLong queries;

    private CounterfactualLoss(BlackBoxClassifier classifier, ImageFeatures features, ImageData image, int imageClass,
            double imageProbability, ScoreKind kind, double lambda, AtomicLong queries) {
        this.classifier = classifier;
        this.features = features;
        this.image = image;
        this.imageClass = imageClass;
        this.imageProbability = imageProbability;
        this.kind = kind;
        this.lambda = lambda;
        this.queries = queries;
    }

    /**
     * Classifies x once to find its class.
     *
     * @param scope a scope for the query's temporaries
     * @param classifier the explained classifier, black-box
     * @param features the perceptual distance d
     * @param image x, in the classifier's input shape, values in [0, 1]
     * @param kind which score
     * @param lambda the distance weight
     * @param queries the counter of classifier queries (images scored), shared by a run
     * @return the loss for x
     */
    public static CounterfactualLoss of(NDManager scope, BlackBoxClassifier classifier, ImageFeatures features,
            ImageData image, ScoreKind kind, double lambda, AtomicLong queries) {
        ImageSpec in = classifier.spec().input();
        if (image.channels() != in.channels() || image.height() != in.height() || image.width() != in.width()) {
            throw new VcexException("Classifier '" + classifier.spec().name() + "' takes " + in + " but the image is "
                    + image.shapeString() + "; resize the images or put a resizing adapter on the generator");
        }
        ImageSpec fs = features.imageSpec();
        if (fs.height() != in.height() || fs.width() != in.width()) {
            throw new VcexException("The feature network '" + features.info().name() + "' reads " + fs
                    + " but the classifier's images are " + in);
        }
        try (NDManager s = scope.newSubManager()) {
            Scores sc = classifier.scores(ImageTensors.toBatch(s, image, ValueRange.UNIT));
            queries.incrementAndGet();
            int c = sc.predicted(0);
            return new CounterfactualLoss(classifier, features, image, c, sc.probability(0, c), kind, lambda, queries);
        }
    }

    /** @return x's class, the one a counterfactual must leave */
    public int imageClass() {
        return imageClass;
    }

    /** @return p(x's class | x) */
    public double imageProbability() {
        return imageProbability;
    }

    /** @return x */
    public ImageData image() {
        return image;
    }

    /** @return lambda */
    public double lambda() {
        return lambda;
    }

    /** @return the classifier's name */
    public String classifierName() {
        return classifier.spec().name();
    }

    /** @return images scored so far by every loss sharing the counter */
    public long queries() {
        return queries.get();
    }

    /**
     * @param candidates x' (N x C x H x W in [0, 1], the classifier's shape); not modified
     * @return score, distance, probability and decision of each
     */
    public Values evaluate(NDArray candidates) {
        int n = Math.toIntExact(candidates.getShape().get(0));
        try (NDManager s = candidates.getManager().newSubManager()) {
            NDArray x = candidates.duplicate();
            x.attach(s);
            Scores sc = classifier.scores(x);
            queries.addAndGet(n);
            NDArray src = ImageTensors.toBatch(s, image, ValueRange.UNIT).repeat(0, n);
            float[] d = features.perceptualDistance(x, src).toFloatArray();
            double[] score = new double[n];
            double[] dist = new double[n];
            double[] prob = new double[n];
            int[] predicted = new int[n];
            for (int i = 0; i < n; i++) {
                prob[i] = sc.probability(i, imageClass);
                predicted[i] = sc.predicted(i);
                score[i] = score(sc, i);
                dist[i] = d[i];
            }
            return new Values(score, dist, prob, predicted, imageClass, lambda);
        }
    }

    /**
     * Queries the classifier only (no distance).
     *
     * @param candidates N x C x H x W in [0, 1]; not modified
     * @return p(x's class) of each
     */
    public double[] probabilities(NDArray candidates) {
        int n = Math.toIntExact(candidates.getShape().get(0));
        try (NDManager s = candidates.getManager().newSubManager()) {
            NDArray x = candidates.duplicate();
            x.attach(s);
            Scores sc = classifier.scores(x);
            queries.addAndGet(n);
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                p[i] = sc.probability(i, imageClass);
            }
            return p;
        }
    }

    private double score(Scores sc, int i) {
        if (kind == ScoreKind.PROBABILITY) {
            return sc.probability(i, imageClass);
        }
        if (classifier.spec().outputKind() == OutputKind.BINARY_LOGIT) {
            float z = sc.raw()[i][0];
            return imageClass == 1 ? z : -z;
        }
        double p = Math.min(1 - P_FLOOR, Math.max(P_FLOOR, sc.probability(i, imageClass)));
        return Math.log(p) - Math.log1p(-p);
    }

    /**
     * The loss's parts for a batch of candidates.
     *
     * @param score f(x'), the score of x's class
     * @param distance d(x', x)
     * @param probability p(x's class | x')
     * @param predicted the classifier's decision for x'
     * @param imageClass x's class
     * @param lambda the distance weight
     */
    public record Values(double[] score, double[] distance, double[] probability, int[] predicted, int imageClass,
            double lambda) {

        /**
         * @param i candidate
         * @return f(x') + lambda d(x', x)
         */
        public double loss(int i) {
            return score[i] + lambda * distance[i];
        }

        /**
         * @param i candidate
         * @return whether the decision left x's class
         */
        public boolean valid(int i) {
            return predicted[i] != imageClass;
        }

        /** @return the number of candidates */
        public int size() {
            return score.length;
        }
    }
}
