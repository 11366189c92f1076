package io.vcex.cli;

import io.vcex.core.VcexException;
import io.vcex.core.config.Json;
import io.vcex.core.files.AtomicFiles;
import io.vcex.core.image.ImageFiles;
import io.vcex.core.image.ImageSpec;
import io.vcex.data.dataset.Dataset;
import io.vcex.data.dataset.FolderDataset;
import io.vcex.data.dataset.IdxDataset;
import io.vcex.data.dataset.LabeledImage;
import io.vcex.data.dataset.Mnist;
import io.vcex.data.world.FacesWorld;
import io.vcex.data.world.WorldDataset;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vcex data ...}: users' data sets. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Check a data set (image folder with labels, IDX files, MNIST), or export some of its images.",
        subcommands = {DataCommand.Check.class, DataCommand.Export.class})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Opens a data set named on the command line: {@code mnist:train} (or {@code mnist}), {@code mnist:test},
     * {@code world:PRESET:SEED:COUNT} (for example {@code world:smile-biased:1:1000}), a folder with
     * {@code labels.csv} or {@code labels.jsonl}, or an IDX image file (with {@code labels}).
     *
     * @param source the data set's name or path
     * @param labels a labels file (IDX labels, or another name for a folder's labels), or null
     * @param expected the image shape required, or null to take the first image's
     * @param allowUnlabelled accept images in a folder that no label row names
     * @return the data set
     */
    static Dataset open(String source, Path labels, ImageSpec expected, boolean allowUnlabelled) {
        if (source.equals("mnist:train") || source.equals("mnist")) {
            return Mnist.train();
        }
        if (source.equals("mnist:test")) {
            return Mnist.test();
        }
        if (source.startsWith("world:")) {
            String[] p = source.split(":");
            if (p.length != 4) {
                throw new VcexException("A faces-world source is world:PRESET:SEED:COUNT (for example "
                        + "world:in-prior:1:1000), not '" + source + "'");
            }
            try {
                WorldPreset preset = new WorldPreset.Converter().convert(p[1]);
                return new WorldDataset(new FacesWorld(preset.config(), Long.parseLong(p[2])), Integer.parseInt(p[3]));
            } catch (IllegalArgumentException e) {
                throw new VcexException("Cannot read '" + source + "': the preset is in-prior, full or smile-biased, "
                        + "SEED and COUNT are whole numbers", e);
            }
        }
        Path path = Path.of(source);
        if (Files.isDirectory(path)) {
            return FolderDataset.open(path, labels, expected,
                    allowUnlabelled ? FolderDataset.Unlabelled.IGNORE : FolderDataset.Unlabelled.REJECT);
        }
        if (Files.isRegularFile(path)) {
            if (labels == null) {
                throw new VcexException(path + " is a file: an IDX image file needs its label file with --labels");
            }
            return IdxDataset.open(path, labels);
        }
        throw new VcexException("No data set at '" + source + "': give a folder, an IDX file with --labels, "
                + "mnist:train, mnist:test or world:PRESET:SEED:COUNT");
    }

    /** {@code vcex data check}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Read every image of a data set, report the first problem, or summarise it.")
    static final class Check implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SOURCE",
                description = "A folder with labels.csv/labels.jsonl, an IDX image file, mnist:train, mnist:test or "
                        + "world:PRESET:SEED:COUNT.")
        String source;

        @Option(names = "--labels", description = "The labels file (IDX labels, or a folder's labels under another name).")
        Path labels;

        @Option(names = "--size", description = "Required image size, e.g. 64 or 28x28.")
        String size;

        @Option(names = "--channels", description = "Required channels, 1 or 3 (images are converted).")
        Integer channels;

        @Option(names = "--allow-unlabelled", description = "Accept images that no label row names.")
        boolean allowUnlabelled;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            ImageSpec expected = null;
            if (size != null) {
                int[] hw = parseSize(size);
                expected = new ImageSpec(channels == null ? 3 : channels, hw[0], hw[1]);
            } else if (channels != null) {
                // the channel count alone: keep the data's own size
                ImageSpec own = open(source, labels, null, allowUnlabelled).imageSpec();
                expected = new ImageSpec(channels, own.height(), own.width());
            }
            Dataset ds = open(source, labels, expected, allowUnlabelled);
            if (expected != null && !(ds instanceof FolderDataset) && !ds.imageSpec().equals(expected)) {
                throw new VcexException(ds.name() + " has images of " + ds.imageSpec() + " (channels x height x width) but "
                        + expected + " was required");
            }
            if (ds instanceof FolderDataset folder) {
                folder.validate(common.progress());
            } else {
                try (var task = common.progress().start("reading " + ds.name(), ds.size())) {
                    for (int i = 0; i < ds.size(); i++) {
                        ds.get(i);
                        task.step();
                    }
                }
            }
            summarise(ds, common.out());
            return 0;
        }

        private static int[] parseSize(String s) {
            try {
                String[] p = s.toLowerCase(java.util.Locale.ROOT).split("x");
                int h = Integer.parseInt(p[0].trim());
                return new int[] {h, p.length > 1 ? Integer.parseInt(p[1].trim()) : h};
            } catch (NumberFormatException e) {
                throw new VcexException("--size is HEIGHTxWIDTH or one number, not '" + s + "'");
            }
        }
    }

    /** {@code vcex data export}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write images of a data set as PNG files with a labels.csv (a folder data set vcex reads back), "
                    + "for example the test digits of one class to explain.")
    static final class Export implements Callable<Integer> {
        /** The file that marks a folder this command wrote (it may be replaced by the next export). */
        static final String MANIFEST = "export.json";

        @Parameters(index = "0", paramLabel = "SOURCE", description = "As for data check: a folder, an IDX image file, "
                + "mnist:train, mnist:test or world:PRESET:SEED:COUNT.")
        String source;

        @Option(names = "--labels", description = "The labels file (IDX labels, or a folder's labels under another name).")
        Path labels;

        @Option(names = "--where", description = "Keep images whose label KEY has VALUE, e.g. label=4.")
        String where;

        @Option(names = "--first", defaultValue = "0", description = "Skip this many of the kept images (default ${DEFAULT-VALUE}).")
        int first;

        @Option(names = "--count", defaultValue = "16", description = "Images to write (default ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--out", required = true, description = "Output folder (replaced only if empty or an earlier export).")
        Path out;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            if (count < 1 || first < 0) {
                throw new VcexException("--count must be at least 1 and --first at least 0");
            }
            Dataset ds = open(source, labels, null, false);
            if (where != null) {
                int eq = where.indexOf('=');
                if (eq <= 0) {
                    throw new VcexException("--where is KEY=VALUE (e.g. label=4), not '" + where + "'");
                }
                ds = ds.where(where.substring(0, eq).strip(), where.substring(eq + 1).strip());
            }
            if (first >= ds.size()) {
                throw new VcexException(ds.name() + " has " + ds.size() + " image(s); --first " + first + " skips them all");
            }
            Dataset chosen = ds;
            int n = Math.min(count, ds.size() - first);
            List<String> keys = ds.labelNames();
            AtomicFiles.replaceDirectory(out, MANIFEST, tmp -> {
                StringBuilder csv = new StringBuilder("file");
                keys.forEach(k -> csv.append(',').append(csv(k)));
                csv.append(",captions\n");
                List<String> files = new ArrayList<>();
                try (var task = common.progress().start("exporting " + chosen.name(), n)) {
                    for (int i = 0; i < n; i++) {
                        LabeledImage item = chosen.get(first + i);
                        String file = fileName(item.id());
                        if (files.contains(file)) {
                            file = String.format(Locale.ROOT, "%05d-%s", first + i, file);
                        }
                        files.add(file);
                        ImageFiles.writePng(item.image(), tmp.resolve(file));
                        csv.append(csv(file));
                        for (String k : keys) {
                            csv.append(',').append(csv(item.labels().getOrDefault(k, "")));
                        }
                        csv.append(',').append(csv(String.join("|", item.captions()))).append('\n');
                        task.step();
                    }
                }
                Json.writeString(tmp.resolve("labels.csv"), csv.toString());
                Map<String, Object> manifest = new LinkedHashMap<>();
                manifest.put("source", source);
                manifest.put("where", where);
                manifest.put("first", first);
                manifest.put("files", files);
                Json.write(tmp.resolve(MANIFEST), manifest);
            });
            common.out().println("wrote " + n + " image(s) of " + chosen.name() + " and labels.csv to " + out);
            return 0;
        }

        /** A file name from an item's id: numbers padded to five digits, paths flattened, always .png. */
        static String fileName(String id) {
            if (id.matches("[0-9]+")) {
                return String.format(Locale.ROOT, "%05d.png", Long.parseLong(id));
            }
            String flat = id.replace('/', '_').replace('\\', '_');
            int dot = flat.lastIndexOf('.');
            return (dot > 0 ? flat.substring(0, dot) : flat) + ".png";
        }

        private static String csv(String v) {
            return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
        }
    }

    /**
     * Prints size, shape, and the most frequent values of every label.
     *
     * @param ds the data set
     * @param out where to print
     */
    static void summarise(Dataset ds, PrintWriter out) {
        out.println(ds.name() + ": " + ds.size() + " images of " + ds.imageSpec() + " (channels x height x width), all readable");
        for (String key : ds.labelNames()) {
            Map<String, Integer> counts = new TreeMap<>();
            for (int i = 0; i < ds.size(); i++) {
                String v = ds.labels(i).get(key);
                if (v != null) {
                    counts.merge(v, 1, Integer::sum);
                }
            }
            if (counts.size() > 12) {
                out.println("  " + key + ": " + counts.size() + " distinct values");
            } else {
                StringBuilder sb = new StringBuilder("  " + key + ":");
                counts.forEach((v, n) -> sb.append(' ').append(v).append('=').append(n));
                out.println(sb);
            }
        }
        LabeledImage first = ds.get(0);
        if (!first.captions().isEmpty()) {
            out.println("  captions, e.g.: " + first.captions().get(0));
        }
    }
}
