package io.vcex.zoo.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.vcex.core.VcexException;
import io.vcex.core.config.Json;
import io.vcex.core.context.Progress;
import io.vcex.core.context.VcexContext;
import io.vcex.core.files.AtomicFiles;
import io.vcex.core.optim.AdamW;
import io.vcex.zoo.nn.Net;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The zoo's training loop: one scope per step, the batch phase outside any collector, the weights'
 * gradients cleared, the loss's gradients through a fresh collector, an {@link AdamW} update, and a checkpoint every {@link TrainSettings#checkpointEvery()} steps
 * (and at least once a minute) from which an interrupted run resumes exactly: the batch of step
 * {@code s} depends only on the seed and {@code s}, and the weights, the optimiser's moments and
 * the elapsed time are restored.
 */
public final class TrainLoop {

    /**
     * The loss of one step, in two phases: {@link #batch} runs outside any gradient collector (so it
     * may take input gradients itself, as an adversarial attack does), {@link #loss} inside the
     * step's collector.
     *
     * @param <B> what a batch is
     */
    public interface Objective<B> {
        /**
         * @param scope the step's scope: attach everything made here to it
         * @param step 0-based step (derive the batch's randomness from it)
         * @return the step's batch
         */
        B batch(NDManager scope, int step);

        /**
         * @param scope the step's scope
         * @param step 0-based step
         * @param batch what {@link #batch} made
         * @return a one-element loss tensor
         */
        NDArray loss(NDManager scope, int step, B batch);
    }

    /**
     * What a run did.
     *
     * @param steps steps completed in total
     * @param seconds training time in seconds, summed over resumed sessions
     * @param finalLoss exponential average of the loss at the end
     * @param resumedFrom the step the run resumed from (0 for a fresh run)
     */
    public record Outcome(int steps, double seconds, double finalLoss, int resumedFrom) {
    }

    /** What the checkpoint's JSON holds. */
    record State(int step, double seconds, double lossAverage, String configHash) {
    }

    /** Consecutive non-finite steps after which a run counts as diverged. */
    static final int MAX_CONSECUTIVE_SKIPS = 10;

    private TrainLoop() {
    }

    /**
     * @param ctx the context (progress, scopes)
     * @param label progress label
     * @param net the network (its trainable parameters are optimised)
     * @param settings optimisation settings
     * @param checkpointDir where checkpoints go (created; reused to resume)
     * @param configHash identifies the recipe config; a checkpoint of another config is not resumed
     * @param objective the loss of a step
     * @return what happened
     */
    public static <B> Outcome run(VcexContext ctx, String label, Net net, TrainSettings settings, Path checkpointDir,
            String configHash, Objective<B> objective) {
        return run(ctx, label, net, settings, checkpointDir, configHash, 0, 0, objective);
    }

