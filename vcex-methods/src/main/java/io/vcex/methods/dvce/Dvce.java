package io.vcex.methods.dvce;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.autograd.Gradients;
import io.vcex.core.classifier.ClassLogProbability;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.classifier.Scores;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.diffusion.DdpmSampler;
import io.vcex.core.diffusion.Denoiser;
import io.vcex.core.diffusion.ReverseProcess;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import io.vcex.metrics.closeness.LpDistance;
import java.util.ArrayList;
import java.util.List;

/**
 * Diffusion visual counterfactual explanations (Augustin et al. 2022). For a batch of originals
 * x_hat and target classes y:
 * <ol>
 * <li>late start (sec. 3.1): x_hat is noised to step {@code reverseSteps - 1} of the respaced
 * schedule (T/2 of T = 200 by default);</li>
 * <li>at every reverse step, the denoised estimate f_dn(x_t, t) (eq. 8) goes to the classifier
 * (averaged over augmented copies) and to the distance d(x_hat, f_dn), and their gradients with
 * respect to x_t are taken through the denoiser;</li>
 * <li>with a robust model, its gradient is projected onto the cone of angle alpha around the
 * explained model's gradient (sec. 3.2) and replaces it;</li>
 * <li>adaptive parameterisation (eq. 12-13): mu_t = mu_theta + Sigma ||mu_theta||_2 (C_c g_c /
 * ||g_c|| - C_d g_d / ||g_d||), per image; the blended baseline instead adds
 * Sigma (C_c g_c - C_d g_d) with raw gradients (eq. 11);</li>
 * <li>x_{t-1} ~ N(mu_t, Sigma); the explanation is the last x_0 estimate, clamped.</li>
 * </ol>
 * The diffusion model may work at a lower resolution than the classifier through a {@link
 * ResolutionAdapter}. Any white-box classifier works; the denoiser's variance is fixed (Sigma is
 * the posterior variance of the respaced schedule).
 */
public final class Dvce {
    private final Denoiser denoiser;
    private final WhiteBoxClassifier classifier;
    private final WhiteBoxClassifier robust;
    private final ImageFeatures features;
    private final DvceConfig config;
    private final ResolutionAdapter adapter;
    private final GradientAugmentation augmentation;

    /**
     * @param denoiser the diffusion model
     * @param classifier the explained classifier
     * @param robust the robust classifier for the cone projection, or null (no cone; also when it is
     *     the explained classifier itself)
     * @param features the feature network for the "lpips+l2" distance, or null
     * @param config settings
     */
    public Dvce(Denoiser denoiser, WhiteBoxClassifier classifier, WhiteBoxClassifier robust, ImageFeatures features,
            DvceConfig config) {
        this.denoiser = denoiser;
        this.classifier = classifier;
        this.robust = robust == null || robust.info().name().equals(classifier.info().name()) ? null : robust;
        this.features = features;
        this.config = config;
        this.adapter = ResolutionAdapter.between(denoiser.imageSpec(), classifier.spec().input());
        if (this.robust != null && !this.robust.spec().input().equals(classifier.spec().input())) {
            throw new VcexException("The robust classifier '" + robust.info().name() + "' takes " + robust.spec().input()
                    + " but the explained classifier takes " + classifier.spec().input());
        }
        if (this.robust != null && this.robust.spec().outputs() != classifier.spec().outputs()) {
            throw new VcexException("The robust classifier '" + robust.info().name() + "' has " + robust.spec().classNames()
                    + " but the explained classifier has " + classifier.spec().classNames() + "; the cone needs the same classes");
        }
        if ("lpips+l2".equals(config.distance()) && features == null) {
            throw new VcexException("The distance lpips+l2 needs a feature network; give one or choose distance l1 or l2");
        }
        boolean mirror = classifier.spec().input().channels() == 3;
        this.augmentation = new GradientAugmentation(config.augmentationsFor(this.robust != null), mirror);
    }

    /** @return whether the cone projection is used */
    public boolean usesCone() {
        return robust != null;
    }

