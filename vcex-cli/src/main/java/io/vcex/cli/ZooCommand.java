package io.vcex.cli;

import io.vcex.core.VcexException;
import io.vcex.core.VcexHome;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageFiles;
import io.vcex.core.image.ImageGrid;
import io.vcex.zoo.Zoo;
import io.vcex.zoo.card.ModelCard;
import io.vcex.zoo.recipes.DiffusionConfig;
import io.vcex.zoo.recipes.DiffusionRecipe;
import io.vcex.zoo.recipes.StyleGenRecipe;
import io.vcex.zoo.recipes.Recipe;
import io.vcex.zoo.recipes.Recipes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vcex zoo ...}: the built-in models. */
@Command(name = "zoo", mixinStandardHelpOptions = true, description = "The built-in models: list, train from scratch, re-evaluate, export.",
        subcommands = {ZooCommand.ListModels.class, ZooCommand.Train.class, ZooCommand.Eval.class, ZooCommand.Samples.class,
            ZooCommand.Export.class})
final class ZooCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Zoo zoo(Path root) {
        return root == null ? Zoo.builtIn() : new Zoo(root);
    }

    static String metrics(Map<String, Double> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=')
                .append(v == Math.rint(v) && Math.abs(v) > 1 ? String.format(Locale.ROOT, "%.0f", v)
                        : String.format(Locale.ROOT, "%.4f", v)));
        return sb.toString();
    }

    /** {@code vcex zoo list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every zoo model, whether it is shipped, and its figures.")
    static final class ListModels implements Callable<Integer> {
        @Option(names = "--models", description = "Models folder (default: models/ in the vcex home).")
        Path models;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            Zoo zoo = zoo(models);
            PrintWriter out = common.out();
            for (Recipe<?, ?> r : Recipes.all()) {
                out.println(r.name() + ": " + r.summary());
                try {
                    ModelCard c = zoo.card(r.name());
                    out.printf(Locale.ROOT, "    %d parameters, %.1f KB, trained in %.0f s%n", c.parameters(),
                            c.weightsBytes() / 1024.0, c.trainingSeconds());
                    out.println("    " + metrics(c.metrics()));
                } catch (VcexException e) {
                    out.println("    not shipped: ./vcex zoo train " + r.name());
                }
            }
            return 0;
        }
    }

    /** {@code vcex zoo train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a zoo model from scratch (checkpoints; re-running resumes), evaluate it, write weights and card.")
    static final class Train implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The model (see zoo list).")
        String name;

        @Option(names = "--tiny", description = "The recipe's tiny configuration (seconds; for trying the pipeline).")
        boolean tiny;

        @Option(names = "--config", description = "A JSON recipe config instead of the defaults (its seed sets the data, weights and batches).")
        Path config;

        @Option(names = "--models", description = "Models folder to write into (default: models/ in the vcex home).")
        Path models;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            Recipe<?, ?> r = Recipes.get(name);
            ModelCard card = train(r);
            common.out().printf(Locale.ROOT, "trained %s in %.0f s: %s%n", name, card.trainingSeconds(), metrics(card.metrics()));
            common.out().println("weights and card: " + zoo(models).folder(name));
            return 0;
        }

        private <C> ModelCard train(Recipe<C, ?> r) {
            C c = config != null ? Json.read(config, r.configType()) : tiny ? r.tiny() : r.defaults();
            Path work = VcexHome.resolve(".cache/zoo-work/" + name + (tiny ? "-tiny" : ""));
            try (VcexContext ctx = VcexContext.builder().optProgress(common.progress()).build()) {
                return r.train(ctx, c, zoo(models).folder(name), work);
            }
        }
    }

    /** {@code vcex zoo eval}. */
    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Re-measure a shipped model's figures and compare them with its card.")
    static final class Eval implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The model, or 'all'.")
        String name;

        @Option(names = "--models", description = "Models folder (default: models/ in the vcex home).")
        Path models;

        @Option(names = "--tolerance", defaultValue = "0.01", description = "Largest difference counted as noise (default ${DEFAULT-VALUE}).")
        double tolerance;

        @Option(names = "--write", description = "Write the re-measured figures into the card (after a change of the "
                + "evaluation code); the weights and the training record stay as they are.")
        boolean write;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            Zoo zoo = zoo(models);
            int differ = 0;
            for (Recipe<?, ?> r : name.equals("all") ? Recipes.all() : java.util.List.<Recipe<?, ?>>of(Recipes.get(name))) {
                differ += eval(zoo, r);
            }
            return differ == 0 ? 0 : 1;
        }

        private <C> int eval(Zoo zoo, Recipe<C, ?> r) {
            ModelCard card = zoo.verified(r.name());
            Map<String, Double> now;
            try (VcexContext ctx = VcexContext.builder().optProgress(common.progress()).build()) {
                now = r.evaluate(ctx, Zoo.configOf(r, card, zoo.folder(r.name()).resolve(Recipes.CARD).toString()),
                        zoo.folder(r.name()));
            }
            int differ = 0;
            PrintWriter out = common.out();
            out.println(r.name() + ":");
            for (String added : now.keySet()) {
                if (!card.metrics().containsKey(added)) {
                    out.printf(Locale.ROOT, "  %-50s card        n/a  now %10.4f  NEW%n", added, now.get(added));
                }
            }
            for (Map.Entry<String, Double> e : card.metrics().entrySet()) {
                Double v = now.get(e.getKey());
                boolean same = v != null && (Math.abs(v - e.getValue()) <= tolerance * Math.max(1, Math.abs(e.getValue()))
                        || v.isNaN() && e.getValue().isNaN());
                differ += same ? 0 : 1;
                out.printf(Locale.ROOT, "  %-50s card %10.4f  now %10.4f  %s%n", e.getKey(), e.getValue(),
                        v == null ? Double.NaN : v, same ? "ok" : "DIFFERS");
            }
            if (write) {
                Recipes.writeCard(zoo.folder(r.name()), card.withMetrics(now));
                out.println("  wrote the re-measured figures into " + zoo.folder(r.name()).resolve(Recipes.CARD));
                return 0;
            }
            return differ;
        }
    }

    /** {@code vcex zoo samples}. */
    @Command(name = "samples", mixinStandardHelpOptions = true,
            description = "A sample sheet of a generator: random samples and encode/decode pairs of held-out images.")
    static final class Samples implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "A generator of the zoo (diffusion, diffae, stylegen, mnist-diffusion, mnist-diffae).")
        String name;

        @Option(names = "--out", required = true, description = "Output folder for samples.png and reconstructions.png.")
        Path out;

        @Option(names = "--count", defaultValue = "32", description = "Images of each kind (default ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--steps", defaultValue = "100", description = "DDIM steps (default ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of the random samples (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--models", description = "Models folder (default: models/ in the vcex home).")
        Path models;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            Recipe<?, ?> recipe = Recipes.get(name);
            if (!(recipe instanceof DiffusionRecipe) && !(recipe instanceof StyleGenRecipe)) {
                throw new VcexException("Zoo model '" + name + "' is not a generator; sample sheets exist for "
                        + Recipes.all().stream().filter(r -> r instanceof DiffusionRecipe || r instanceof StyleGenRecipe)
                                .map(Recipe::name).toList());
            }
            if (count < 1 || count > 256) {
                throw new VcexException("--count must be 1..256, got " + count);
            }
            Zoo zoo = zoo(models);
            ModelCard card = zoo.verified(name);
            String source = zoo.folder(name).resolve(Recipes.CARD).toString();
            try (VcexContext ctx = VcexContext.builder().seed(seed).optProgress(common.progress()).build()) {
                DiffusionRecipe.SampleSheet sheet = recipe instanceof StyleGenRecipe sg
                        ? sg.sampleSheet(ctx, Zoo.configOf(sg, card, source), zoo.folder(name), count)
                        : ((DiffusionRecipe) recipe).sampleSheet(ctx, Zoo.configOf((DiffusionRecipe) recipe, card, source),
                                zoo.folder(name), count, steps);
                ImageGrid grid = new ImageGrid(8, 2, 2, 0);
                ImageFiles.writePng(grid.render(sheet.samples(), null), out.resolve("samples.png"));
                List<ImageData> pairs = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    pairs.add(sheet.originals().get(i));
                    pairs.add(sheet.reconstructions().get(i));
                }
                ImageFiles.writePng(grid.render(pairs, null), out.resolve("reconstructions.png"));
            }
            if (recipe instanceof StyleGenRecipe) {
                common.out().println("wrote " + out.resolve("samples.png") + " (" + count + " prior samples at truncation 1, then "
                        + count + " at 0.7) and " + out.resolve("reconstructions.png") + " (held-out image, then its encode/synthesise)");
                return 0;
            }
            common.out().println("wrote " + out.resolve("samples.png") + " (" + count + " samples, DDIM-" + steps + ") and "
                    + out.resolve("reconstructions.png") + " (held-out image, then its DDIM-" + steps + " encode/decode)");
            return 0;
        }
    }

    /** {@code vcex zoo export}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a zoo network's parameters (names, shapes, float32 values) as parameters.json (index) and "
                    + "parameters.bin (little-endian), readable without vcex; classifiers and pixel denoisers also get "
                    + "reference.json/.bin, fixed inputs with their outputs, to check a re-implementation.")
    static final class Export implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The model (see zoo list).")
        String name;

        @Option(names = "--out", required = true, description = "Output folder.")
        Path out;

        @Option(names = "--models", description = "Models folder (default: models/ in the vcex home).")
        Path models;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            try (VcexContext ctx = VcexContext.builder().optProgress(common.progress()).build()) {
                common.out().println(io.vcex.zoo.export.ZooExport.export(ctx, zoo(models), name, out));
            }
            return 0;
        }
    }
}
