package io.vcex.data.dataset;

import io.vcex.core.VcexException;
import io.vcex.core.context.Progress;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageFiles;
import io.vcex.core.image.ImageSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A folder of images with a labels file, the format users bring:
 *
 * <pre>
 * faces/
 *   labels.csv          file,split,smile,captions
 *                       a.png,train,1,"a smiling face|a happy person"
 *                       sub/b.jpg,test,0,
 *   a.png
 *   sub/b.jpg
 * </pre>
 *
 * <p>or {@code labels.jsonl} with one object per line such as
 * {@code {"file": "a.png", "split": "train", "attributes": {"smile": true}, "captions": ["a smiling face"]}};
 * see {@link #open(Path, Path, ImageSpec, Unlabelled)} for both formats. Image paths are relative to
 * the labels file's folder.
 *
 * <p>Opening reads the labels file and checks that it is well formed, that every image it names
 * exists and is named once, and that every image in the folder has a row. Images are decoded in
 * {@link #get}; {@link #validate} decodes them all once, up front.
 */
public final class FolderDataset implements Dataset {

    /** File names looked for, in order, when no labels file is given. */
    public static final List<String> LABEL_FILE_NAMES = List.of("labels.csv", "labels.jsonl");

    private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg");
    private static final int UNLABELLED_SHOWN = 5;

    /** What to do with images in the folder that the labels file does not name. */
    public enum Unlabelled {
        /** Refuse to open the data set, listing the unlabelled images (the default). */
        REJECT,
        /** Leave them out of the data set. */
        IGNORE
    }

    private final String name;
    private final Path labelsFile;
    private final List<Item> items;
    private final ImageSpec spec;
    private final boolean convertChannels;
    private final List<String> labelNames;

    /**
     * One row with its resolved image.
     *
     * @param row the row as written
     * @param file the image file, absolute and normalised
     * @param id the path as written, normalised, with {@code /} separators
     */
    private record Item(LabelRow row, Path file, String id) {
    }

    private FolderDataset(String name, Path labelsFile, List<Item> items, ImageSpec spec, boolean convertChannels) {
        this.name = name;
        this.labelsFile = labelsFile;
        this.items = List.copyOf(items);
        this.spec = spec;
        this.convertChannels = convertChannels;
        Set<String> keys = new TreeSet<>();
        items.forEach(it -> keys.addAll(it.row().labels().keySet()));
        this.labelNames = List.copyOf(keys);
    }

    /**
     * Opens a folder with {@code labels.csv} or {@code labels.jsonl}; unlabelled images are errors.
     *
     * @param dir the folder
     * @param expectedOrNull the image shape wanted (channels are converted, sizes must match), or
     *     null to take the shape of the first image and require it of all
     * @return the data set
     */
    public static FolderDataset open(Path dir, ImageSpec expectedOrNull) {
        return open(dir, null, expectedOrNull, Unlabelled.REJECT);
    }

    /**
     * Opens a folder with a given labels file; unlabelled images are errors.
     *
     * @param dir the folder whose image files must all be labelled
     * @param labelsFile a {@code .csv} or {@code .jsonl} file; image paths are relative to its folder
     * @param expectedOrNull the image shape wanted, or null to take the first image's
     * @return the data set
     */
    public static FolderDataset open(Path dir, Path labelsFile, ImageSpec expectedOrNull) {
        return open(dir, labelsFile, expectedOrNull, Unlabelled.REJECT);
    }

    /**
     * Opens a folder of images with a labels file.
     *
     * <p><b>CSV</b> ({@code .csv}): RFC 4180, UTF-8; a header row; the image path in the column
     * {@code file} (else {@code image}, else {@code filename}); captions in a column
     * {@code captions}, separated by {@code |}; all other columns are labels.
     *
     * <p><b>JSON lines</b> ({@code .jsonl}): one object per line with {@code "file"}, optional
     * {@code "captions"} (an array of strings), and labels as the other keys; nested objects are
     * flattened with dots and scalars become strings.
     *
     * <p>Image files are those ending in .png, .jpg or .jpeg (any case) in {@code dir} and its
     * subfolders, skipping names that start with a dot.
     *
     * @param dir the folder whose image files must all be labelled (unless {@code unlabelled} is
     *     {@link Unlabelled#IGNORE})
     * @param labelsFileOrNull the labels file, or null to look for {@link #LABEL_FILE_NAMES} in
     *     {@code dir}
     * @param expectedOrNull the image shape wanted (channels are converted, sizes must match), or
     *     null to take the shape of the first image and require it of all
     * @param unlabelled what to do with images no row names
     * @return the data set
     * @throws VcexException naming the folder, the labels file, the line and the value for every
     *     problem found at open time
     */
    public static FolderDataset open(Path dir, Path labelsFileOrNull, ImageSpec expectedOrNull,
            Unlabelled unlabelled) {
        Path folder = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new VcexException(Files.exists(folder) ? "Not a folder: " + folder
                    : "Data set folder not found: " + folder);
        }
        Path labels = labelsFileOrNull == null ? findLabelsFile(folder)
                : labelsFileOrNull.toAbsolutePath().normalize();
        List<Item> items = resolveImages(labels, readLabels(labels));
        if (unlabelled != Unlabelled.IGNORE) {
            checkAllLabelled(folder, labels, items);
        }
        String name = folder.getFileName() == null ? folder.toString() : folder.getFileName().toString();
        if (expectedOrNull != null) {
            return new FolderDataset(name, labels, items, expectedOrNull, true);
        }
        ImageData first = ImageFiles.read(items.get(0).file());
        ImageSpec spec = new ImageSpec(first.channels(), first.height(), first.width());
        return new FolderDataset(name, labels, items, spec, false);
    }

    private static Path findLabelsFile(Path folder) {
        List<Path> found = LABEL_FILE_NAMES.stream().map(folder::resolve).filter(Files::isRegularFile).toList();
        if (found.isEmpty()) {
            throw new VcexException("No labels file in " + folder + ": looked for "
                    + String.join(" and ", LABEL_FILE_NAMES));
        }
        if (found.size() > 1) {
            throw new VcexException("Folder " + folder + " has both " + String.join(" and ", LABEL_FILE_NAMES)
                    + "; keep one, or name the labels file to use");
        }
        return found.get(0);
    }

    private static List<LabelRow> readLabels(Path labels) {
        if (!Files.isRegularFile(labels)) {
            throw new VcexException("Labels file not found: " + labels);
        }
        String fileName = labels.getFileName().toString().toLowerCase(Locale.ROOT);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(labels))).toString();
        } catch (CharacterCodingException e) {
            throw new VcexException("Labels file " + labels + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new VcexException("Cannot read labels file " + labels + ": " + e.getMessage(), e);
        }
        List<LabelRow> rows;
        if (fileName.endsWith(".csv")) {
            rows = CsvLabels.parse(labels, text);
        } else if (fileName.endsWith(".jsonl")) {
            rows = JsonlLabels.parse(labels, text);
        } else {
            throw new VcexException("Labels file " + labels + " must end in .csv or .jsonl");
        }
        if (rows.isEmpty()) {
            throw new VcexException("Labels file " + labels + " names no images");
        }
        return rows;
    }

    private static List<Item> resolveImages(Path labels, List<LabelRow> rows) {
        Path base = labels.getParent();
        Map<Path, Integer> lineOf = new HashMap<>();
        List<Item> items = new ArrayList<>(rows.size());
        List<Item> missing = new ArrayList<>();
        for (LabelRow row : rows) {
            String where = labels + " line " + row.line();
            if (row.file().isEmpty()) {
                throw new VcexException(where + ": the image path is empty");
            }
            Path relative;
            try {
                relative = Path.of(row.file());
            } catch (InvalidPathException e) {
                throw new VcexException(where + ": '" + row.file() + "' is not a valid path", e);
            }
            if (relative.isAbsolute()) {
                throw new VcexException(where + ": image path '" + row.file()
                        + "' must be relative to the folder of the labels file, " + base);
            }
            Path file = base.resolve(relative).normalize();
            Integer earlier = lineOf.putIfAbsent(file, row.line());
            if (earlier != null) {
                throw new VcexException(where + ": image '" + row.file() + "' is already listed on line " + earlier);
            }
            Item item = new Item(row, file, slashes(relative.normalize()));
            if (!Files.isRegularFile(file)) {
                missing.add(item);
            }
            items.add(item);
        }
        if (!missing.isEmpty()) {
            Item first = missing.get(0);
            throw new VcexException(labels + " line " + first.row().line() + ": image '" + first.row().file()
                    + "' not found (looked for " + first.file() + ")" + (missing.size() > 1
                    ? "; " + missing.size() + " of " + rows.size() + " rows name missing images" : ""));
        }
        return items;
    }

    private static void checkAllLabelled(Path folder, Path labels, List<Item> items) {
        Set<Path> named = new HashSet<>();
        items.forEach(it -> named.add(it.file()));
        List<Path> unlabelled;
        try (Stream<Path> walk = Files.walk(folder)) {
            unlabelled = walk.filter(p -> isImageFile(folder, p) && !named.contains(p)).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new VcexException("Cannot list the files in " + folder + ": " + e.getMessage(), e);
        }
        if (!unlabelled.isEmpty()) {
            List<String> shown = unlabelled.stream().map(p -> slashes(folder.relativize(p))).toList();
            throw new VcexException("Folder " + folder + " has " + unlabelled.size() + " image file"
                    + (unlabelled.size() == 1 ? "" : "s") + " that " + labels.getFileName() + " does not name: "
                    + Datasets.listSome(shown, UNLABELLED_SHOWN)
                    + "; add rows for them, remove them, or allow unlabelled images");
        }
    }

    private static boolean isImageFile(Path folder, Path p) {
        for (Path part : folder.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT))
                && Files.isRegularFile(p);
    }

    private static String slashes(Path relative) {
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }

    /** @return the labels file this data set was read from */
    public Path labelsFile() {
        return labelsFile;
    }

    /**
     * @param index 0 to {@code size() - 1}
     * @return the image file of that item
     */
    public Path file(int index) {
        return items.get(Datasets.checkIndex(this, index)).file();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return items.size();
    }

    /**
     * Decodes the image. The item's id is its path as written in the labels file, normalised, with
     * {@code /} separators.
     */
    @Override
    public LabeledImage get(int index) {
        Item item = items.get(Datasets.checkIndex(this, index));
        return new LabeledImage(item.id(), decode(item), item.row().labels(), item.row().captions());
    }

    @Override
    public Map<String, String> labels(int index) {
        return items.get(Datasets.checkIndex(this, index)).row().labels();
    }

    @Override
    public ImageSpec imageSpec() {
        return spec;
    }

    @Override
    public List<String> labelNames() {
        return labelNames;
    }

    /**
     * Decodes every image once and stops at the first that cannot be read or has the wrong size
     * or channel count.
     *
     * @param progressOrNull where to report progress, or null for none
     * @throws VcexException naming the bad image file and the line of the labels file that names it
     */
    public void validate(Progress progressOrNull) {
        Progress progress = progressOrNull == null ? Progress.silent() : progressOrNull;
        try (Progress.Task task = progress.start("checking images of " + name, size())) {
            for (Item item : items) {
                decode(item);
                task.step();
            }
        }
    }

    private ImageData decode(Item item) {
        Path file = item.file();
        try {
            if (convertChannels) {
                return ImageFiles.read(file, spec.channels(), spec.height(), spec.width());
            }
            ImageData image = ImageFiles.read(file);
            if (image.channels() != spec.channels() || image.height() != spec.height()
                    || image.width() != spec.width()) {
                throw new VcexException("Image " + file + " is " + image.shapeString()
                        + " (channels x height x width) but the data set's images are " + spec
                        + ", the shape of the first image, " + items.get(0).id()
                        + "; give an expected image shape to convert channels");
            }
            return image;
        } catch (VcexException e) {
            throw new VcexException(e.getMessage() + " (named on line " + item.row().line() + " of "
                    + labelsFile + ")", e);
        }
    }
}
