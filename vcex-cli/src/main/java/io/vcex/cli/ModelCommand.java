package io.vcex.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.autograd.Gradients;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.Scores;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageSpec;
import io.vcex.io.ModelFolder;
import io.vcex.io.description.DescribedClassifier;
import io.vcex.io.description.ModelDescription;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vcex model ...}: users' model files. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Users' model files: check that one loads and runs.",
        subcommands = {ModelCommand.Check.class})
final class ModelCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code vcex model check}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Load a model folder (vcex-model.json beside the model file), run it on a dummy batch, "
                    + "and print its shapes, classes and whether input gradients are available (never for a "
                    + "black-box model, such as one behind an HTTP API, which is only asked for scores).")
    static final class Check implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FOLDER", description = "Folder with vcex-model.json and the model's files.")
        Path folder;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            PrintWriter out = common.out();
            try (VcexContext ctx = VcexContext.builder().build();
                    DescribedClassifier model = ModelFolder.loadAny(ctx, folder);
                    NDManager scope = ctx.newScope()) {
                ClassifierSpec spec = model.spec();
                ImageSpec in = spec.input();
                ModelDescription d = model.description();
                out.println("model:    " + spec.name() + " (" + d.format() + ", " + folder + ")");
                if (d.http() != null) {
                    out.printf(Locale.ROOT, "endpoint: %s (batches of at most %d, at most %s requests/s, timeout %d ms, "
                            + "%d retries)%n", d.http().publicEndpoint(), d.http().maxBatch(), d.http().maxRequestsPerSecond(),
                            d.http().timeoutMillis(), d.http().retries());
                }
                out.println("input:    " + in + " (channels x height x width), vcex images in [0, 1]");
                out.println("classes:  " + spec.classNames() + " (" + spec.outputKind() + ")");
                NDArray batch = ctx.rng("check").uniform(scope, new ai.djl.ndarray.types.Shape(2, in.channels(), in.height(),
                        in.width()), 0f, 1f);
                Scores s = model.scores(batch);
                out.printf(Locale.ROOT, "dummy batch of 2: %d outputs each, probabilities of image 0 sum to %.4f%n",
                        s.raw()[0].length, sum(s.probabilities()[0]));
                if (model instanceof WhiteBoxClassifier white) {
                    NDArray g = Gradients.of(scope, batch, x -> white.logits(x).sum());
                    float norm = g.norm().getFloat();
                    out.println("input gradients: " + (norm > 0 ? "available (white-box)" : "all zero")
                            + String.format(Locale.ROOT, ", norm %.3g", norm));
                } else {
                    out.println("input gradients: NOT available (black-box: scores only; usable by GCD and the metrics, "
                            + "not by DVCE or ZOOM)");
                }
            }
            return 0;
        }

        private static double sum(float[] p) {
            double s = 0;
            for (float v : p) {
                s += v;
            }
            return s;
        }
    }
}
