package io.vcex.methods.zoom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.classifier.Scores;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.generator.StyleCode;
import io.vcex.core.generator.StyleGenerator;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import io.vcex.core.provenance.Provenance;
import io.vcex.core.text.TextImageEncoder;
import io.vcex.metrics.perceptual.Ssim;
import java.util.ArrayList;
import java.util.List;

/**
 * ZOOM, zero-shot model diagnosis (Luo, Wang, Xiang, Chen and De la Torre, CVPR 2023): the
 * sensitivity of a classifier to attributes named in text, measured with counterfactuals that a
 * style generator makes along text-defined directions, with no labelled test data.
 * <ol>
 * <li>global edit directions (sec. 3.2, eq. 2): {@link TextDirection} delta_t from the attribute
 * and neutral prompts, {@link RelevanceMatrix} (StyleCLIP's channel relevance), {@link
 * EditDirection} with the beta threshold and the normalisation;</li>
 * <li>images are sampled from the generator (truncation psi) and the classifier's decision y0 and
 * the encoder's choice among the class prompts are taken;</li>
 * <li>per image, the edit weights (one attribute at a time, or all at once as the linear
 * combination of eq. 3) are optimised to flip the classifier while the encoder keeps the class
 * ({@link EditWeightOptimizer}: SGD with clamping, or PGD);</li>
 * <li>per attribute: the sensitivity (sum of |p_final - p_initial|, normalised over attributes),
 * the weights' distribution, the flip rate and SSIM.</li>
 * </ol>
 */
public final class Zoom {
    private final StyleGenerator generator;
    private final WhiteBoxClassifier classifier;
    private final TextImageEncoder encoder;
    private final RelevanceMatrix relevance;
    private final ZoomConfig config;
    private final List<String> classPhrases;
    private final int classifierFactor;
    private final int encoderFactor;
    private final int namedTarget;

    /**
     * @param generator the style generator
     * @param classifier the diagnosed classifier (white-box: the weights are optimised through it)
     * @param encoder the text-image encoder the directions and the keep-the-class term use
     * @param relevance the channel relevance of this generator and encoder
     * @param config settings
     * @param classPhrases one phrase per class for the keep-the-class term, or null to phrase the
     *     class names ({@link AttributePrompts#classPhrases}); unused when the CLIP weight is 0
     */
    public Zoom(StyleGenerator generator, WhiteBoxClassifier classifier, TextImageEncoder encoder, RelevanceMatrix relevance,
            ZoomConfig config, List<String> classPhrases) {
        this.generator = generator;
        this.classifier = classifier;
        this.encoder = encoder;
        this.relevance = relevance;
        this.config = config;
        ClassifierSpec spec = classifier.spec();
        if (spec.outputKind() == OutputKind.MULTI_LABEL) {
            throw new VcexException("ZOOM diagnoses one decision; classifier '" + spec.name() + "' is multi-label ("
                    + spec.classNames().size() + " independent outputs)");
        }
        if (spec.outputKind() == OutputKind.PROBABILITIES) {
            throw new VcexException("ZOOM optimises through the classifier's logits; classifier '" + spec.name()
                    + "' gives only probabilities");
        }
        this.classifierFactor = StyleEdits.factor(generator.imageSpec(), spec.input(), "classifier '" + spec.name() + "'");
        this.encoderFactor = StyleEdits.factor(generator.imageSpec(), encoder.imageSpec(),
                "text-image encoder '" + encoder.info().name() + "'");
        if (!relevance.layers().equals(generator.styleLayers()) || !relevance.generator().name().equals(generator.info().name())) {
            throw new VcexException("The channel relevance was measured for the generator '" + relevance.generator().name()
                    + "' (" + relevance.channels() + " channels), not for '" + generator.info().name() + "' ("
                    + StyleEdits.channels(generator.styleLayers()) + " channels)");
        }
        if (relevance.embeddingDim() != encoder.embeddingDim() || !relevance.encoder().name().equals(encoder.info().name())) {
            throw new VcexException("The channel relevance was measured with the encoder '" + relevance.encoder().name()
                    + "', not with '" + encoder.info().name() + "'");
        }
        this.namedTarget = "flip".equals(config.target()) ? -1 : spec.classIndex(config.target());
        if (config.clipWeight() > 0) {
            List<String> phrases = classPhrases != null ? List.copyOf(classPhrases) : AttributePrompts.classPhrases(spec.classNames());
            if (phrases.size() != spec.classNames().size()) {
                throw new VcexException("Classifier '" + spec.name() + "' has " + spec.classNames().size() + " classes "
                        + spec.classNames() + " but " + phrases.size() + " class prompts were given: " + phrases);
            }
            this.classPhrases = phrases;
        } else {
            this.classPhrases = List.of();
        }
    }

