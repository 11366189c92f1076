package io.vcex.cli;

import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.config.Json;
import io.vcex.core.context.Progress;
import io.vcex.core.context.VcexContext;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageFiles;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import io.vcex.core.provenance.Versions;
import io.vcex.methods.gcd.Anchoring;
import io.vcex.methods.gcd.BbLig;
import io.vcex.methods.gcd.CounterfactualLoss;
import io.vcex.methods.gcd.Direction;
import io.vcex.methods.gcd.Gcd;
import io.vcex.methods.gcd.GcdConfig;
import io.vcex.methods.gcd.GcdResult;
import io.vcex.methods.gcd.LineSearch;
import io.vcex.methods.gcd.Transfer;
import io.vcex.metrics.attribution.AttributionMetric;
import io.vcex.metrics.attribution.Complexity;
import io.vcex.metrics.attribution.EffectiveComplexity;
import io.vcex.metrics.attribution.Sparseness;
import io.vcex.report.Pictures;
import io.vcex.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vcex explain gcd ...}: Global Counterfactual Directions (black-box) and BB-LIG. */
@Command(name = "gcd", mixinStandardHelpOptions = true,
        description = "GCD (Sobieski & Biecek 2024): black-box global counterfactual directions from one image; BB-LIG maps.",
        subcommands = {GcdCommand.Discover.class, GcdCommand.Apply.class, GcdCommand.Attribute.class})
