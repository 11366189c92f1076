package io.vcex.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.config.Json;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.generator.StyleGenerator;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageFiles;
import io.vcex.core.image.ImageGrid;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import io.vcex.core.provenance.Hashing;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.provenance.Provenance;
import io.vcex.core.text.TextImageEncoder;
import io.vcex.data.world.FacesWorld;
import io.vcex.data.world.WorldConfig;
import io.vcex.methods.cfclip.CfClipConfig;
import io.vcex.methods.cfclip.CfClipMapper;
import io.vcex.methods.cfclip.CfClipTrainer;
import io.vcex.methods.cfclip.LatentPool;
import io.vcex.methods.cfclip.PromptEmbeddings;
import io.vcex.methods.cfclip.TrainingReport;
import io.vcex.zoo.Zoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vcex edit cfclip train|apply}: CF-CLIP text-driven counterfactual manipulation (Yu et al. 2022). */
@Command(name = "cfclip", mixinStandardHelpOptions = true,
        description = "CF-CLIP (Yu et al. 2022): train a latent mapper for a target text, then apply it to images.",
        subcommands = {CfClipCommand.Train.class, CfClipCommand.Apply.class})
final class CfClipCommand implements Runnable {
    /** World seed of the faces whose codes a mapper trains on, apart from every zoo and bench seed. */
    static final long TRAIN_FACES_SEED = 2024;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * @param ctx scopes and progress
     * @param generator the style generator
     * @param kind "encoded" (in-prior faces inverted by the generator's encoder, as the paper trains on
     *     inverted CelebA-HQ faces) or "sampled" (codes from the generator's prior)
     * @param count how many codes
     * @param truncation psi for sampled codes
     * @param seed the run's seed (sampled codes)
     * @return the pool
     */
    static LatentPool latents(VcexContext ctx, StyleGenerator generator, String kind, int count, float truncation, long seed) {
        if (count < 1) {
            throw new VcexException("--pool must be at least 1, got " + count);
        }
        return switch (kind) {
            case "encoded" -> LatentPool.encode(ctx, generator, faces(generator.imageSpec(), TRAIN_FACES_SEED, 0, count), 32,
                    "in-prior faces-world faces, world seed " + TRAIN_FACES_SEED + ", indices 0-" + (count - 1));
            case "sampled" -> LatentPool.sample(ctx, generator, count, truncation, new Rng(seed).derive("latents"));
            default -> throw new VcexException("--latents must be 'encoded' or 'sampled', got '" + kind + "'");
        };
    }

    /**
     * @param spec the size to render at
     * @param seed world seed
     * @param from first index
     * @param count how many
     * @return in-prior faces (the world the style generator is trained on)
     */
    static List<ImageData> faces(ImageSpec spec, long seed, int from, int count) {
        FacesWorld world = new FacesWorld(WorldConfig.inPrior(), seed);
        List<ImageData> out = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            out.add(world.render(world.attributes(i)).withChannels(spec.channels()).resize(spec.height(), spec.width()));
        }
        return out;
    }