    /** @return the settings */
    public DvceConfig config() {
        return config;
    }

    /**
     * The target class of an image: a class name or index, or "flip" for the class other than the
     * predicted one of a two-class classifier.
     *
     * @param spec the classifier's spec
     * @param target "flip", a class name, or an index
     * @param predicted the predicted class
     * @return the target class index
     */
    public static int resolveTarget(ClassifierSpec spec, String target, int predicted) {
        if ("flip".equals(target)) {
            if (spec.classNames().size() != 2 || spec.outputKind() == OutputKind.MULTI_LABEL) {
                throw new VcexException("--target flip needs a two-class classifier; '" + spec.name() + "' has classes "
                        + spec.classNames() + "; name the target class");
            }
            return 1 - predicted;
        }
        try {
            return spec.classIndex(target);
        } catch (RuntimeException e) {
            throw new VcexException("Classifier '" + spec.name() + "' has no class '" + target + "'; its classes are "
                    + spec.classNames() + " (or use --target flip for a two-class classifier)", e);
        }
    }

    /**
     * @param ctx scopes, seed (stream "dvce") and progress
     * @param images originals of the classifier's input shape, values in [0, 1]
     * @param target "flip", a class name or an index, for every image
     * @return one result per image, in order
     */
    public List<DvceResult> explain(VcexContext ctx, List<ImageData> images, String target) {
        ClassifierSpec spec = classifier.spec();
        for (int i = 0; i < images.size(); i++) {
            spec.input().require(images.get(i), "image " + (i + 1));
        }
        List<DvceResult> out = new ArrayList<>(images.size());
        int b = config.batch();
        int steps = config.reverseSteps();
        try (Progress.Task task = ctx.progress().start("DVCE on " + images.size() + " image(s)", (long) images.size() * steps)) {
            for (int from = 0; from < images.size(); from += b) {
                List<ImageData> batch = images.subList(from, Math.min(images.size(), from + b));
                out.addAll(explainBatch(ctx, batch, target, ctx.rng("dvce").derive(from), task));
            }
        }
        return out;
    }