    /**
     * As {@link #run(VcexContext, String, Net, TrainSettings, Path, String, Objective)}, keeping an
     * exponential moving average of the weights, theta_ema = d theta_ema + (1 - d) theta, after every
     * update (as diffusion models are trained: Ho et al. 2020, appendix B, d = 0.9999; a short run
     * needs a shorter horizon). The average is checkpointed with the weights, and at the end it is
     * copied into the network, which then holds the averaged weights.
     *
     * @param emaDecay d in [0, 1); 0 keeps no average
     * @param gradClip when positive, the gradients are scaled down to this global l2 norm when
     *     larger (Ho et al. 2020 clip at 1)
     */
    public static <B> Outcome run(VcexContext ctx, String label, Net net, TrainSettings settings, Path checkpointDir,
            String configHash, double emaDecay, double gradClip, Objective<B> objective) {
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new VcexException("emaDecay must be in [0, 1), got " + emaDecay);
        }
        try (NDManager emaScope = ctx.manager().newSubManager(); AdamW adam = new AdamW(ctx.manager(), net.trainable(), 0.9, 0.999, 1e-8)) {
            int start = 0;
            double seconds = 0;
            double avg = Double.NaN;
            NDList ema = null;
            State saved = readState(checkpointDir);
            if (saved != null && saved.configHash().equals(configHash) && saved.step() <= settings.steps()) {
                net.load(checkpointDir.resolve("weights.params"));
                try (NDManager m = ctx.newScope()) {
                    adam.restore(NDList.decode(m, Files.readAllBytes(checkpointDir.resolve("adam.ndlist"))));
                } catch (IOException e) {
                    throw new VcexException("Cannot read checkpoint " + checkpointDir + ": " + e.getMessage(), e);
                }
                if (emaDecay > 0) {
                    try (NDManager m = ctx.newScope()) {
                        NDList stored = NDList.decode(m, Files.readAllBytes(checkpointDir.resolve("ema.ndlist")));
                        stored.attach(emaScope);
                        ema = stored;
                    } catch (IOException e) {
                        throw new VcexException("Cannot read checkpoint " + checkpointDir + ": " + e.getMessage(), e);
                    }
                }
                start = saved.step();
                seconds = saved.seconds();
                avg = saved.lossAverage();
            }
            List<NDArray> params = net.trainable(); // after a resume these are the loaded arrays
            int skipped = 0;
            int consecutive = 0;
            if (emaDecay > 0 && ema == null) {
                ema = new NDList();
                for (NDArray p : params) {
                    NDArray copy = p.duplicate();
                    copy.attach(emaScope);
                    copy.setRequiresGradient(false);
                    ema.add(copy);
                }
            }
            long sessionStart = System.nanoTime();
            long lastSave = sessionStart;
            try (Progress.Task task = ctx.progress().start(label, settings.steps())) {
                task.step(start);
                for (int s = start; s < settings.steps(); s++) {
                    float value;
                    try (NDManager scope = ctx.newScope()) {
                        B batch = objective.batch(scope, s);
                        // the engine adds every backward pass to the weights' gradients: clear what the
                        // batch phase (an adversarial attack, say) left there, so the update sees this
                        // step's loss only
                        AdamW.zeroGradients(scope, params);
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray loss = objective.loss(scope, s, batch);
                            value = loss.getFloat();
                            if (Float.isFinite(value)) {
                                gc.backward(loss);
                            }
                        }
                        // a step whose loss or gradients are not finite is skipped (the weights stay as they
                        // were), as mixed-precision training skips overflowing steps; a run that keeps
                        // producing them has diverged and stops
                        boolean finite = Float.isFinite(value) && clip(scope, params, gradClip > 0 ? gradClip : Double.MAX_VALUE);
                        if (!finite) {
                            skipped++;
                            consecutive++;
                            if (consecutive > MAX_CONSECUTIVE_SKIPS) {
                                throw new VcexException(label + ": the loss or its gradients were not finite at "
                                        + consecutive + " steps in a row (the last " + s + "); lower the learning rate");
                            }
                        } else {
                            consecutive = 0;
                            adam.update(scope, params, settings.learningRate(s), settings.weightDecay());
                            if (ema != null) {
                                for (int k = 0; k < params.size(); k++) {
                                    try (NDArray part = params.get(k).mul((float) (1 - emaDecay))) {
                                        ema.get(k).muli((float) emaDecay).addi(part);
                                    }
                                }
                            }
                            avg = Double.isNaN(avg) ? value : 0.98 * avg + 0.02 * value;
                        }
                    }
                    task.step();
                    task.status(String.format(Locale.ROOT, "loss %.4f", avg) + (skipped > 0 ? ", " + skipped
                            + " non-finite step(s) skipped" : ""));
                    long now = System.nanoTime();
                    boolean last = s + 1 == settings.steps();
                    if (last || (s + 1) % settings.checkpointEvery() == 0 || now - lastSave > 60_000_000_000L) {
                        double total = seconds + (now - sessionStart) / 1e9;
                        save(ctx, checkpointDir, net, adam, ema, new State(s + 1, total, avg, configHash));
                        lastSave = now;
                    }
                }
            }
            if (ema != null) {
                for (int k = 0; k < params.size(); k++) {
                    params.get(k).set(ema.get(k).toFloatArray());
                }
            }
            double total = seconds + (System.nanoTime() - sessionStart) / 1e9;
            return new Outcome(settings.steps(), total, avg, start);
        }
    }

    /**
     * Scales every gradient by min(1, clip / ||g||_2), the norm taken over all of them together.
     *
     * @return false when the norm is not finite (the gradients are then left as they are)
     */
    static boolean clip(NDManager scope, List<NDArray> params, double clip) {
        double sum = 0;
        List<NDArray> grads = new java.util.ArrayList<>(params.size());
        for (NDArray p : params) {
            NDArray g = p.getGradient();
            g.attach(scope);
            grads.add(g);
            sum += g.square().sum().getFloat();
        }
        double norm = Math.sqrt(sum);
        if (!Double.isFinite(norm)) {
            return false;
        }
        if (norm > clip) {
            for (NDArray g : grads) {
                g.muli((float) (clip / norm));
            }
        }
        return true;
    }

    private static State readState(Path dir) {
        Path f = dir.resolve("state.json");
        return Files.isRegularFile(f) ? Json.read(f, State.class) : null;
    }

    private static void save(VcexContext ctx, Path dir, Net net, AdamW adam, NDList ema, State state) {
        AtomicFiles.replaceDirectory(dir, "state.json", tmp -> {
            net.save(tmp.resolve("weights.params"));
            try (NDManager m = ctx.newScope()) {
                Files.write(tmp.resolve("adam.ndlist"), adam.state(m).encode());
                if (ema != null) {
                    Files.write(tmp.resolve("ema.ndlist"), ema.encode());
                }
            }
            Json.write(tmp.resolve("state.json"), state);
        });
    }
}
