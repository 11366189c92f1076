package io.vcex.data.world;

import io.vcex.core.VcexException;
import io.vcex.core.config.Json;
import io.vcex.core.context.Progress;
import io.vcex.core.image.ImageFiles;
import io.vcex.core.provenance.Provenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Exports faces as a folder a user (or {@code FolderDataset}) can read: one PNG per face
 * ({@code 00000.png}, ...), {@code labels.jsonl} (one line per face: file, split, every
 * attribute, captions) and {@code world.json} (the config and its provenance).
 *
 * <p>The export is atomic: everything is written into a hidden sibling folder that replaces the
 * target in one rename at the end, so an interrupted export never leaves a half-written data set.
 * An existing target is replaced only if it is an earlier world export (it has a
 * {@code world.json}) or empty; any other folder is an error, so user files are never lost.
 * The same config and seed give byte-identical files.
 */
public final class WorldExport {
    /** The labels file's name. */
    public static final String LABELS = "labels.jsonl";
    /** The config and provenance file's name. */
    public static final String MANIFEST = "world.json";

    private WorldExport() {
    }

    /**
     * @param config seed, count, distribution
     * @param out target folder
     * @param progress where progress goes
     * @return the number of faces written
     */
    public static int export(WorldDatasetConfig config, Path out, Progress progress) {
        Path target = out.toAbsolutePath().normalize();
        checkReplaceable(target);
        FacesWorld world = new FacesWorld(config.world(), config.seed());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".partial");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            int digits = Math.max(5, Integer.toString(config.count() - 1).length());
            StringBuilder labels = new StringBuilder();
            try (Progress.Task task = progress.start("rendering faces", config.count())) {
                for (int i = 0; i < config.count(); i++) {
                    WorldSample s = world.sample(i);
                    String file = String.format(Locale.ROOT, "%0" + digits + "d.png", i);
                    ImageFiles.writePng(s.image(), tmp.resolve(file));
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("file", file);
                    row.put("index", i);
                    row.put("split", s.split());
                    row.putAll(s.attributes().labels());
                    row.put("captions", s.captions());
                    labels.append(Json.writeLine(row)).append('\n');
                    task.step();
                }
            }
            Json.writeString(tmp.resolve(LABELS), labels.toString());
            Json.write(tmp.resolve(MANIFEST), Provenance.of("world.dataset", config, config.seed()));
            Path old = target.resolveSibling("." + target.getFileName() + ".old");
            deleteTree(old);
            if (Files.exists(target)) {
                Files.move(target, old);
            }
            Files.move(tmp, target);
            deleteTree(old);
            return config.count();
        } catch (IOException e) {
            throw new VcexException("Cannot write the data set to " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                deleteTree(tmp);
            } catch (IOException e) {
                // best effort: a leftover hidden .partial folder is replaced by the next export
            }
        }
    }

    private static void checkReplaceable(Path target) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new VcexException("Output " + target + " exists and is a file, not a folder");
        }
        if (Files.exists(target.resolve(MANIFEST))) {
            return;
        }
        try (Stream<Path> s = Files.list(target)) {
            if (s.findAny().isPresent()) {
                throw new VcexException("Output folder " + target + " is not empty and is not an earlier world export "
                        + "(it has no " + MANIFEST + "); choose another --out so nothing of yours is overwritten");
            }
        } catch (IOException e) {
            throw new VcexException("Cannot read output folder " + target + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
