package io.vcex.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.autograd.Gradients;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.Scores;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.VcexContext;
import io.vcex.core.diffusion.NoiseSchedule;
import io.vcex.core.image.ImageSpec;
import io.vcex.io.ModelFolder;
import io.vcex.io.description.DescribedClassifier;
import io.vcex.io.description.ModelDescription;
import io.vcex.io.onnx.OnnxClassifier;
import io.vcex.io.torchscript.TorchScriptDenoiser;
import io.vcex.io.torchscript.TorchScriptGenerator;
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
                    + "black-box model, an ONNX file or one behind an HTTP API, which is only asked for scores). "
                    + "A TorchScript denoiser or generator is run the same way (its schedule, or its latent shape).")
    static final class Check implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FOLDER", description = "Folder with vcex-model.json and the model's files.")
        Path folder;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            ModelDescription description = ModelFolder.read(folder);
            if (description.kind().equals("denoiser")) {
                return checkDenoiser();
            }
            if (description.kind().equals("generator")) {
                return checkGenerator();
            }
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
                if (model instanceof OnnxClassifier onnx) {
                    out.println("graph:    input '" + onnx.signature()[0] + "', output '" + onnx.signature()[1] + "', batch axis "
                            + (onnx.fixedBatch() > 0 ? "fixed at " + onnx.fixedBatch() : "dynamic") + " (ONNX Runtime)");
                }
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

        private int checkDenoiser() {
            PrintWriter out = common.out();
            try (VcexContext ctx = VcexContext.builder().build();
                    TorchScriptDenoiser model = ModelFolder.denoiser(ctx, folder);
                    NDManager scope = ctx.newScope()) {
                ModelDescription d = model.description();
                NoiseSchedule s = model.schedule();
                ImageSpec in = model.imageSpec();
                out.println("model:    " + d.name() + " (" + d.format() + " denoiser, " + folder + ")");
                out.println("input:    x_t of " + in + " (channels x height x width) in the [-1, 1] scale, t as "
                        + d.denoiser().timestep());
                out.printf(Locale.ROOT, "schedule: %d steps, beta_1 = %.4g, beta_T = %.4g, alpha-bar_T = %.3g%n", s.steps(),
                        s.beta(0), s.beta(s.steps() - 1), s.alphaBar(s.steps() - 1));
                NDArray x = ctx.rng("check").normal(scope, new ai.djl.ndarray.types.Shape(2, in.channels(), in.height(),
                        in.width()));
                NDArray t = scope.create(new float[] {0, s.steps() - 1});
                NDArray eps = model.predictNoise(x, t, null);
                out.printf(Locale.ROOT, "dummy batch of 2 at t = 0 and %d: eps of shape %s, standard deviation %.3g%n",
                        s.steps() - 1, eps.getShape(), std(eps.toFloatArray()));
                NDArray g = Gradients.of(scope, x, leaf -> model.predictNoise(leaf, t, null).sum());
                float norm = g.norm().getFloat();
                out.println("input gradients: " + (norm > 0 ? "available" : "all zero")
                        + String.format(Locale.ROOT, ", norm %.3g (DVCE guides through the denoiser: --diffusion %s)", norm,
                                folder));
            }
            return 0;
        }

        private int checkGenerator() {
            PrintWriter out = common.out();
            try (VcexContext ctx = VcexContext.builder().build();
                    TorchScriptGenerator model = ModelFolder.generator(ctx, folder);
                    NDManager scope = ctx.newScope()) {
                ModelDescription d = model.description();
                ImageSpec in = model.imageSpec();
                out.println("model:    " + d.name() + " (" + d.format() + " generator, " + folder + ")");
                out.println("images:   " + in + " (channels x height x width), vcex images in [0, 1]; the model's range "
                        + d.range());
                out.println("latent:   " + model.latentShape() + " per image (" + d.generator().encode() + " / "
                        + d.generator().decode() + ")");
                NDArray x = ctx.rng("check").uniform(scope, new ai.djl.ndarray.types.Shape(2, in.channels(), in.height(),
                        in.width()), 0f, 1f);
                NDArray z = model.encode(x);
                NDArray back = model.decode(z);
                float error = back.sub(x).abs().mean().getFloat();
                out.printf(Locale.ROOT, "dummy batch of 2: codes of shape %s, decoded to %s, mean |x - decode(encode(x))| "
                        + "%.3g%n", z.getShape(), back.getShape(), error);
                out.println("usable by: explain gcd discover --generator " + folder);
            }
            return 0;
        }

        private static double std(float[] v) {
            double mean = 0;
            for (float x : v) {
                mean += x;
            }
            mean /= v.length;
            double var = 0;
            for (float x : v) {
                var += (x - mean) * (x - mean);
            }
            return Math.sqrt(var / v.length);
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
