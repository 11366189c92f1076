package io.vcex.data.world;

import io.vcex.core.config.Json;
import io.vcex.core.files.AtomicFiles;
import io.vcex.core.context.Progress;
import io.vcex.core.image.ImageFiles;
import io.vcex.core.provenance.Provenance;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
        FacesWorld world = new FacesWorld(config.world(), config.seed());
        AtomicFiles.replaceDirectory(out, MANIFEST, tmp -> {
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
        });
        return config.count();
    }
}
