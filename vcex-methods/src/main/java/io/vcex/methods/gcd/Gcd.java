package io.vcex.methods.gcd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.config.Json;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import io.vcex.core.provenance.Hashing;
import io.vcex.core.provenance.Provenance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GCD discovery (Sobieski and Biecek, "Global Counterfactual Directions", ECCV 2024, sec. 4 and
 * appendix C): from one source image x and black-box access to a classifier, find a g-direction
 * and h-directions in a generator's latent space that flip the classifier's decision.
 *
 * <ol>
 *   <li>Anchor x: its code z and the generator with x's fixed parts (x_T of a diffusion autoencoder).</li>
 *   <li>For each outer iteration: perturb z ({@link ProxyData}), decode, score with the classifier
 *       and the perceptual distance; the data accumulates and is checkpointed; a fresh
 *       {@link ProxyNetwork} is trained on all of it.</li>
 *   <li>From the last proxy: the g-direction (eq. 3) and h-directions (eq. 4).</li>
 *   <li>A line search along each (eq. 5) gives the source's counterfactuals.</li>
 * </ol>
 *
 * <p>The classifier is reached only through {@link BlackBoxClassifier#scores}. A checkpoint folder
 * keeps the accumulated data after every outer iteration; a later run with the same source,
 * models and data settings resumes from it (with more iterations too, since the key leaves the
 * iteration count out).
 */
public final class Gcd {
    private static final String DATA = "proxy-data.bin";
    private static final String STATE = "state.json";

    private Gcd() {
    }

    /**
     * The models GCD works with.
     *
     * @param generator the latent generator, anchored per image
     * @param classifier the explained classifier, black-box
     * @param features the perceptual distance d
     */
    public record Models(Anchoring generator, BlackBoxClassifier classifier, ImageFeatures features) {

        /** Checks that the three agree on the image shape. */
        public Models {
            ImageSpec g = generator.imageSpec();
            ImageSpec c = classifier.spec().input();
            if (!g.equals(c)) {
                throw new VcexException("The generator '" + generator.description() + "' makes " + g + " images but the classifier '"
                        + classifier.spec().name() + "' takes " + c + "; put a resizing adapter between them "
                        + "(Anchoring.resized)");
            }
        }
    }

    /**
     * A discovery's result with what is not saved as JSON.
     *
     * @param result the directions, history, cost and provenance
     * @param counterfactuals the source's counterfactual per direction name (directions whose line
     *     search flipped the source)
     * @param reconstruction the source decoded from its own code
     * @param proxy the last proxy
     */
    public record Discovery(GcdResult result, Map<String, ImageData> counterfactuals, ImageData reconstruction,
            ProxyNetwork proxy) {
    }

    /** The checkpoint's key and progress. */
    record State(String key, int iterations) {
    }

    /**
     * @param ctx scopes, progress
     * @param models generator, classifier, distance
     * @param source the source image, in the classifier's shape
     * @param config the configuration
     * @param checkpointDir where the accumulated data is kept between iterations, or null for none
     * @return what was found
     */
    public static Discovery discover(VcexContext ctx, Models models, ImageData source, GcdConfig config, Path checkpointDir) {
        long t0 = System.nanoTime();
        AtomicLong queries = new AtomicLong();
        try (NDManager scope = ctx.newScope()) {
            NDArray x = ImageTensors.toBatch(scope, source, ValueRange.UNIT);
            Anchoring.Anchored anchored = models.generator().anchor(scope, x);
            float[] code = anchored.code();
            CounterfactualLoss loss = CounterfactualLoss.of(scope, models.classifier(), models.features(), source,
                    config.score(), config.lambda(), queries);

            String key = checkpointKey(config, source, models);
            ProxyData data = checkpointDir == null ? null : resume(checkpointDir, key, code.length);
            int resumed = data == null ? 0 : data.iterations();
            long decodedBefore = data == null ? 0 : data.decoded();
            if (data == null) {
                data = new ProxyData(code.length);
            }
            List<GcdResult.Iteration> history = new ArrayList<>();
            ProxyNetwork proxy = null;
            Rng proxyRng = new Rng(config.seed()).derive("gcd.proxy");
            long total = (long) config.iterations() * config.perIteration();
            try (Progress.Task task = ctx.progress().start("GCD: proxy data and training", total)) {
                task.step(Math.min(total, (long) data.size()));
                for (int it = data.iterations(); it < config.iterations(); it++) {
                    data.generate(scope, anchored.generator(), code, loss, config, it, task);
                    if (checkpointDir != null) {
                        data.write(checkpointDir.resolve(DATA));
                        Json.write(checkpointDir.resolve(STATE), new State(key, data.iterations()));
                    }
                    if ((it + 1) % config.proxyEvery() != 0 && it + 1 < config.iterations()) {
                        continue;
                    }
                    proxy = ProxyNetwork.train(data, config.proxy(), config.radius(), proxyRng.derive(it), task);
                    history.add(new GcdResult.Iteration(it, data.size(), proxy.report()));
                    task.status(String.format(Locale.ROOT, "iteration %d: proxy R2 score %.3f, distance %.3f", it + 1,
                            proxy.report().scoreR2(), proxy.report().distanceR2()));
                }
                if (proxy == null) {
                    int it = data.iterations() - 1;
                    proxy = ProxyNetwork.train(data, config.proxy(), config.radius(), proxyRng.derive(it), task);
                    history.add(new GcdResult.Iteration(it, data.size(), proxy.report()));
                }
            }

            SmoothFunction cf = proxy.objective(1, config.lambda());
            SmoothFunction classifierTerm = proxy.objective(1, 0);
            double[] origin = new double[code.length];
            List<Direction> directions = new ArrayList<>();
            directions.add(GDirection.of(cf));
            directions.addAll(HDirections.of(classifierTerm, config.hDirections(), config.hSign(), cf.gradient(origin)));

            double[] steps = LineSearch.grid(config.lineSearchSteps(), config.minStep(), config.maxStep());
            List<GcdResult.Found> found = new ArrayList<>();
            Map<String, ImageData> cfs = new LinkedHashMap<>();
            long decodedSearch = 0;
            try (Progress.Task task = ctx.progress().start("GCD: line search", directions.size())) {
                for (Direction d : directions) {
                    LineSearch.Outcome o = LineSearch.search(scope, anchored.generator(), code, d.vector(), steps, loss,
                            config.decodeBatch(), true);
                    decodedSearch += steps.length;
                    double proxyLoss = Double.NaN;
                    if (o.found()) {
                        double[] at = new double[code.length];
                        for (int i = 0; i < at.length; i++) {
                            at[i] = -o.bestStep() * d.vector()[i];
                        }
                        proxyLoss = cf.value(at);
                        cfs.put(d.name(), o.counterfactual());
                    }
                    found.add(new GcdResult.Found(d.name(), d.kind(), d.eigenvalue(), d.vector(), o.bestStep(), o.found(),
                            o.found() ? o.bestLoss() : Double.NaN, o.found() ? o.probability()[o.best()] : Double.NaN,
                            proxyLoss, o.steps(), o.probability()));
                    task.step();
                }
            }
            ImageData reconstruction;
            try (NDManager s = scope.newSubManager()) {
                NDArray z = s.create(code, new ai.djl.ndarray.types.Shape(1, code.length));
                reconstruction = ImageTensors.fromBatch(anchored.generator().decode(z), ValueRange.UNIT).get(0);
            }
            GcdResult.Cost cost = new GcdResult.Cost(queries.get(), data.decoded() - decodedBefore + decodedSearch + 1,
                    (System.nanoTime() - t0) / 1e9, resumed);
            Provenance prov = Provenance.ofModels("gcd.discover", config, config.seed(),
                    List.of(models.generator().info(), models.classifier().info(), models.features().info()));
            GcdResult result = new GcdResult(models.classifier().spec().name(), models.classifier().spec().classNames(),
                    loss.imageClass(), loss.imageProbability(), models.generator().description(), code.length, code, found,
                    history, cost, prov);
            return new Discovery(result, cfs, reconstruction, proxy);
        }
    }

    private static String checkpointKey(GcdConfig config, ImageData source, Models models) {
        StringBuilder b = new StringBuilder(Json.writeLine(config.dataKey()));
        b.append('|').append(models.generator().description()).append(models.generator().info());
        b.append('|').append(models.classifier().info()).append('|').append(models.features().info());
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(source.pixels().length * 4);
        for (float v : source.pixels()) {
            buf.putFloat(v);
        }
        return Hashing.sha256((b + "|" + Hashing.sha256(buf.array())).getBytes(StandardCharsets.UTF_8));
    }

    private static ProxyData resume(Path dir, String key, int dim) {
        Path state = dir.resolve(STATE);
        if (!Files.isRegularFile(state)) {
            return null;
        }
        State s = Json.read(state, State.class);
        if (!s.key().equals(key)) {
            throw new VcexException("The GCD checkpoint in " + dir + " was made for another source image, models or data "
                    + "settings; delete that folder (or choose another output folder) to start afresh");
        }
        ProxyData d = ProxyData.read(dir.resolve(DATA));
        if (d.dim() != dim || d.iterations() != s.iterations()) {
            throw new VcexException("The GCD checkpoint in " + dir + " is inconsistent; delete it to start afresh");
        }
        return d;
    }
}
