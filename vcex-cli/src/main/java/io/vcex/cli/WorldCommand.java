package io.vcex.cli;

import io.vcex.core.config.Json;
import io.vcex.core.files.AtomicFiles;
import io.vcex.core.provenance.Provenance;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageFiles;
import io.vcex.core.image.ImageGrid;
import io.vcex.data.world.FaceAttributes;
import io.vcex.data.world.FacesWorld;
import io.vcex.data.world.WorldConfig;
import io.vcex.data.world.WorldDatasetConfig;
import io.vcex.data.world.WorldExport;
import io.vcex.data.world.WorldSample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vcex world ...}: the procedural faces world. */
@Command(name = "world", mixinStandardHelpOptions = true, description = "The built-in faces world: render faces with ground-truth attributes.",
        subcommands = {WorldCommand.Render.class, WorldCommand.Dataset.class, WorldCommand.Grid.class, WorldCommand.Pairs.class})
final class WorldCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code vcex world render}. */
    @Command(name = "render", mixinStandardHelpOptions = true, description = "Render N faces as PNGs with a labels file (attributes, captions, split).")
    static final class Render implements Callable<Integer> {
        @Option(names = "--seed", defaultValue = "1", description = "World seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--count", defaultValue = "16", description = "How many faces (default ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--out", required = true, description = "Output folder (replaced if it is an earlier export).")
        Path out;

        @Option(names = "--world", defaultValue = "in-prior", converter = WorldPreset.Converter.class,
                description = "in-prior, full (with counterfactual colours) or smile-biased (default ${DEFAULT-VALUE}).")
        WorldPreset world;

        @Option(names = "--size", description = "Image size in pixels (default 64).")
        Integer size;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            WorldConfig config = world.config();
            if (size != null) {
                config = config.withSize(size);
            }
            int n = WorldExport.export(new WorldDatasetConfig(seed, count, config), out, common.progress());
            common.out().println("wrote " + n + " faces and " + WorldExport.LABELS + " to " + out);
            return 0;
        }
    }

    /** {@code vcex world dataset}. */
    @Command(name = "dataset", mixinStandardHelpOptions = true, description = "Export a data set described by a JSON config (seed, count, world distribution).")
    static final class Dataset implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "JSON file: {\"seed\": 1, \"count\": 1000, \"world\": {...}}.")
        Path config;

        @Option(names = "--out", required = true, description = "Output folder (replaced if it is an earlier export).")
        Path out;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            WorldDatasetConfig c = Json.read(config, WorldDatasetConfig.class);
            int n = WorldExport.export(c, out, common.progress());
            common.out().println("wrote " + n + " faces and " + WorldExport.LABELS + " to " + out);
            return 0;
        }
    }

    /** {@code vcex world grid}. */
    @Command(name = "grid", mixinStandardHelpOptions = true, description = "Render a labelled sample grid of faces as one PNG.")
    static final class Grid implements Callable<Integer> {
        @Option(names = "--seed", defaultValue = "1", description = "World seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--count", defaultValue = "24", description = "How many faces (default ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--world", defaultValue = "full", converter = WorldPreset.Converter.class,
                description = "in-prior, full or smile-biased (default ${DEFAULT-VALUE}).")
        WorldPreset world;

        @Option(names = "--out", required = true, description = "The PNG to write.")
        Path out;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            writeGrid(new FacesWorld(world.config(), seed), count, out);
            common.out().println("wrote " + out);
            return 0;
        }
    }

    /** {@code vcex world pairs}. */
    @Command(name = "pairs", mixinStandardHelpOptions = true,
            description = "Render faces and their true counterfactuals (one attribute changed) as originals/ and counterfactuals/.")
    static final class Pairs implements Callable<Integer> {
        @Option(names = "--attribute", required = true, description = "The attribute to change, e.g. smiling, eyeglasses, hair_color.")
        String attribute;

        @Option(names = "--value", defaultValue = "flip",
                description = "New value: 'flip' for binary attributes, or a value such as true, green (default ${DEFAULT-VALUE}).")
        String value;

        @Option(names = "--seed", defaultValue = "1", description = "World seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--count", defaultValue = "16", description = "How many pairs (default ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--world", defaultValue = "in-prior", converter = WorldPreset.Converter.class,
                description = "in-prior, full or smile-biased (default ${DEFAULT-VALUE}).")
        WorldPreset world;

        @Option(names = "--out", required = true, description = "Output folder (gets originals/ and counterfactuals/).")
        Path out;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            FacesWorld w = new FacesWorld(world.config(), seed);
            AtomicFiles.replaceDirectory(out, "pairs.json", tmp -> {
                try (var task = common.progress().start("rendering pairs", count)) {
                    for (int i = 0; i < count; i++) {
                        FaceAttributes a = w.attributes(i);
                        String v = value.equals("flip") ? Boolean.toString(!a.flag(attribute)) : value;
                        String file = String.format(java.util.Locale.ROOT, "%05d.png", i);
                        ImageFiles.writePng(w.render(a), tmp.resolve("originals").resolve(file));
                        ImageFiles.writePng(w.render(a.with(attribute, v)), tmp.resolve("counterfactuals").resolve(file));
                        task.step();
                    }
                }
                Map<String, Object> config = new java.util.LinkedHashMap<>();
                config.put("attribute", attribute);
                config.put("value", value);
                config.put("count", count);
                config.put("world", world.config());
                Json.write(tmp.resolve("pairs.json"), Provenance.of("world.pairs", config, seed));
            });
            common.out().println("wrote " + count + " true counterfactual pairs to " + out);
            return 0;
        }
    }

    /**
     * Renders faces 0..count-1 with their attributes written under each.
     *
     * @param world the world
     * @param count how many
     * @param out the PNG
     */
    static void writeGrid(FacesWorld world, int count, Path out) {
        List<ImageData> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            WorldSample s = world.sample(i);
            images.add(s.image());
            captions.add(describe(s.attributes()));
        }
        ImageFiles.writePng(new ImageGrid(Math.min(8, count), 2, 6, 3).render(images, captions), out);
    }

    /**
     * @param a a face
     * @return three short lines naming what is present
     */
    static String describe(FaceAttributes a) {
        Map<String, String> l = a.labels();
        List<String> present = new ArrayList<>();
        for (String b : FaceAttributes.BINARY) {
            if (a.flag(b) && !b.equals("lipstick")) {
                present.add(b.equals("eyeglasses") ? "glasses" : b);
            }
        }
        String line1 = present.isEmpty() ? "-" : String.join(" ", present.subList(0, Math.min(3, present.size())));
        String line2 = present.size() > 3 ? String.join(" ", present.subList(3, present.size())) : "";
        String line3 = l.get("hair_color") + " hair" + (a.lipstick() != null ? ", " + l.get("lipstick_color") + " lips" : "");
        return line1 + "\n" + line2 + "\n" + line3;
    }
}