    private List<DvceResult> explainBatch(VcexContext ctx, List<ImageData> images, String target, Rng rng, Progress.Task task) {
        long start = System.nanoTime();
        ClassifierSpec spec = classifier.spec();
        int n = images.size();
        DdpmSampler sampler = DdpmSampler.of(denoiser.schedule().respace(config.respacedSteps()));
        int first = config.reverseSteps() - 1;
        try (NDManager scope = ctx.newScope()) {
            NDArray original = ImageTensors.toBatch(scope, images, ValueRange.UNIT);
            Scores before = classifier.scores(original);
            int[] targets = new int[n];
            int[] sources = new int[n];
            for (int i = 0; i < n; i++) {
                sources[i] = before.predicted(i);
                targets[i] = resolveTarget(spec, target, sources[i]);
            }
            NDArray reduced = adapter.down(original);
            NDArray reducedSym = reduced.mul(2f).sub(1f);
            NDArray x = sampler.noised(reducedSym, rng.derive("start").normal(scope, reducedSym.getShape()), first);
            List<List<DvceResult.Frame>> frames = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                frames.add(new ArrayList<>());
            }
            float[][] perStep = new float[n][config.reverseSteps()];
            int[] unguidedSteps = new int[n];
            NDArray last = null;
            for (int i = first; i >= 0; i--) {
                int done = first - i;
                Rng stepRng = rng.derive(i);
                NDArray next;
                try (NDManager step = scope.newSubManager()) {
                    step.tempAttachAll(x);
                    NDArray t = ReverseProcess.timesteps(step, sampler.schedule(), i, n);
                    // one pass gives eps_theta(x_t) and, for i > 0, the guidance gradients
                    Guided guided = i > 0 ? guidance(step, x, t, i, sampler, original, reduced, reducedSym, targets,
                            stepRng.derive("augment")) : null;
                    NDArray eps = guided != null ? guided.eps() : denoiser.predictNoise(x, t, null);
                    NDArray x0 = sampler.predictX0(x, eps, i);
                    NDArray shown = adapter.up(x0.clip(-1f, 1f).add(1f).div(2f), original, reduced).clip(0f, 1f);
                    float[] p = probabilities(classifier.scores(shown), targets);
                    for (int k = 0; k < n; k++) {
                        perStep[k][done] = p[k];
                        unguidedSteps[k] += guided != null && guided.unguided()[k] ? 1 : 0;
                    }
                    if (done % config.trajectoryEvery() == 0 || i == 0) {
                        List<ImageData> imgs = ImageTensors.fromBatch(shown, ValueRange.UNIT);
                        for (int k = 0; k < n; k++) {
                            frames.get(k).add(new DvceResult.Frame(done, imgs.get(k), p[k]));
                        }
                    }
                    if (i == 0) {
                        last = shown;
                        last.attach(scope);
                        next = null;
                    } else {
                        NDArray mu = guided.mean().add(guided.update().mul((float) sampler.variance(i)));
                        next = mu.add(stepRng.derive("noise").normal(step, x.getShape()).mul((float) Math.sqrt(sampler.variance(i))));
                        next.attach(scope);
                    }
                }
                x.close();
                x = next;
                task.step(n);
            }
            Scores after = classifier.scores(last);
            List<ImageData> cfs = ImageTensors.fromBatch(last, ValueRange.UNIT);
            for (ImageData cf : cfs) {
                for (float v : cf.pixels()) {
                    if (!Float.isFinite(v)) {
                        throw new VcexException("DVCE produced a counterfactual with values that are not finite (classifier '"
                                + classifier.spec().name() + "')");
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9 / n;
            List<DvceResult> out = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                ImageData cf = cfs.get(k);
                out.add(new DvceResult(images.get(k), cf, sources[k], targets[k], before.probabilities()[k],
                        after.probabilities()[k], after.predicted(k) == targets[k], LpDistance.distance(images.get(k), cf, 1),
                        LpDistance.distance(images.get(k), cf, 1.5), LpDistance.distance(images.get(k), cf, 2),
                        List.copyOf(frames.get(k)), perStep[k], unguidedSteps[k], seconds));
            }
            return out;
        }
    }

    private static float[] probabilities(Scores s, int[] targets) {
        float[] p = new float[targets.length];
        for (int k = 0; k < targets.length; k++) {
            p[k] = s.probability(k, targets[k]);
        }
        return p;
    }

    /**
     * @param eps eps_theta(x_t, t), detached
     * @param mean mu_theta(x_t, t), the sampler's mean from eps
     * @param update the guidance shift that multiplies Sigma
     * @param unguided per image, whether its gradients were not finite (its shift is then zero)
     */
    private record Guided(NDArray eps, NDArray mean, NDArray update, boolean[] unguided) {
    }

    /**
     * The guidance term that multiplies Sigma, adaptive (eq. 12-13) or blended (eq. 11). The
     * classifier's, the distance's and the robust model's gradients are vector-Jacobian products
     * through the same denoiser at the same x_t; the batch is stacked (x_t twice, or three times
     * with a cone) and one backward pass of the summed losses gives all of them, since the denoiser
     * treats every image of a batch independently (GroupNorm, no batch statistics).
     */
    private Guided guidance(NDManager step, NDArray x, NDArray t, int i, DdpmSampler sampler, NDArray original,
            NDArray reduced, NDArray reducedSym, int[] targets, Rng augRng) {
        int n = targets.length;
        int parts = robust != null ? 3 : 2;
        int copies = augmentation.copies();
        int[] repeated = new int[n * copies];
        for (int c = 0; c < copies; c++) {
            System.arraycopy(targets, 0, repeated, c * n, n);
        }
        float temperature = config.temperature().floatValue();
        NDList xs = new NDList();
        NDList ts = new NDList();
        for (int k = 0; k < parts; k++) {
            xs.add(x);
            ts.add(t);
        }
        NDArray stacked = NDArrays.concat(xs, 0);
        NDArray times = NDArrays.concat(ts, 0);
        NDArray[] eps = new NDArray[1];
        NDArray g = Gradients.of(step, stacked, leaf -> {
            NDArray e = denoiser.predictNoise(leaf, times, null);
            NDArray kept = e.get("0:" + n).stopGradient().duplicate();
            kept.attach(step);
            eps[0] = kept;
            NDArray x0 = sampler.predictX0(leaf, e, i); // f_dn, eq. 8
            NDArray loss = logProbability(classifier, x0.get("0:" + n), original, reduced, repeated, copies, temperature, augRng)
                    .sub(distance(x0.get(n + ":" + 2 * n), reducedSym, original, reduced));
            if (robust != null) {
                loss = loss.add(logProbability(robust, x0.get(2 * n + ":" + 3 * n), original, reduced, repeated, copies,
                        temperature, augRng));
            }
            return loss;
        });
        float[][] all = ImageTensors.rows(g);
        float[][] c = java.util.Arrays.copyOfRange(all, 0, n);
        float[][] d = new float[n][];
        for (int k = 0; k < n; k++) {
            float[] row = all[n + k];
            for (int j = 0; j < row.length; j++) {
                row[j] = -row[j]; // the loss subtracted the distance
            }
            d[k] = row;
        }
        if (robust != null) {
            for (int k = 0; k < n; k++) {
                float[] r = all[2 * n + k];
                c[k] = "code".equals(config.coneVariant()) ? ConeProjection.code(r, c[k], config.coneAngle())
                        : ConeProjection.paper(r, c[k], config.coneAngle());
            }
        }
        double cc = config.classifierScale();
        double cd = config.distanceScale();
        boolean adaptive = "adaptive".equals(config.guidance());
        NDArray mean = sampler.mean(x, eps[0], i);
        float[][] scale = adaptive ? ImageTensors.rows("code".equals(config.meanNorm()) ? eps[0] : mean) : null;
        int dim = c[0].length;
        float[] update = new float[n * dim];
        boolean[] unguided = new boolean[n];
        for (int k = 0; k < n; k++) {
            float[] shift = adaptive ? AdaptiveStep.adaptive(c[k], d[k], scale[k], cc, cd) : AdaptiveStep.fixed(c[k], d[k], cc, cd);
            if (!Double.isFinite(ConeProjection.dot(shift, shift))) {
                // a gradient that is not finite (rare; seen once in thousands of steps): this image takes an
                // unguided step, and its result counts such steps
                unguided[k] = true;
                continue;
            }
            System.arraycopy(shift, 0, update, k * dim, dim);
        }
        return new Guided(eps[0], mean, step.create(update).reshape(x.getShape()), unguided);
    }

    /** Mean over augmented copies of log p(y | x) for the classifier's image of f_dn, summed over the batch. */
    private NDArray logProbability(WhiteBoxClassifier model, NDArray x0, NDArray original, NDArray reduced, int[] repeated,
            int copies, float temperature, Rng augRng) {
        NDArray shown = adapter.up(x0.add(1f).div(2f), original, reduced);
        NDArray logits = model.logits(augmentation.apply(shown, augRng));
        return ClassLogProbability.of(model.spec(), logits, repeated, temperature).sum().div(copies);
    }

    /** d(x_hat, f_dn(x_t)), summed over the batch (each image's gradient is its own). */
    private NDArray distance(NDArray x0, NDArray reducedSym, NDArray original, NDArray reduced) {
        NDArray diff = x0.sub(reducedSym);
        switch (config.distance()) {
            case "l1":
                return diff.abs().sum();
            case "l2":
                return l2(diff);
            default: {
                NDArray shown = adapter.up(x0.add(1f).div(2f), original, reduced);
                return features.perceptualDistance(shown, original).sum().add(l2(diff).mul(10f));
            }
        }
    }

    private static NDArray l2(NDArray diff) {
        long n = diff.getShape().get(0);
        return diff.square().reshape(n, -1).sum(new int[] {1}).add(1e-12f).sqrt().sum();
    }
}
