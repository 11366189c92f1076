package io.vcex.methods.gcd;

import ai.djl.ndarray.NDManager;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.context.Progress;
import io.vcex.core.context.VcexContext;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Applies directions found on one source image to every image of a data set (GCD sec. 5,
 * appendix C algorithm 3): each image is anchored (its code and fixed parts), and for each
 * direction a line search over steps spaced uniformly in [-s_max, s_max] picks that image's
 * counterfactual. The global flip rate of a direction is the share of images it flips; "h
 * combined" takes, per image, the valid h-direction counterfactual with the smallest loss
 * (the paper's Table 4, "others combined").
 */
public final class Transfer {

    private Transfer() {
    }

    /**
     * One image's outcomes, handed to the caller as soon as they exist (so counterfactuals can be
     * written without holding a data set's worth in memory).
     *
     * @param index the image's position in the input list
     * @param imageClass the classifier's decision for the image
     * @param imageProbability its probability
     * @param outcomes one line search per direction, in the directions' order, counterfactual images kept
     * @param hCombined index (into the directions) of the best valid h-direction, or -1
     */
    public record ImageResult(int index, int imageClass, double imageProbability, List<LineSearch.Outcome> outcomes,
            int hCombined) {
    }

    /**
     * The flip rate of one direction (or of the h-directions combined).
     *
     * @param name direction name, or "h-combined"
     * @param flipped images flipped
     * @param flipRate flipped / images
     * @param meanAbsStep mean |s| of the chosen steps over flipped images (NaN when none)
     */
    public record Rate(String name, int flipped, double flipRate, double meanAbsStep) {
    }

    /**
     * @param images images processed
     * @param rates one per direction, then "h-combined" when there are h-directions
     * @param steps the per-image step grid
     * @param classifierQueries images scored
     * @param decoded codes decoded
     * @param seconds wall time
     */
    public record Summary(int images, List<Rate> rates, double[] steps, long classifierQueries, long decoded,
            double seconds) {

        /**
         * @param name a direction name or "h-combined"
         * @return its rate
         */
        public Rate rate(String name) {
            return rates.stream().filter(r -> r.name().equals(name)).findFirst()
                    .orElseThrow(() -> new io.vcex.core.VcexException("No direction named '" + name + "' in " + rates));
        }
    }

    /**
     * @param ctx scopes and progress
     * @param anchoring the generator
     * @param classifier the explained classifier, black-box
     * @param features the perceptual distance
     * @param images the data set, in the classifier's shape
     * @param directions the directions to apply
     * @param config score, lambda, transfer steps, decode batch
     * @param sink receives each image's outcomes (may be null)
     * @return flip rates and cost
     */
    public static Summary apply(VcexContext ctx, Anchoring anchoring, BlackBoxClassifier classifier, ImageFeatures features,
            List<ImageData> images, List<Direction> directions, GcdConfig config, Consumer<ImageResult> sink) {
        long t0 = System.nanoTime();
        double[] steps = LineSearch.grid(config.transferSteps(), -config.transferMaxStep(), config.transferMaxStep());
        AtomicLong queries = new AtomicLong();
        long decoded = 0;
        int nd = directions.size();
        int[] flipped = new int[nd + 1];
        double[] stepSum = new double[nd + 1];
        boolean anyH = directions.stream().anyMatch(d -> d.kind().equals("h"));
        try (Progress.Task task = ctx.progress().start("GCD: applying " + nd + " directions", images.size())) {
            for (int n = 0; n < images.size(); n++) {
                ImageData image = images.get(n);
                try (NDManager scope = ctx.newScope()) {
                    Anchoring.Anchored a = anchoring.anchor(scope, ImageTensors.toBatch(scope, image, ValueRange.UNIT));
                    CounterfactualLoss loss = CounterfactualLoss.of(scope, classifier, features, image, config.score(),
                            config.lambda(), queries);
                    List<LineSearch.Outcome> outcomes = new ArrayList<>();
                    for (int k = 0; k < nd; k++) {
                        LineSearch.Outcome o = LineSearch.search(scope, a.generator(), a.code(), directions.get(k).vector(),
                                steps, loss, config.decodeBatch(), true);
                        decoded += steps.length;
                        outcomes.add(o);
                        if (o.found()) {
                            flipped[k]++;
                            stepSum[k] += Math.abs(o.bestStep());
                        }
                    }
                    int best = -1;
                    for (int k = 0; k < nd; k++) {
                        LineSearch.Outcome o = outcomes.get(k);
                        if (directions.get(k).kind().equals("h") && o.found()
                                && (best < 0 || o.bestLoss() < outcomes.get(best).bestLoss())) {
                            best = k;
                        }
                    }
                    if (best >= 0) {
                        flipped[nd]++;
                        stepSum[nd] += Math.abs(outcomes.get(best).bestStep());
                    }
                    if (sink != null) {
                        sink.accept(new ImageResult(n, loss.imageClass(), loss.imageProbability(), outcomes, best));
                    }
                }
                task.step();
                task.status(String.format(java.util.Locale.ROOT, "flip rate of %s %.2f", nd > 0 ? directions.get(0).name() : "-",
                        nd > 0 ? (double) flipped[0] / (n + 1) : 0.0));
            }
        }
        List<Rate> rates = new ArrayList<>();
        int total = images.size();
        for (int k = 0; k < nd; k++) {
            rates.add(new Rate(directions.get(k).name(), flipped[k], total == 0 ? 0 : (double) flipped[k] / total,
                    flipped[k] == 0 ? Double.NaN : stepSum[k] / flipped[k]));
        }
        if (anyH) {
            rates.add(new Rate("h-combined", flipped[nd], total == 0 ? 0 : (double) flipped[nd] / total,
                    flipped[nd] == 0 ? Double.NaN : stepSum[nd] / flipped[nd]));
        }
        return new Summary(total, rates, steps, queries.get(), decoded, (System.nanoTime() - t0) / 1e9);
    }
}