    /**
     * @param clip the encoder
     * @param ctx scopes
     * @param images images
     * @param text a prompt
     * @return cosine similarity of each image to the prompt
     */
    static double[] similarity(VcexContext ctx, TextImageEncoder clip, List<ImageData> images, String text) {
        double[] out = new double[images.size()];
        ImageSpec spec = clip.imageSpec();
        for (int from = 0; from < images.size(); from += 32) {
            int to = Math.min(images.size(), from + 32);
            try (NDManager scope = ctx.newScope()) {
                List<ImageData> part = new ArrayList<>();
                for (ImageData im : images.subList(from, to)) {
                    part.add(im.withChannels(spec.channels()).resize(spec.height(), spec.width()));
                }
                NDArray e = clip.embedImage(ImageTensors.toBatch(scope, part, ValueRange.UNIT));
                NDArray t = clip.embedText(scope, List.of(text));
                NDArray cos = e.div(e.norm(new int[] {1}, true)).matMul(t.div(t.norm(new int[] {1}, true)).transpose());
                float[] v = cos.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    out[from + i] = v[i];
                }
            }
        }
        return out;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    /** Rows of (original, reconstruction, edited), captioned. */
    static java.awt.image.BufferedImage grid(List<String> names, List<CfClipMapper.Edit> edits, double[] before, double[] after) {
        List<ImageData> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < edits.size(); i++) {
            CfClipMapper.Edit e = edits.get(i);
            tiles.add(e.original());
            tiles.add(e.reconstruction());
            tiles.add(e.edited());
            captions.add(names.get(i));
            captions.add(before == null ? "G(E(x))" : String.format(Locale.ROOT, "G(E(x)) cos %.2f", before[i]));
            captions.add(after == null ? "edited" : String.format(Locale.ROOT, "edited cos %.2f", after[i]));
        }
        return new ImageGrid(3, 2, 4, 1).render(tiles, captions);
    }

    /** Refuses to write into a folder of someone else's files. */
    static void checkOut(Path out, String... markers) {
        if (!Files.isDirectory(out)) {
            return;
        }
        for (String m : markers) {
            if (Files.exists(out.resolve(m))) {
                return;
            }
        }
        try (Stream<Path> s = Files.list(out)) {
            if (s.findAny().isPresent()) {
                throw new VcexException("Output folder " + out + " is not empty and was not written by this command; choose "
                        + "another --out so nothing of yours is overwritten");
            }
        } catch (IOException e) {
            throw new VcexException("Cannot read " + out + ": " + e.getMessage(), e);
        }
    }

    /** {@code vcex edit cfclip train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a CF-CLIP mapper for one target text on codes of in-prior faces; checkpoints and resumes.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--text", required = true, description = "Target text, over the text encoder's vocabulary, e.g. \"a face with green lipstick\".")
        String text;

        @Option(names = "--out", required = true, description = "Output folder: the mapper, its checkpoint, a preview and summary.json.")
        Path out;

        @Option(names = "--loss", description = "CLIP loss: nce (CF-CLIP, default), global (StyleCLIP, eq. 1) or directional (StyleGAN-NADA, eq. 2).")
        String loss;

        @Option(names = "--no-tem", description = "Without the text embedding mapping (the ablation's 'w/o TEM': StyleCLIP's mapper).")
        boolean noTem;

        @Option(names = "--steps", description = "Training iterations (default the paper's 50,000; a run resumes from its checkpoint).")
        Integer steps;

        @Option(names = "--batch", description = "Codes per step (default 2).")
        Integer batch;

        @Option(names = "--lr", description = "Adam's learning rate (default 0.5).")
        Double learningRate;

        @Option(names = "--views", description = "Random perspective views per edited image (default 8).")
        Integer views;

        @Option(names = "--source-text", description = "The neutral source text t_src (default \"a face\").")
        String sourceText;

        @Option(names = "--non-facial", description = "The paper's non-facial setting: perceptual loss instead of the identity loss.")
        boolean nonFacial;

        @Option(names = "--generator", defaultValue = "stylegen", description = "Zoo style generator (default ${DEFAULT-VALUE}).")
        String generator;

        @Option(names = "--clip", defaultValue = "miniclip", description = "Zoo text-image encoder (default ${DEFAULT-VALUE}).")
        String clip;

        @Option(names = "--features", defaultValue = "feature-net", description = "Zoo feature network of the identity/perceptual loss (default ${DEFAULT-VALUE}).")
        String features;

        @Option(names = "--latents", defaultValue = "encoded", description = "Training codes: encoded (in-prior faces through the generator's encoder, default) or sampled.")
        String latents;

        @Option(names = "--pool", defaultValue = "256", description = "How many training codes (default ${DEFAULT-VALUE}).")
        int pool;

        @Option(names = "--truncation", defaultValue = "0.7", description = "Truncation of sampled codes (default ${DEFAULT-VALUE}).")
        float truncation;

        @Option(names = "--preview", defaultValue = "8", description = "Training faces shown before and after in preview.png (default ${DEFAULT-VALUE}).")
        int preview;

        @Option(names = "--models", description = "Zoo models folder (default: models/ in the vcex home).")
        Path models;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Mixin
        CommonOptions common;

        CfClipConfig config() {
            return new CfClipConfig(loss, noTem ? Boolean.FALSE : null, nonFacial ? Boolean.FALSE : null, null, null, null, null, null,
                    views, null, sourceText, null, learningRate, batch, steps, null, null, null, null, null);
        }

        @Override
        public Integer call() {
            CfClipConfig config = config();
            checkOut(out, CfClipMapper.CARD, "checkpoint");
            try (VcexContext ctx = VcexContext.builder().seed(seed).optProgress(common.progress()).build()) {
                Zoo zoo = ZooCommand.zoo(models);
                TextImageEncoder encoder = zoo.textImageEncoder(ctx, clip);
                try (NDManager scope = ctx.newScope()) {
                    // the text is checked against the encoder's vocabulary before anything slow
                    PromptEmbeddings.embed(scope, encoder, text, config.sourceText(), config.templates());
                }
                ImageFeatures feats = config.idWeight() > 0 || config.perceptualWeight() > 0 ? zoo.features(ctx, features) : null;
                StyleGenerator g = zoo.styleGenerator(ctx, generator);
                LatentPool codes = latents(ctx, g, latents, pool, truncation, seed);
                CfClipTrainer trainer = new CfClipTrainer(g, encoder, feats, config);
                try (CfClipMapper mapper = trainer.train(ctx, text, codes, out.resolve("checkpoint"))) {
                    mapper.save(out);
                    write(ctx, g, encoder, mapper, codes, config);
                }
            }
            return 0;
        }

        private void write(VcexContext ctx, StyleGenerator g, TextImageEncoder encoder, CfClipMapper mapper, LatentPool codes,
                CfClipConfig config) {
            int n = Math.min(preview, codes.size());
            List<ImageData> before = new ArrayList<>();
            List<ImageData> after = new ArrayList<>();
            float[] change = new float[n];
            if (n > 0) {
                try (NDManager scope = ctx.newScope()) {
                    int[] rows = new int[n];
                    for (int i = 0; i < n; i++) {
                        rows[i] = i;
                    }
                    NDArray w = codes.batch(scope, rows);
                    NDArray edited = mapper.edit(w);
                    before.addAll(ImageTensors.fromBatch(g.synthesize(g.styles(w)).clip(0f, 1f), ValueRange.UNIT));
                    after.addAll(ImageTensors.fromBatch(g.synthesize(g.styles(edited)).clip(0f, 1f), ValueRange.UNIT));
                    change = edited.sub(w).square().reshape(n, -1).mean(new int[] {1}).sqrt().toFloatArray();
                }
            }
            double[] simBefore = similarity(ctx, encoder, before, mapper.targetText());
            double[] simAfter = similarity(ctx, encoder, after, mapper.targetText());
            if (n > 0) {
                List<ImageData> tiles = new ArrayList<>();
                List<String> captions = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    tiles.add(before.get(i));
                    tiles.add(after.get(i));
                    captions.add(String.format(Locale.ROOT, "G(w) cos %.2f", simBefore[i]));
                    captions.add(String.format(Locale.ROOT, "G(w') cos %.2f", simAfter[i]));
                }
                ImageFiles.writePng(new ImageGrid(2, 2, 4, 1).render(tiles, captions), out.resolve("preview.png"));
            }
            TrainingReport r = mapper.card().training();
            double rms = 0;
            for (float c : change) {
                rms += c / Math.max(1, n);
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("text", mapper.targetText());
            summary.put("loss", config.loss());
            summary.put("tem", config.tem());
            summary.put("steps", r.steps());
            summary.put("resumed_from", r.resumedFrom());
            summary.put("training_seconds", r.seconds());
            summary.put("seconds_per_step", r.seconds() / r.steps()); // seconds are summed over resumed sessions
            summary.put("skipped_steps", r.skippedSteps());
            summary.put("final_losses", r.losses());
            summary.put("parameters", mapper.parameterCount());
            summary.put("preview_faces", n);
            summary.put("preview_clip_similarity_before", mean(simBefore));
            summary.put("preview_clip_similarity_after", mean(simAfter));
            summary.put("preview_latent_change_rms", rms);
            summary.put("latents", codes.origin());
            summary.put("provenance", mapper.card().provenance());
            Json.write(out.resolve("summary.json"), summary);
            common.out().printf(Locale.ROOT, "'%s': %d steps in %.0f s (%.2f s/step); %s similarity to the text %.3f -> %.3f on %d "
                    + "training faces; latent change rms %.3f%n", mapper.targetText(), r.steps(), r.seconds(),
                    r.seconds() / r.steps(), encoder.info().name(), mean(simBefore), mean(simAfter), n,
                    rms);
            common.out().println("wrote " + out.resolve(CfClipMapper.CARD) + ", " + CfClipMapper.PARAMS + ", preview.png and "
                    + "summary.json");
        }
    }

    /** {@code vcex edit cfclip apply}. */
    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Apply a trained CF-CLIP mapper to images: encode with the generator's encoder, edit in one forward pass, render.")
    static final class Apply implements Callable<Integer> {
        @Option(names = "--mapper", required = true, description = "A folder written by 'edit cfclip train'.")
        Path mapperDir;

        @Option(names = "--images", required = true, arity = "1..*", description = "Image files or folders of images.")
        List<Path> images;

        @Option(names = "--out", required = true, description = "Output folder: edited images, grid.png, summary.json.")
        Path out;

        @Option(names = "--generator", description = "Zoo style generator (default: the one the mapper was trained with).")
        String generator;

        @Option(names = "--clip", description = "Zoo text-image encoder that scores the edits (default: the mapper's; 'none' to skip).")
        String clip;

        @Option(names = "--batch", defaultValue = "16", description = "Images per pass (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--models", description = "Zoo models folder (default: models/ in the vcex home).")
        Path models;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            if (batch < 1) {
                throw new VcexException("--batch must be at least 1, got " + batch);
            }
            List<Path> files = Models.imageFiles(images);
            checkOut(out, "summary.json");
            try (VcexContext ctx = VcexContext.builder().optProgress(common.progress()).build();
                    CfClipMapper mapper = CfClipMapper.load(ctx.manager(), mapperDir)) {
                Zoo zoo = ZooCommand.zoo(models);
                StyleGenerator g = zoo.styleGenerator(ctx, generator != null ? generator : mapper.card().generator().name());
                String clipName = clip != null ? clip : mapper.card().textImageEncoder().name();
                TextImageEncoder encoder = "none".equals(clipName) ? null : zoo.textImageEncoder(ctx, clipName);
                ImageSpec spec = g.imageSpec();
                List<ImageData> inputs = new ArrayList<>();
                List<String> resized = new ArrayList<>();
                for (Path f : files) {
                    ImageData im = ImageFiles.read(f).withChannels(spec.channels());
                    if (im.height() != spec.height() || im.width() != spec.width()) {
                        resized.add(f + " (" + im.height() + "x" + im.width() + ")");
                        im = im.resize(spec.height(), spec.width());
                    }
                    inputs.add(im);
                }
                long start = System.nanoTime();
                List<CfClipMapper.Edit> edits = mapper.apply(ctx, g, inputs, batch);
                double seconds = (System.nanoTime() - start) / 1e9;
                double[] before = null;
                double[] after = null;
                if (encoder != null) {
                    before = similarity(ctx, encoder, edits.stream().map(CfClipMapper.Edit::reconstruction).toList(),
                            mapper.targetText());
                    after = similarity(ctx, encoder, edits.stream().map(CfClipMapper.Edit::edited).toList(), mapper.targetText());
                }
                List<String> names = new ArrayList<>();
                List<Map<String, Object>> perImage = new ArrayList<>();
                for (int i = 0; i < files.size(); i++) {
                    String name = Models.stem(files.get(i));
                    String id = names.contains(name) ? String.format(Locale.ROOT, "%03d-%s", i, name) : name;
                    names.add(id);
                    CfClipMapper.Edit e = edits.get(i);
                    ImageFiles.writePng(e.edited(), out.resolve("edited").resolve(id + ".png"));
                    ImageFiles.writePng(e.reconstruction(), out.resolve("reconstructed").resolve(id + ".png"));
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("image", files.get(i).toString());
                    row.put("edited", "edited/" + id + ".png");
                    row.put("latent_change_rms", e.latentChange());
                    row.put("mean_abs_pixel_change", meanAbs(e.reconstruction(), e.edited()));
                    row.put("reconstruction_l1", meanAbs(e.original(), e.reconstruction()));
                    if (before != null) {
                        row.put("clip_similarity_reconstruction", before[i]);
                        row.put("clip_similarity_edited", after[i]);
                    }
                    perImage.add(row);
                }
                ImageFiles.writePng(grid(names, edits, before, after), out.resolve("grid.png"));
                List<ModelInfo> used = new ArrayList<>(List.of(g.info()));
                if (encoder != null) {
                    used.add(encoder.info());
                }
                Map<String, Object> applied = new LinkedHashMap<>();
                applied.put("mapper", mapperDir.toString());
                applied.put("mapper_sha256", Hashing.sha256(mapperDir.resolve(CfClipMapper.PARAMS)));
                applied.put("text", mapper.targetText());
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("text", mapper.targetText());
                summary.put("images", files.size());
                summary.put("resized", resized);
                summary.put("seconds", seconds);
                summary.put("mean_latent_change_rms", edits.stream().mapToDouble(CfClipMapper.Edit::latentChange).average().orElse(0));
                if (before != null) {
                    summary.put("mean_clip_similarity_reconstruction", mean(before));
                    summary.put("mean_clip_similarity_edited", mean(after));
                }
                summary.put("per_image", perImage);
                summary.put("mapper_training", mapper.card().provenance());
                summary.put("provenance", Provenance.ofModels("cfclip.apply", applied, 0, used));
                Json.write(out.resolve("summary.json"), summary);
                common.out().printf(Locale.ROOT, "edited %d image(s) towards '%s' in %.2f s%s%n", files.size(), mapper.targetText(),
                        seconds, before == null ? "" : String.format(Locale.ROOT, "; %s similarity %.3f -> %.3f",
                                encoder.info().name(), mean(before), mean(after)));
                common.out().println("wrote " + out.resolve("edited") + ", grid.png and summary.json");
            }
            return 0;
        }

        private static double meanAbs(ImageData a, ImageData b) {
            double s = 0;
            for (int i = 0; i < a.pixels().length; i++) {
                s += Math.abs(a.pixels()[i] - b.pixels()[i]);
            }
            return s / a.pixels().length;
        }
    }
}