    /** @return the settings */
    public ZoomConfig config() {
        return config;
    }

    /** @return the L2 length of one unit of edit weight: 1, or the median channel std ({@link ZoomConfig#weightUnit()}) */
    public double weightUnit() {
        return "std".equals(config.weightUnit()) ? relevance.medianStd() : 1.0;
    }

    /** @return the class prompts of the keep-the-class term (empty when it is off) */
    public List<String> classPhrases() {
        return classPhrases;
    }

    /**
     * @param ctx scopes
     * @param attributes the attributes
     * @return their global edit directions, in order
     */
    public List<EditDirection> directions(VcexContext ctx, List<Attribute> attributes) {
        List<EditDirection> out = new ArrayList<>();
        try (NDManager scope = ctx.newScope()) {
            for (Attribute a : attributes) {
                float[] dt = TextDirection.of(encoder, scope, a, config.templates(), config.directionSign());
                out.add(EditDirection.of(a, dt, relevance, config.beta(), config.scaleByStd(), weightUnit()));
            }
        }
        return out;
    }

    /**
     * @param ctx scopes, seed (stream "zoom.samples") and progress
     * @param attributes the attributes
     * @return the diagnosis
     */
    public ZoomResult diagnose(VcexContext ctx, List<Attribute> attributes) {
        return diagnose(ctx, directions(ctx, attributes), null);
    }

    /**
     * W+ codes of samples {@code from .. from + count - 1}: sample i is drawn from the stream
     * "zoom.samples" derived by i, so an image does not depend on the batch it is made in.
     *
     * @param ctx the context's seed
     * @param manager scope of the result
     * @param from first sample
     * @param count how many
     * @return count x numWs x wDim
     */
    public NDArray codes(VcexContext ctx, NDManager manager, int from, int count) {
        Rng rng = ctx.rng("zoom.samples");
        NDList parts = new NDList();
        for (int i = from; i < from + count; i++) {
            parts.add(generator.sampleWPlus(manager, rng.derive(i), 1, config.truncation().floatValue()));
        }
        NDArray out = NDArrays.concat(parts, 0);
        if (count > 1) {
            parts.close();
        }
        return out;
    }

