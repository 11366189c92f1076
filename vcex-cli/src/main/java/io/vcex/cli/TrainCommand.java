package io.vcex.cli;

import io.vcex.core.VcexException;
import io.vcex.core.VcexHome;
import io.vcex.core.config.Check;
import io.vcex.core.config.Json;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.files.AtomicFiles;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.Versions;
import io.vcex.data.dataset.Dataset;
import io.vcex.data.dataset.IdxDataset;
import io.vcex.io.ModelFolder;
import io.vcex.io.description.FileClassifier;
import io.vcex.io.description.ModelDescription;
import io.vcex.io.vcexnet.VcexNetClassifier;
import io.vcex.zoo.data.ImagePool;
import io.vcex.zoo.nn.Net;
import io.vcex.zoo.recipes.Recipes;
import io.vcex.zoo.train.ClassifierTraining;
import io.vcex.zoo.train.TrainLoop;
import io.vcex.zoo.train.TrainSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vcex train ...}: models trained with vcex on users' data. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model on your own data with vcex.",
        subcommands = {TrainCommand.Classifier.class})
final class TrainCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * What a classifier's training run is; its hash names the checkpoint, so re-running the same
     * command resumes and another command starts afresh.
     *
     * @param data the training source as given
     * @param labels its labels file, or null
     * @param labelKey the label that is the class
     * @param classes the class values, in logit order
     * @param test the test source, or null for a held-out share of the data
     * @param testLabels the test source's labels file, or null
     * @param width the network's width
     * @param train optimisation
     * @param seed seed of the split, weights and batches
     */
    record Run(String data, String labels, String labelKey, List<String> classes, String test, String testLabels, int width,
            TrainSettings train, long seed) {
    }

    /** {@code vcex train classifier}. */
    @Command(name = "classifier", mixinStandardHelpOptions = true,
            description = "Train a softmax classifier on a labelled data set and write a model folder (vcex-model.json of "
                    + "format vcex, weights.params, training.json) that every --classifier option and model check accept. "
                    + "Interrupt and re-run the same command to resume.")
    static final class Classifier implements Callable<Integer> {
        /** Share of the data held out for testing when no --test is given. */
        static final double HELD_OUT = 0.1;

        @Option(names = "--data", required = true, description = "Training data: mnist (MNIST's training set, tested on its "
                + "test set), mnist:train, mnist:test, a folder with labels.csv/labels.jsonl, an IDX image file (with "
                + "--labels) or world:PRESET:SEED:COUNT.")
        String data;

        @Option(names = "--labels", description = "The labels file of --data (IDX labels, or a folder's labels under another name).")
        Path labels;

        @Option(names = "--label-key", defaultValue = IdxDataset.LABEL,
                description = "The label that holds the class (default ${DEFAULT-VALUE}; the faces world: e.g. smiling).")
        String labelKey;

        @Option(names = "--classes", description = "Comma-separated class values to keep, in the order of the outputs "
                + "(e.g. 4,9); default every value of the label.")
        String classes;

        @Option(names = "--test", description = "Test data (same forms as --data); default: mnist:test for --data mnist, "
                + "else 10% of --data held out.")
        String test;

        @Option(names = "--test-labels", description = "The labels file of --test.")
        Path testLabels;

        @Option(names = "--out", required = true, description = "The model folder to write.")
        Path out;

        @Option(names = "--name", description = "The model's name (default: the folder's name).")
        String name;

        @Option(names = "--epochs", defaultValue = "2", description = "Passes over the training images (default ${DEFAULT-VALUE}).")
        double epochs;

        @Option(names = "--steps", description = "Optimisation steps instead of --epochs.")
        Integer steps;

        @Option(names = "--batch", defaultValue = "64", description = "Images per step (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--width", defaultValue = "16", description = "Network width w: stages w,2w,2w,4w,4w (default ${DEFAULT-VALUE}).")
        int width;

        @Option(names = "--learning-rate", defaultValue = "2e-3", description = "Peak AdamW learning rate (default ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of the split, weights and batches (default ${DEFAULT-VALUE}).")
        long seed;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            Check.positive("--batch", batch);
            Check.range("--width", width, 1, 1024);
            Check.positive("--learning-rate", learningRate);
            checkOutput(out);
            boolean mnist = data.equals("mnist");
            String source = mnist ? "mnist:train" : data;
            String testSource = test != null ? test : mnist ? "mnist:test" : null;
            Dataset train = DataCommand.open(source, labels, null, false);
            List<String> values = values(train, labelKey);
            List<String> kept = classes == null ? values : parseClasses(classes, values, train, labelKey);
            if (kept.size() < 2) {
                throw new VcexException("A classifier needs at least two classes; label '" + labelKey + "' of " + train.name()
                        + " has " + kept.size() + " value(s): " + kept);
            }
            List<Integer> trainIdx = select(train, labelKey, kept);
            List<Integer> testIdx;
            Dataset testData;
            if (testSource != null) {
                testData = DataCommand.open(testSource, testLabels, null, false);
                if (!testData.imageSpec().equals(train.imageSpec())) {
                    throw new VcexException("Test data " + testData.name() + " has images of " + testData.imageSpec()
                            + " but the training data " + train.name() + " has " + train.imageSpec());
                }
                values(testData, labelKey);
                testIdx = select(testData, labelKey, kept);
            } else {
                int[] perm = new Rng(seed).derive("split").permutation(trainIdx.size());
                int held = Math.max(1, (int) Math.round(HELD_OUT * trainIdx.size()));
                if (trainIdx.size() - held < 1) {
                    throw new VcexException("Too few images of classes " + kept + " in " + train.name() + " (" + trainIdx.size()
                            + ") to hold out a test share; give --test");
                }
                List<Integer> a = new ArrayList<>();
                List<Integer> b = new ArrayList<>();
                for (int k = 0; k < perm.length; k++) {
                    (k < held ? b : a).add(trainIdx.get(perm[k]));
                }
                a.sort(null);
                b.sort(null);
                trainIdx = a;
                testIdx = b;
                testData = train;
            }
            if (testIdx.isEmpty()) {
                throw new VcexException("No test image of classes " + kept + " in " + testData.name());
            }
            int stepCount = steps != null ? Check.positive("--steps", steps)
                    : Math.max(1, (int) Math.ceil(Check.positive("--epochs", epochs) * trainIdx.size() / batch));
            TrainSettings settings = new TrainSettings(stepCount, batch, learningRate, 1e-4, 0.05, 200);
            Run run = new Run(source, labels == null ? null : labels.toString(), labelKey, kept, testSource,
                    testLabels == null ? null : testLabels.toString(), width, settings, seed);
            String hash = Recipes.configHash(run);
            Path work = VcexHome.resolve(".cache/train/" + hash);
            String modelName = name != null ? name : out.toAbsolutePath().normalize().getFileName().toString();
            ImageSpec spec = train.imageSpec();
            if (spec.height() != spec.width()) {
                throw new VcexException("vcex train classifier needs square images; " + train.name() + " has " + spec
                        + " (resize them first)");
            }
            common.out().printf(Locale.ROOT, "training %s on %d images of %s (%s; classes %s of label '%s'), testing on %d; "
                    + "%d steps of %d; checkpoints in %s (interrupt and re-run to resume)%n", modelName, trainIdx.size(),
                    train.name(), spec, kept, labelKey, testIdx.size(), stepCount, batch, work);
            try (VcexContext ctx = VcexContext.builder().seed(seed).optProgress(common.progress()).build()) {
                ImagePool trainPool = pool(train, trainIdx, common.progress(), "reading training images");
                int[] trainY = classIndices(train, trainIdx, labelKey, kept);
                TrainLoop.Outcome outcome;
                try (Net net = ClassifierTraining.network(ctx, width, kept.size(), spec, seed)) {
                    outcome = ClassifierTraining.train(ctx, "training " + modelName, net, trainPool, trainY, settings, seed,
                            work.resolve("checkpoint"), hash);
                    AtomicFiles.replaceDirectory(out, TRAINING, tmp -> {
                        net.save(tmp.resolve(WEIGHTS));
                        VcexNetClassifier.writeDescription(tmp, modelName, spec, kept, width, WEIGHTS);
                        Json.write(tmp.resolve(TRAINING), Map.of("run", run, "status", "written; test figures follow"));
                    });
                }
                ImagePool testPool = pool(testData, testIdx, common.progress(), "reading test images");
                int[] testY = classIndices(testData, testIdx, labelKey, kept);
                int[] predicted;
                try (FileClassifier model = ModelFolder.load(ctx, out)) {
                    predicted = ClassifierTraining.predict(ctx, model, testPool, "testing " + modelName);
                }
                int correct = 0;
                int[] right = new int[kept.size()];
                int[] total = new int[kept.size()];
                for (int i = 0; i < predicted.length; i++) {
                    total[testY[i]]++;
                    if (predicted[i] == testY[i]) {
                        correct++;
                        right[testY[i]]++;
                    }
                }
                double accuracy = (double) correct / predicted.length;
                Map<String, Double> perClass = new LinkedHashMap<>();
                for (int k = 0; k < kept.size(); k++) {
                    if (total[k] > 0) {
                        perClass.put(kept.get(k), (double) right[k] / total[k]);
                    }
                }
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("run", run);
                record.put("train_images", trainIdx.size());
                record.put("test_images", testIdx.size());
                record.put("test_accuracy", accuracy);
                record.put("test_accuracy_per_class", perClass);
                record.put("training_seconds", outcome.seconds());
                record.put("final_loss", outcome.finalLoss());
                record.put("parameters_file", WEIGHTS);
                record.put("machine", Recipes.machine());
                record.put("vcex_version", Versions.vcex());
                record.put("djl_version", Versions.djl());
                Json.write(out.resolve(TRAINING), record);
                try {
                    AtomicFiles.deleteTree(work);
                } catch (IOException e) {
                    // a leftover checkpoint is only disk space; the next run with another config ignores it
                }
                common.out().printf(Locale.ROOT, "test accuracy %.4f on %d images (per class: %s); trained in %.0f s%n", accuracy,
                        testIdx.size(), format(perClass), outcome.seconds());
                common.out().println("wrote " + out + " (" + ModelDescription.FILE_NAME + ", " + WEIGHTS + ", " + TRAINING + ")");
            }
            return 0;
        }

        /** The parameter file's name in the folder. */
        static final String WEIGHTS = "weights.params";
        /** The training record's name; it marks folders this command wrote. */
        static final String TRAINING = "training.json";

        /** Refuses, before any training, an output folder this command did not write. */
        private static void checkOutput(Path out) {
            if (!Files.exists(out)) {
                return;
            }
            if (!Files.isDirectory(out)) {
                throw new VcexException("Output " + out + " exists and is a file, not a folder");
            }
            if (Files.isRegularFile(out.resolve(TRAINING))) {
                return;
            }
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new VcexException("Output folder " + out + " is not empty and was not written by vcex train "
                            + "classifier (it has no " + TRAINING + "); choose another --out so nothing of yours is overwritten");
                }
            } catch (IOException e) {
                throw new VcexException("Cannot read output folder " + out + ": " + e.getMessage(), e);
            }
        }

        private static String format(Map<String, Double> m) {
            StringBuilder sb = new StringBuilder();
            m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ')
                    .append(String.format(Locale.ROOT, "%.3f", v)));
            return sb.toString();
        }
    }

    /**
     * @param ds a data set
     * @param key a label key
     * @return the label's values, numerically sorted when they are all whole numbers
     */
    static List<String> values(Dataset ds, String key) {
        if (!ds.labelNames().contains(key)) {
            throw new VcexException("Data set '" + ds.name() + "' has no label '" + key + "'; its labels are "
                    + (ds.labelNames().isEmpty() ? "none" : String.join(", ", ds.labelNames())) + " (choose one with --label-key)");
        }
        TreeSet<String> seen = new TreeSet<>();
        for (int i = 0; i < ds.size(); i++) {
            String v = ds.labels(i).get(key);
            if (v != null) {
                seen.add(v);
            }
        }
        List<String> out = new ArrayList<>(seen);
        if (out.stream().allMatch(v -> v.matches("-?[0-9]{1,9}"))) {
            out.sort(Comparator.comparingInt(Integer::parseInt));
        }
        return out;
    }

    /**
     * @param list comma-separated class values
     * @param values the label's values
     * @param ds the data set, for messages
     * @param key the label, for messages
     * @return the classes, in the order given
     */
    static List<String> parseClasses(String list, List<String> values, Dataset ds, String key) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String c : list.split(",")) {
            String v = c.strip();
            if (v.isEmpty()) {
                throw new VcexException("--classes '" + list + "' has an empty entry; give values separated by commas, e.g. 4,9");
            }
            if (!values.contains(v)) {
                throw new VcexException("Class '" + v + "' of --classes is not a value of label '" + key + "' in " + ds.name()
                        + "; its values are " + values);
            }
            if (!out.add(v)) {
                throw new VcexException("Class '" + v + "' is given twice in --classes '" + list + "'");
            }
        }
        return new ArrayList<>(out);
    }

    private static List<Integer> select(Dataset ds, String key, List<String> classes) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            if (classes.contains(ds.labels(i).get(key))) {
                out.add(i);
            }
        }
        return out;
    }

    private static int[] classIndices(Dataset ds, List<Integer> idx, String key, List<String> classes) {
        int[] y = new int[idx.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = classes.indexOf(ds.labels(idx.get(i)).get(key));
        }
        return y;
    }

    private static ImagePool pool(Dataset ds, List<Integer> idx, Progress progress, String label) {
        int[] a = idx.stream().mapToInt(Integer::intValue).toArray();
        try (Progress.Task task = progress.start(label, 1)) {
            ImagePool p = ImagePool.of(ds.subset(a), 0, a.length);
            task.step();
            return p;
        }
    }
}