final class GcdCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every GCD command shares. */
    static final class ModelOptions {
        @Option(names = "--models", description = "Models folder (default: models/ in the vcex home).")
        Path models;

        @Option(names = "--features", description = "Feature network of the perceptual distance (zoo name; default: the "
                + "zoo's one for the classifier's image size, " + FEATURE_NETWORKS + ").")
        String features;

        /** The zoo's feature networks, tried in this order when --features is not given. */
        static final List<String> DEFAULT_FEATURES = List.of("feature-net", "mnist-net");
        static final String FEATURE_NETWORKS = "feature-net for 64x64 faces, mnist-net for 28x28 digits";

        Zoo zoo() {
            return ZooCommand.zoo(models);
        }

        BlackBoxClassifier classifier(VcexContext ctx, String nameOrFolder) {
            // GCD is black-box: it gets the opaque view only, of any model a folder describes (HTTP included)
            return Models.blackBox(ctx, zoo(), nameOrFolder);
        }

        ImageFeatures features(VcexContext ctx) {
            return zoo().features(ctx, features != null ? features : DEFAULT_FEATURES.get(0));
        }

        /**
         * @param ctx the context that owns it
         * @param classifierInput the explained classifier's images
         * @return the --features network, or the first zoo feature network that reads images of
         *     the classifier's size; one that does not is an error naming the choices
         */
        ImageFeatures features(VcexContext ctx, ImageSpec classifierInput) {
            Zoo zoo = zoo();
            if (features != null) {
                ImageFeatures f = zoo.features(ctx, features);
                if (!reads(f, classifierInput)) {
                    throw new VcexException("The feature network '" + features + "' reads " + f.imageSpec()
                            + " images but the classifier's are " + classifierInput + "; choose one that reads them with "
                            + "--features (" + FEATURE_NETWORKS + ")");
                }
                return f;
            }
            for (String name : DEFAULT_FEATURES) {
                if (!java.nio.file.Files.isRegularFile(zoo.folder(name).resolve(io.vcex.zoo.recipes.Recipes.CARD))) {
                    continue;
                }
                ImageFeatures f = zoo.features(ctx, name);
                if (reads(f, classifierInput)) {
                    return f;
                }
                if (f instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        // frees native memory only
                    }
                }
            }
            throw new VcexException("No zoo feature network reads the classifier's " + classifierInput + " images ("
                    + FEATURE_NETWORKS + "); give one with --features");
        }

        private static boolean reads(ImageFeatures f, ImageSpec in) {
            return f.imageSpec().height() == in.height() && f.imageSpec().width() == in.width();
        }
    }

    /** How a discovery is set up: the GCD config with its data budget, and the generator with its DDIM steps. */
    static final class DiscoveryOptions {
        @Option(names = "--generator", defaultValue = "diffae", description = "Diffusion autoencoder (zoo name; default ${DEFAULT-VALUE}), the style generator stylegen (GCD in W+), or a folder with a vcex-model.json of a TorchScript generator (encode/decode).")
        String generator;

        @Option(names = "--config", description = "GCD configuration (JSON; fields as GcdConfig, missing ones take the paper's defaults).")
        Path config;

        @Option(names = "--iterations", description = "Outer iterations (paper: 52).")
        Integer iterations;

        @Option(names = "--batches", description = "Generator batches per iteration (paper: 8).")
        Integer batches;

        @Option(names = "--batch-size", description = "Perturbed codes per batch (paper: 128).")
        Integer batchSize;

        @Option(names = "--encode-steps", defaultValue = "20", description = "DDIM steps of the x_T inversion (authors: 250; default ${DEFAULT-VALUE}).")
        int encodeSteps;

        @Option(names = "--decode-steps", defaultValue = "20", description = "DDIM steps of decoding (authors: 100; default ${DEFAULT-VALUE}).")
        int decodeSteps;

        /** @return the config file's (or the paper's) config with the data budget given on the command line */
        GcdConfig config() {
            GcdConfig c = config == null ? GcdConfig.defaults() : Json.read(config, GcdConfig.class);
            if (iterations != null || batches != null || batchSize != null) {
                c = c.withData(iterations != null ? iterations : c.iterations(), batches != null ? batches : c.batchesPerIteration(),
                        batchSize != null ? batchSize : c.batchSize());
            }
            return c;
        }

        /**
         * @param ctx the context that owns the generator
         * @param zoo the zoo
         * @param classifierInput the explained classifier's input
         * @return the generator, adapted to that input
         */
        GcdGenerator.Loaded open(VcexContext ctx, Zoo zoo, ImageSpec classifierInput) {
            return GcdGenerator.open(ctx, zoo, generator, encodeSteps, decodeSteps, classifierInput);
        }
    }

    /** {@code vcex explain gcd discover}. */
    @Command(name = "discover", mixinStandardHelpOptions = true,
            description = "Find the g-direction and h-directions from one source image (checkpoints; re-running resumes).")
    static final class Discover implements Callable<Integer> {
        @Option(names = "--classifier", required = true, description = "The explained classifier: a zoo name (e.g. smile) or a model folder.")
        String classifier;

        @Option(names = "--source", required = true, description = "The source image (PNG of the classifier's size).")
        Path source;

        @Option(names = "--out", required = true, description = "Output folder (directions.json, pictures, checkpoint/).")
        Path out;

        @Option(names = "--seed", description = "Seed (default 0).")
        Long seed;

        @Mixin
        DiscoveryOptions discovery;

        @Mixin
        ModelOptions models;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            GcdConfig c = discovery.config();
            if (seed != null) {
                c = c.withSeed(seed);
            }
            try (VcexContext ctx = VcexContext.builder().optProgress(common.progress()).seed(c.seed()).build()) {
                BlackBoxClassifier cls = models.classifier(ctx, classifier);
                ImageSpec in = cls.spec().input();
                ImageData src = ImageFiles.read(source, in.channels(), in.height(), in.width());
                GcdGenerator.Loaded g = discovery.open(ctx, models.zoo(), in);
                ImageFeatures f = models.features(ctx, in);
                common.out().printf(Locale.ROOT, "GCD on %s with %s: %d iterations x %d codes%n", cls.spec().name(),
                        g.anchoring().description(), c.iterations(), c.perIteration());
                Gcd.Discovery d = Gcd.discover(ctx, new Gcd.Models(g.anchoring(), cls, f), src, c, out.resolve("checkpoint"));
                GcdResult r = d.result();
                r.write(out);
                Json.write(out.resolve(GcdGenerator.FILE), g.settings());
                Path asFolder = Path.of(classifier);
                Json.write(out.resolve(CLASSIFIER_FILE), new ClassifierSource(Files.isDirectory(asFolder)
                        ? asFolder.toAbsolutePath().normalize().toString() : classifier));
                ImageFiles.writePng(src, out.resolve("source.png"));
                ImageFiles.writePng(d.reconstruction(), out.resolve("reconstruction.png"));
                StringBuilder csv = new StringBuilder("direction,step,probability\n");
                for (GcdResult.Found fd : r.directions()) {
                    for (int i = 0; i < fd.steps().length; i++) {
                        csv.append(fd.name()).append(',').append(fmt(fd.steps()[i])).append(',').append(fmt(fd.curve()[i])).append('\n');
                    }
                    ImageData cf = d.counterfactuals().get(fd.name());
                    if (cf != null) {
                        ImageFiles.writePng(cf, out.resolve("counterfactual-" + fd.name() + ".png"));
                    }
                    common.out().printf(Locale.ROOT, "  %-3s %s%n", fd.name(), fd.valid()
                            ? String.format(Locale.ROOT, "flips the source at step %.3f: p(%s) %.3f -> %.3f", fd.step(),
                                    r.classNames().get(r.sourceClass()), r.sourceProbability(), fd.probability())
                            : "does not flip the source within the step range");
                }
                Json.writeString(out.resolve("curves.csv"), csv.toString());
                common.out().printf(Locale.ROOT, "%d classifier queries, %d decoded codes, %.0f s; wrote %s%n",
                        r.cost().classifierQueries(), r.cost().decodedImages(), r.cost().seconds(), out.resolve(GcdResult.FILE));
            }
            return 0;
        }
    }

    /** The file beside the directions that says which classifier discover explained, for apply and attribute. */
    static final String CLASSIFIER_FILE = "classifier.json";

    /** @param classifier a zoo name, or the absolute path of a model folder */
    record ClassifierSource(String classifier) {
    }

    /** What apply and attribute read from a discovery folder. */
    static final class Found {
        final GcdResult result;
        final GcdConfig config;
        final GcdGenerator generator;
        /** The classifier as discover was given it (a zoo name, or a model folder's absolute path). */
        final String classifier;

        Found(Path dir) {
            this.result = GcdResult.read(dir);
            this.config = Json.parse(result.provenance().config().toString(), GcdConfig.class, dir.resolve(GcdResult.FILE) + " (config)");
            Path folder = Files.isDirectory(dir) ? dir : dir.getParent();
            this.generator = Json.read(folder.resolve(GcdGenerator.FILE), GcdGenerator.class);
            Path source = folder.resolve(CLASSIFIER_FILE);
            this.classifier = Files.isRegularFile(source) ? Json.read(source, ClassifierSource.class).classifier() : result.classifier();
        }

        List<Direction> directions(String names) {
            if (names == null) {
                return result.asDirections();
            }
            List<Direction> out = new ArrayList<>();
            for (String n : names.split(",")) {
                out.add(result.direction(n.trim()).direction());
            }
            return out;
        }
    }

    /** Image options of apply and attribute. */
    static final class ImageOptions {
        @Option(names = "--images", required = true, arity = "1..*", description = "Image files or folders of images.")
        List<Path> images;

        @Option(names = "--limit", description = "Use at most this many images.")
        Integer limit;

        record Named(String id, ImageData image) {
        }

        List<Named> read(ImageSpec spec) {
            List<Path> files = Models.imageFiles(images);
            if (limit != null && limit < files.size()) {
                files = files.subList(0, limit);
            }
            List<Named> out = new ArrayList<>();
            for (Path f : files) {
                out.add(new Named(Models.stem(f), ImageFiles.read(f, spec.channels(), spec.height(), spec.width())));
            }
            return out;
        }
    }

    /** {@code vcex explain gcd apply}. */
    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Apply found directions to images: counterfactuals, probability curves, flip rates (summary.json).")
    static final class Apply implements Callable<Integer> {
        @Option(names = "--directions", required = true, description = "A discover output folder.")
        Path directions;

        @Option(names = "--out", required = true, description = "Output folder.")
        Path out;

        @Option(names = "--direction", description = "Comma-separated direction names (default: all, e.g. g,h1,h2).")
        String names;

        @Option(names = "--classifier", description = "The classifier (zoo name or model folder; default: the one discover explained).")
        String classifier;

        @Mixin
        ImageOptions images;

        @Mixin
        ModelOptions models;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            Found found = new Found(directions);
            List<Direction> dirs = found.directions(names);
            try (VcexContext ctx = VcexContext.builder().optProgress(common.progress()).seed(found.config.seed()).build()) {
                BlackBoxClassifier cls = models.classifier(ctx, classifier != null ? classifier : found.classifier);
                ImageSpec in = cls.spec().input();
                List<ImageOptions.Named> named = images.read(in);
                GcdGenerator g = found.generator;
                Anchoring a = GcdGenerator.open(ctx, models.zoo(), g.name(), g.encodeSteps(), g.decodeSteps(), in).anchoring();
                StringBuilder csv = new StringBuilder("image,direction,step,probability,valid\n");
                Transfer.Summary s = Transfer.apply(ctx, a, cls, models.features(ctx, in), named.stream().map(ImageOptions.Named::image).toList(),
                        dirs, found.config, r -> {
                            String id = named.get(r.index()).id();
                            for (int k = 0; k < dirs.size(); k++) {
                                LineSearch.Outcome o = r.outcomes().get(k);
                                for (int i = 0; i < o.steps().length; i++) {
                                    csv.append(id).append(',').append(dirs.get(k).name()).append(',').append(fmt(o.steps()[i]))
                                            .append(',').append(fmt(o.probability()[i])).append(',').append(o.valid()[i]).append('\n');
                                }
                                if (o.found()) {
                                    ImageFiles.writePng(o.counterfactual(), out.resolve("counterfactuals").resolve(dirs.get(k).name())
                                            .resolve(id + ".png"));
                                }
                            }
                        });
                Json.writeString(out.resolve("curves.csv"), csv.toString());
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("images", s.images());
                summary.put("classifier", found.result.classifier());
                summary.put("generator", a.description());
                summary.put("directions", directions.toString());
                summary.put("rates", s.rates());
                summary.put("steps", s.steps());
                summary.put("classifier_queries", s.classifierQueries());
                summary.put("decoded", s.decoded());
                summary.put("seconds", s.seconds());
                summary.put("discovery_provenance", found.result.provenance());
                summary.put("vcex_version", Versions.vcex());
                Json.write(out.resolve("summary.json"), summary);
                for (Transfer.Rate r : s.rates()) {
                    common.out().printf(Locale.ROOT, "  %-10s flip rate %.3f (%d of %d)%n", r.name(), r.flipRate(), r.flipped(), s.images());
                }
                common.out().println("wrote " + out.resolve("summary.json"));
            }
            return 0;
        }
    }

    /** {@code vcex explain gcd attribute}. */
    @Command(name = "attribute", mixinStandardHelpOptions = true,
            description = "BB-LIG maps along a direction (with BB-IG and AD for comparison): heatmap PNGs, arrays, summary.json.")
    static final class Attribute implements Callable<Integer> {
        @Option(names = "--directions", required = true, description = "A discover output folder.")
        Path directions;

        @Option(names = "--out", required = true, description = "Output folder.")
        Path out;

        @Option(names = "--direction", defaultValue = "g", description = "The direction (default ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--max-step", description = "The path's largest |step| (default: the transfer bound, 3).")
        Double maxStep;

        @Option(names = "--classifier", description = "The classifier (zoo name or model folder; default: the one discover explained).")
        String classifier;

        @Mixin
        ImageOptions images;

        @Mixin
        ModelOptions models;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            Found found = new Found(directions);
            Direction dir = found.result.direction(name).direction();
            GcdConfig c = found.config;
            double smax = maxStep != null ? maxStep : c.transferMaxStep();
            List<AttributionMetric> metrics = List.of(new Sparseness(), new Complexity(), EffectiveComplexity.standard());
            String[] methods = {"bb-lig", "bb-ig", "ad"};
            double[][] sums = new double[methods.length][metrics.size()];
            int found0 = 0;
            List<Map<String, Object>> perImage = new ArrayList<>();
            try (VcexContext ctx = VcexContext.builder().optProgress(common.progress()).seed(c.seed()).build()) {
                BlackBoxClassifier cls = models.classifier(ctx, classifier != null ? classifier : found.classifier);
                ImageSpec in = cls.spec().input();
                List<ImageOptions.Named> named = images.read(in);
                GcdGenerator g = found.generator;
                Anchoring a = GcdGenerator.open(ctx, models.zoo(), g.name(), g.encodeSteps(), g.decodeSteps(), in).anchoring();
                ImageFeatures f = models.features(ctx, in);
                AtomicLong queries = new AtomicLong();
                double[] grid = LineSearch.grid(c.transferSteps(), -c.transferMaxStep(), c.transferMaxStep());
                try (Progress.Task task = ctx.progress().start("BB-LIG along " + dir.name(), named.size())) {
                    for (ImageOptions.Named n : named) {
                        try (NDManager scope = ctx.newScope()) {
                            Anchoring.Anchored an = a.anchor(scope, ImageTensors.toBatch(scope, n.image(), ValueRange.UNIT));
                            CounterfactualLoss loss = CounterfactualLoss.of(scope, cls, f, n.image(), c.score(), c.lambda(), queries);
                            // the sign that flips this image (the direction may flip it either way)
                            LineSearch.Outcome o = LineSearch.search(scope, an.generator(), an.code(), dir.vector(), grid, loss,
                                    c.decodeBatch(), false);
                            double sign = o.found() && o.bestStep() < 0 ? -1 : 1;
                            BbLig.Attribution at = BbLig.attribute(scope, an.generator(), an.code(), dir.vector(), sign * smax, loss, c);
                            float[][] maps = {at.bbLig(), at.bbIg(), at.absoluteDifference()};
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("image", n.id());
                            row.put("baseline_found", at.found());
                            row.put("baseline_step", at.found() ? sign * Math.abs(at.baselineStep()) : null);
                            for (int m = 0; m < methods.length; m++) {
                                ImageFiles.writePng(Pictures.heatmap(n.image(), maps[m]), out.resolve(n.id() + "." + methods[m] + ".png"));
                                writeCsv(out.resolve("arrays").resolve(n.id() + "." + methods[m] + ".csv"), maps[m], at.height(), at.width());
                                Map<String, Double> vals = new LinkedHashMap<>();
                                for (int k = 0; k < metrics.size(); k++) {
                                    double v = metrics.get(k).compute(maps[m]);
                                    vals.put(metrics.get(k).name(), v);
                                    if (at.found()) {
                                        sums[m][k] += v;
                                    }
                                }
                                row.put(methods[m], vals);
                            }
                            if (at.found()) {
                                found0++;
                                ImageFiles.writePng(at.baseline(), out.resolve(n.id() + ".baseline.png"));
                            }
                            perImage.add(row);
                        }
                        task.step();
                    }
                }
            }
            Map<String, Object> means = new LinkedHashMap<>();
            for (int m = 0; m < methods.length; m++) {
                Map<String, Double> vals = new LinkedHashMap<>();
                for (int k = 0; k < metrics.size(); k++) {
                    vals.put(metrics.get(k).name(), found0 == 0 ? Double.NaN : sums[m][k] / found0);
                }
                means.put(methods[m], vals);
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("direction", dir.name());
            summary.put("images", perImage.size());
            summary.put("baselines_found", found0);
            summary.put("means_over_images_with_a_baseline", means);
            summary.put("per_image", perImage);
            summary.put("discovery_provenance", found.result.provenance());
            summary.put("vcex_version", Versions.vcex());
            Json.write(out.resolve("summary.json"), summary);
            common.out().printf(Locale.ROOT, "baseline found for %d of %d images%n", found0, perImage.size());
            for (int m = 0; m < methods.length; m++) {
                common.out().printf(Locale.ROOT, "  %-7s %s%n", methods[m], means.get(methods[m]));
            }
            common.out().println("wrote " + out.resolve("summary.json"));
            return 0;
        }

        private static void writeCsv(Path file, float[] map, int h, int w) {
            StringBuilder sb = new StringBuilder();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    sb.append(x == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", map[y * w + x]));
                }
                sb.append('\n');
            }
            Json.writeString(file, sb.toString());
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