    /**
     * @param ctx scopes, seed and progress
     * @param directions the attributes' directions (from {@link #directions})
     * @param listener receives every edit with its images, or null
     * @return the diagnosis
     */
    public ZoomResult diagnose(VcexContext ctx, List<EditDirection> directions, EditListener listener) {
        if (directions.isEmpty()) {
            throw new VcexException("ZOOM needs at least one attribute");
        }
        long start = System.nanoTime();
        ClassifierSpec spec = classifier.spec();
        int a = directions.size();
        int n = config.samples();
        int first = config.firstSample();
        int perSample = config.multi() ? 1 : a;
        int perBatch = Math.max(1, config.batch() / perSample);
        float[][] vectors = directions.stream().map(EditDirection::direction).toArray(float[][]::new);
        List<ZoomResult.Sample> samples = new ArrayList<>();
        List<ZoomResult.Edit> edits = new ArrayList<>();
        String label = String.format("ZOOM (%s, %s) on %d image(s) x %d attribute(s)", config.optimizer(),
                config.multi() ? "multi" : "single", n, a);
        try (NDManager scope = ctx.newScope();
                Progress.Task task = ctx.progress().start(label, (long) n * perSample * config.iterations())) {
            List<NDArray> dirLayers = StyleEdits.directionLayers(scope, generator.styleLayers(), vectors);
            float[][] prompts = classPhrases.isEmpty() ? null : promptEmbeddings(scope);
            EditWeightOptimizer optimizer = new EditWeightOptimizer(generator, classifier, encoder, config, prompts,
                    classifierFactor, encoderFactor);
            for (int from = 0; from < n; from += perBatch) {
                int m = Math.min(perBatch, n - from);
                try (NDManager batch = scope.newSubManager()) {
                    StyleCode s0 = generator.styles(codes(ctx, batch, first + from, m));
                    NDArray x0 = generator.synthesize(s0);
                    Scores before = classifier.scores(StyleEdits.adapt(x0, classifierFactor));
                    List<ImageData> originals = ImageTensors.fromBatch(x0, ValueRange.UNIT);
                    int[] choice = prompts == null ? null : clipChoice(x0, prompts);
                    int rows = m * perSample;
                    int[] sampleOf = new int[rows];
                    float[][] masks = new float[rows][a];
                    int[] targets = new int[rows];
                    int[] initial = new int[rows];
                    int[] clip = new int[rows];
                    int[] focus = new int[rows];
                    boolean[] keep = new boolean[rows];
                    for (int r = 0; r < rows; r++) {
                        int i = r / perSample;
                        sampleOf[r] = i;
                        if (config.multi()) {
                            java.util.Arrays.fill(masks[r], 1f);
                        } else {
                            masks[r][r % perSample] = 1f;
                        }
                        initial[r] = before.predicted(i);
                        targets[r] = target(initial[r]);
                        clip[r] = choice == null ? 0 : choice[i];
                        focus[r] = focus(initial[r]);
                        keep[r] = from + i < config.keepImages();
                    }
                    for (int i = 0; i < m; i++) {
                        samples.add(new ZoomResult.Sample(first + from + i, before.predicted(i), before.probabilities()[i],
                                choice == null ? -1 : choice[i], from + i < config.keepImages() ? originals.get(i) : null));
                    }
                    List<EditWeightOptimizer.RowOutcome> outcomes = optimizer.optimise(batch, StyleEdits.select(s0, sampleOf),
                            dirLayers, masks, targets, initial, clip, focus, keep, task);
                    for (int r = 0; r < rows; r++) {
                        EditWeightOptimizer.RowOutcome o = outcomes.get(r);
                        int i = sampleOf[r];
                        int finalClass = argmax(o.probabilities());
                        boolean flipped = targets[r] == EditWeightOptimizer.AWAY || namedTarget < 0 ? finalClass != initial[r]
                                : finalClass == targets[r] && initial[r] != targets[r];
                        ImageData original = originals.get(i);
                        ZoomResult.Edit e = new ZoomResult.Edit(first + from + i, config.multi() ? -1 : r % perSample, o.weights(),
                                initial[r], namedTarget >= 0 ? namedTarget : targets[r], focus[r],
                                before.probabilities()[i][initial[r]], o.probabilities()[initial[r]], finalClass, flipped,
                                ssim(original, o.image()), o.focusPerIteration(), o.lossPerIteration(), o.frames(),
                                keep[r] ? o.image() : null);
                        edits.add(e);
                        if (listener != null) {
                            listener.accept(e, original, o.image());
                        }
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Attribute> attributes = directions.stream().map(EditDirection::attribute).toList();
        Provenance provenance = Provenance.ofModels("zoom", config, ctx.seed(), List.of(generator.info(), classifier.info(),
                encoder.info()));
        return new ZoomResult(spec.name(), spec.classNames(), classPhrases, attributes, config.multi(), samples, edits,
                summaries(directions, edits), seconds, provenance);
    }

    private int target(int initial) {
        if (namedTarget >= 0) {
            return namedTarget;
        }
        return classifier.spec().classNames().size() == 2 ? 1 - initial : EditWeightOptimizer.AWAY;
    }

    private int focus(int initial) {
        if (namedTarget >= 0) {
            return namedTarget;
        }
        return classifier.spec().classNames().size() == 2 ? 1 : initial;
    }

    private static int argmax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    /** SSIM, or NaN where the image is too small for its 11-pixel window. */
    static double ssim(ImageData a, ImageData b) {
        return a.height() > 10 && a.width() > 10 ? Ssim.between(a, b) : Double.NaN;
    }

    private float[][] promptEmbeddings(NDManager scope) {
        float[][] out = new float[classPhrases.size()][];
        for (int k = 0; k < out.length; k++) {
            try {
                out[k] = TextDirection.embed(encoder, scope, classPhrases.get(k), config.templates());
            } catch (VcexException e) {
                throw new VcexException("Cannot read the class prompt \"" + classPhrases.get(k) + "\" with the text-image encoder '"
                        + encoder.info().name() + "': " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Per image, the class prompt with the largest cosine similarity (the encoder's zero-shot choice). */
    private int[] clipChoice(NDArray images, float[][] prompts) {
        float[][] e = ImageTensors.rows(StyleEdits.unitRows(encoder.embedImage(StyleEdits.adapt(images, encoderFactor))));
        int[] out = new int[e.length];
        for (int i = 0; i < e.length; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < prompts.length; k++) {
                double s = 0;
                for (int j = 0; j < prompts[k].length; j++) {
                    s += (double) e[i][j] * prompts[k][j];
                }
                if (s > best) {
                    best = s;
                    out[i] = k;
                }
            }
        }
        return out;
    }

    private List<ZoomResult.AttributeSummary> summaries(List<EditDirection> directions, List<ZoomResult.Edit> edits) {
        int a = directions.size();
        double[][] weights = new double[a][];
        double[][] absWeights = new double[a][];
        double[][] deltaP = new double[a][];
        double[] flips = new double[a];
        double[] ssim = new double[a];
        for (int k = 0; k < a; k++) {
            final int attr = k;
            List<ZoomResult.Edit> mine = config.multi() ? edits : edits.stream().filter(e -> e.attribute() == attr).toList();
            weights[k] = mine.stream().mapToDouble(e -> e.weights()[attr]).toArray();
            absWeights[k] = java.util.Arrays.stream(weights[k]).map(Math::abs).toArray();
            deltaP[k] = mine.stream().mapToDouble(e -> Math.abs(e.pFinal() - e.pInitial())).toArray();
            flips[k] = mine.isEmpty() ? Double.NaN : mine.stream().filter(ZoomResult.Edit::flipped).count() / (double) mine.size();
            ssim[k] = mine.stream().mapToDouble(ZoomResult.Edit::ssim).average().orElse(Double.NaN);
        }
        double[] weightShare = Sensitivity.normalisedSums(absWeights);
        double[] sensitivity = config.multi() ? weightShare : Sensitivity.normalisedSums(deltaP);
        List<ZoomResult.AttributeSummary> out = new ArrayList<>();
        for (int k = 0; k < a; k++) {
            EditDirection d = directions.get(k);
            out.add(new ZoomResult.AttributeSummary(d.attribute().name(), d.attribute().phrase(), d.activeChannels(),
                    sensitivity[k], weightShare[k], flips[k], ssim[k], Sensitivity.mean(deltaP[k]), Sensitivity.mean(weights[k]),
                    Sensitivity.mean(absWeights[k]), Sensitivity.histogram(weights[k], config.bound(), 12), weights[k], deltaP[k]));
        }
        return out;
    }

    /**
     * Images along each direction at the given weights (appendix Figs. 9-10), for the first images.
     *
     * @param ctx scopes and seed (the same first images as {@link #diagnose})
     * @param directions the directions
     * @param weights edit weights, for example -30, -15, 0, 15, 30
     * @param images how many images
     * @return one traversal per direction
     */
    public List<Traversal> traverse(VcexContext ctx, List<EditDirection> directions, float[] weights, int images) {
        List<Traversal> out = new ArrayList<>();
        int k = weights.length;
        try (NDManager scope = ctx.newScope()) {
            StyleCode s0 = generator.styles(codes(ctx, scope, config.firstSample(), images));
            int[] sampleOf = new int[images * k];
            float[] w = new float[images * k];
            for (int r = 0; r < sampleOf.length; r++) {
                sampleOf[r] = r / k;
                w[r] = weights[r % k];
            }
            StyleCode base = StyleEdits.select(s0, sampleOf);
            for (EditDirection d : directions) {
                try (NDManager step = scope.newSubManager()) {
                    List<NDArray> dir = StyleEdits.directionLayers(step, generator.styleLayers(), new float[][] {d.direction()});
                    NDArray x = generator.synthesize(StyleEdits.edit(base, step.create(w).reshape(w.length, 1), dir));
                    Scores s = classifier.scores(StyleEdits.adapt(x, classifierFactor));
                    List<ImageData> imgs = ImageTensors.fromBatch(x, ValueRange.UNIT);
                    List<List<ImageData>> perSample = new ArrayList<>();
                    float[][][] p = new float[images][k][];
                    int[] ids = new int[images];
                    for (int i = 0; i < images; i++) {
                        ids[i] = config.firstSample() + i;
                        perSample.add(imgs.subList(i * k, (i + 1) * k));
                        for (int j = 0; j < k; j++) {
                            p[i][j] = s.probabilities()[i * k + j];
                        }
                    }
                    out.add(new Traversal(d.attribute(), weights.clone(), ids, perSample, p));
                }
            }
        }
        return out;
    }
}
