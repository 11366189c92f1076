package io.vcex.methods.zoom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.autograd.Gradients;
import io.vcex.core.classifier.ClassLogProbability;
import io.vcex.core.classifier.Scores;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.Progress;
import io.vcex.core.generator.StyleCode;
import io.vcex.core.generator.StyleGenerator;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import io.vcex.core.text.TextImageEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * ZOOM's per-image optimisation of edit weights (sec. 3.3 and appendix C), batched over rows (one
 * row is one image with one attribute, or with all attributes at once). For row r with weights
 * w_r (masked to its attributes) the image is x_r = G(s_r + sum_a w_ra delta_s^a) and the loss is
 *
 * <pre>
 * L_r = classifierWeight * (-log p(y_r | x_r)) + clipWeight * CE(scale * cos(E_I(x_r), T_k), c_r)
 * </pre>
 *
 * where y_r is the class the row is pushed to (the other class for a two-class flip, so the first
 * term is the authors' 50 * BCE-with-logits(logit, 1 - y0); for a multi-class flip -log(1 - p(y0)))
 * and c_r the class prompt T_k that the text-image encoder chose for the original (the term keeps the
 * image's true class, so the classifier is flipped by other attributes). The losses of the rows are
 * summed, so each row's gradient is its own whatever the batch (in exact arithmetic: when the engine's
 * batched backward pass is not finite, the rows are differentiated one by one). Update (the authors' code):
 * w <- clamp(w - eta g, -bound, bound); PGD (appendix C): w <- clamp(w - eta sign(g), -bound, bound).
 */
final class EditWeightOptimizer {
    /** Marks a row whose target is "any class but the initial one" (a multi-class flip). */
    static final int AWAY = -1;

    private final StyleGenerator generator;
    private final WhiteBoxClassifier classifier;
    private final TextImageEncoder encoder;
    private final ZoomConfig config;
    private final float[][] classPrompts;
    private final int classifierFactor;
    private final int encoderFactor;

    /**
     * @param generator the style generator
     * @param classifier the diagnosed classifier
     * @param encoder the text-image encoder, or null when the CLIP weight is 0
     * @param config settings
     * @param classPrompts unit text embeddings of the class prompts (K x D), or null when the CLIP weight is 0
     * @param classifierFactor down-sampling from generator to classifier
     * @param encoderFactor down-sampling from generator to encoder
     */
    EditWeightOptimizer(StyleGenerator generator, WhiteBoxClassifier classifier, TextImageEncoder encoder, ZoomConfig config,
            float[][] classPrompts, int classifierFactor, int encoderFactor) {
        this.generator = generator;
        this.classifier = classifier;
        this.encoder = encoder;
        this.config = config;
        this.classPrompts = classPrompts;
        this.classifierFactor = classifierFactor;
        this.encoderFactor = encoderFactor;
    }

    /**
     * The authors' update: a raw gradient step, then the clamp.
     *
     * @param w the weight
     * @param g its gradient
     * @param eta step size
     * @param bound the box
     * @return clamp(w - eta g, -bound, bound)
     */
    static float sgdStep(float w, float g, double eta, double bound) {
        return clamp(w - eta * g, bound);
    }

    /**
     * PGD as in appendix C (Madry et al. 2018): a signed step, then the clamp (the projection onto
     * the box). A zero gradient does not move the weight.
     *
     * @param w the weight
     * @param g its gradient
     * @param eta step size
     * @param bound the box
     * @return clamp(w - eta sign(g), -bound, bound)
     */
    static float pgdStep(float w, float g, double eta, double bound) {
        return clamp(w - eta * Math.signum(g), bound);
    }

    private static float clamp(double v, double bound) {
        return (float) Math.max(-bound, Math.min(bound, v));
    }

    /**
     * @param w weights, updated in place
     * @param g gradients
     * @param config step, bound and optimiser
     */
    static void update(float[] w, float[] g, ZoomConfig config) {
        for (int i = 0; i < w.length; i++) {
            w[i] = config.pgd() ? pgdStep(w[i], g[i], config.stepSize(), config.bound())
                    : sgdStep(w[i], g[i], config.stepSize(), config.bound());
        }
    }

    /**
     * One row's outcome.
     *
     * @param weights final weights (A values; zero where masked)
     * @param probabilities the classifier's probabilities for the final image
     * @param focusPerIteration p(focus class) at w_0 = 0, w_1, ..., w_T
     * @param lossPerIteration the row's loss at w_0, ..., w_{T-1}
     * @param frames progressive-edit frames (kept rows only)
     * @param image the final image
     */
    record RowOutcome(float[] weights, float[] probabilities, float[] focusPerIteration, float[] lossPerIteration,
            List<ZoomResult.Frame> frames, ImageData image) {
    }

    /**
     * Optimises one batch of rows.
     *
     * @param scope the batch's scope
     * @param base the rows' original styles (rows x channels per layer)
     * @param directions per layer A x channels
     * @param masks per row, 1 for the attributes it may use, 0 otherwise
     * @param targets per row, the class it is pushed to, or {@link #AWAY}
     * @param initial per row, the initial class
     * @param clipChoice per row, the class prompt chosen for the original (ignored when the CLIP weight is 0)
     * @param focus per row, the class whose probability trajectories and frames show
     * @param keep per row, whether to keep frames
     * @param task progress, advanced by rows per iteration
     * @return one outcome per row
     */
    List<RowOutcome> optimise(NDManager scope, StyleCode base, List<NDArray> directions, float[][] masks, int[] targets,
            int[] initial, int[] clipChoice, int[] focus, boolean[] keep, Progress.Task task) {
        int rows = masks.length;
        int a = masks[0].length;
        int iterations = config.iterations();
        float[] w = new float[rows * a];
        float[] maskFlat = new float[rows * a];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(masks[r], 0, maskFlat, r * a, a);
        }
        NDArray mask = scope.create(maskFlat).reshape(rows, a);
        NDArray prompts = classPrompts == null || config.clipWeight() == 0 ? null
                : scope.create(flat(classPrompts)).reshape(classPrompts.length, classPrompts[0].length).transpose();
        float[][] focusTrace = new float[rows][iterations + 1];
        float[][] lossTrace = new float[rows][iterations];
        List<List<ZoomResult.Frame>> frames = new ArrayList<>();
        boolean anyKept = false;
        for (int r = 0; r < rows; r++) {
            frames.add(new ArrayList<>());
            anyKept |= keep[r];
        }
        for (int t = 0; t < iterations; t++) {
            boolean frame = anyKept && t % config.frameEvery() == 0;
            try (NDManager it = scope.newSubManager()) {
                NDArray weights = it.create(w).reshape(rows, a);
                NDArray[] seen = new NDArray[3];
                NDArray g = Gradients.of(it, weights, leaf -> {
                    NDArray x = generator.synthesize(StyleEdits.edit(base, leaf.mul(mask), directions));
                    NDArray[] logits = new NDArray[1];
                    NDArray perRow = rowLosses(x, targets, initial, clipChoice, prompts, logits);
                    seen[0] = keepCopy(logits[0], it);
                    seen[1] = keepCopy(perRow, it);
                    if (frame) {
                        seen[2] = keepCopy(x, it);
                    }
                    return perRow.sum();
                });
                float[] gradient = g.toFloatArray();
                if (!allFinite(gradient)) {
                    gradient = rowByRow(it, w, base, maskFlat, a, directions, targets, initial, clipChoice, prompts);
                }
                Scores s = Scores.fromRaw(classifier.spec().outputKind(), ImageTensors.rows(seen[0]));
                float[] losses = seen[1].toFloatArray();
                List<ImageData> images = frame ? ImageTensors.fromBatch(seen[2], ValueRange.UNIT) : null;
                for (int r = 0; r < rows; r++) {
                    focusTrace[r][t] = s.probability(r, focus[r]);
                    lossTrace[r][t] = losses[r];
                    if (frame && keep[r]) {
                        frames.get(r).add(new ZoomResult.Frame(t, images.get(r), focusTrace[r][t]));
                    }
                }
                update(w, gradient, config);
            }
            task.step(rows);
        }
        List<RowOutcome> out = new ArrayList<>(rows);
        try (NDManager last = scope.newSubManager()) {
            NDArray weights = last.create(w).reshape(rows, a).mul(mask);
            NDArray x = generator.synthesize(StyleEdits.edit(base, weights, directions));
            Scores s = classifier.scores(StyleEdits.adapt(x, classifierFactor));
            List<ImageData> images = ImageTensors.fromBatch(x, ValueRange.UNIT);
            for (int r = 0; r < rows; r++) {
                focusTrace[r][iterations] = s.probability(r, focus[r]);
                if (keep[r]) {
                    frames.get(r).add(new ZoomResult.Frame(iterations, images.get(r), focusTrace[r][iterations]));
                }
                float[] wr = new float[a];
                System.arraycopy(w, r * a, wr, 0, a);
                out.add(new RowOutcome(wr, s.probabilities()[r], focusTrace[r], lossTrace[r], List.copyOf(frames.get(r)),
                        images.get(r)));
            }
        }
        return out;
    }

    /**
     * @param x the edited images of the rows
     * @param targets per row, the class it is pushed to, or {@link #AWAY}
     * @param initial per row, the initial class
     * @param clipChoice per row, the class prompt of the original
     * @param prompts the class prompts (D x K), or null without the CLIP term
     * @param logitsOut receives the classifier's logits in its first element
     * @return L_r per row
     */
    private NDArray rowLosses(NDArray x, int[] targets, int[] initial, int[] clipChoice, NDArray prompts, NDArray[] logitsOut) {
        NDArray logits = classifier.logits(StyleEdits.adapt(x, classifierFactor));
        logitsOut[0] = logits;
        NDArray perRow = flipLoss(logits, targets, initial).mul(config.classifierWeight().floatValue());
        if (prompts != null) {
            NDArray e = StyleEdits.unitRows(encoder.embedImage(StyleEdits.adapt(x, encoderFactor)));
            NDArray clipLogits = e.matMul(prompts).mul(config.clipLogitScale().floatValue());
            NDArray ce = pick(clipLogits.logSoftmax(1), clipChoice).neg();
            perRow = perRow.add(ce.mul(config.clipWeight().floatValue()));
        }
        return perRow;
    }

    /**
     * The fallback when the batched gradient is not finite. Each row's loss is its own, but the
     * engine's batched backward pass can spread one row's overflow to every row of the batch (seen on
     * the shipped style generator at large edit weights: all rows' gradients NaN at once while every
     * loss was finite), so the rows are differentiated one at a time; a row whose own gradient is
     * still not finite gets a zero gradient for this step (its weights stay where they are).
     */
    private float[] rowByRow(NDManager scope, float[] w, StyleCode base, float[] maskFlat, int a, List<NDArray> directions,
            int[] targets, int[] initial, int[] clipChoice, NDArray prompts) {
        int rows = targets.length;
        float[] out = new float[rows * a];
        for (int r = 0; r < rows; r++) {
            try (NDManager one = scope.newSubManager()) {
                StyleCode b = StyleEdits.select(base, new int[] {r});
                NDArray mask = one.create(java.util.Arrays.copyOfRange(maskFlat, r * a, (r + 1) * a)).reshape(1, a);
                NDArray weights = one.create(java.util.Arrays.copyOfRange(w, r * a, (r + 1) * a)).reshape(1, a);
                int[] t = {targets[r]};
                int[] i0 = {initial[r]};
                int[] c = {clipChoice == null ? 0 : clipChoice[r]};
                float[] g = Gradients.of(one, weights, leaf -> rowLosses(generator.synthesize(StyleEdits.edit(b, leaf.mul(mask),
                        directions)), t, i0, c, prompts, new NDArray[1]).sum()).toFloatArray();
                if (allFinite(g)) {
                    System.arraycopy(g, 0, out, r * a, a);
                }
            }
        }
        return out;
    }

    private static boolean allFinite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The flip term per row, -log p(target | x); for {@link #AWAY} rows -log(1 - p(initial | x)).
     */
    private NDArray flipLoss(NDArray logits, int[] targets, int[] initial) {
        int n = targets.length;
        boolean away = false;
        int[] cls = new int[n];
        for (int r = 0; r < n; r++) {
            away |= targets[r] == AWAY;
            cls[r] = targets[r] == AWAY ? initial[r] : targets[r];
        }
        NDArray lp = ClassLogProbability.of(classifier.spec(), logits, cls, 1f);
        if (!away) {
            return lp.neg();
        }
        float[] isAway = new float[n];
        for (int r = 0; r < n; r++) {
            isAway[r] = targets[r] == AWAY ? 1f : 0f;
        }
        NDArray awayMask = lp.getManager().create(isAway);
        // log(1 - p) with p = exp(log p), kept finite as p -> 1
        NDArray logRest = lp.exp().neg().add(1f).maximum(1e-12f).log();
        return logRest.mul(awayMask).add(lp.mul(awayMask.neg().add(1f))).neg();
    }

    private static NDArray pick(NDArray values, int[] classes) {
        int n = classes.length;
        int k = Math.toIntExact(values.getShape().get(1));
        float[] m = new float[n * k];
        for (int i = 0; i < n; i++) {
            m[i * k + classes[i]] = 1f;
        }
        return values.mul(values.getManager().create(m).reshape(n, k)).sum(new int[] {1});
    }

    private static NDArray keepCopy(NDArray x, NDManager into) {
        NDArray c = x.stopGradient().duplicate();
        c.attach(into);
        return c;
    }

    private static float[] flat(float[][] m) {
        float[] out = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
        }
        return out;
    }
}
