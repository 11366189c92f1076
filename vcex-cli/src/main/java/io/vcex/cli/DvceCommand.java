package io.vcex.cli;

import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.core.diffusion.Denoiser;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageFiles;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.provenance.Provenance;
import io.vcex.methods.dvce.Dvce;
import io.vcex.methods.dvce.DvceConfig;
import io.vcex.methods.dvce.DvceResult;
import io.vcex.report.Charts;
import io.vcex.report.HtmlReport;
import io.vcex.report.Pictures;
import io.vcex.zoo.Zoo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vcex explain dvce}: diffusion visual counterfactual explanations. */
@Command(name = "dvce", mixinStandardHelpOptions = true,
        description = "Diffusion visual counterfactuals (Augustin et al. 2022): guided reverse diffusion from the noised image.")
final class DvceCommand implements Callable<Integer> {
    @Option(names = "--classifier", required = true, description = "The explained classifier: a zoo name or a model folder.")
    String classifier;

    @Option(names = "--images", required = true, arity = "1..*", description = "Image files or folders of images.")
    List<Path> images;

    @Option(names = "--target", defaultValue = "flip", description = "Target class name or index, or 'flip' for two-class classifiers (default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--robust", description = "Robust classifier for the cone projection (zoo name or folder), e.g. smile-robust; none by default.")
    String robust;

    @Option(names = "--diffusion", defaultValue = "diffusion", description = "Zoo diffusion model (default ${DEFAULT-VALUE}), or a folder with a vcex-model.json of a TorchScript denoiser.")
    String diffusion;

    @Option(names = "--cone-angle", description = "Cone angle alpha in degrees (default 30).")
    Double coneAngle;

    @Option(names = "--cone-variant", description = "paper (default) or code (the authors' code).")
    String coneVariant;

    @Option(names = "--mean-norm", description = "Scale of eq. 13: paper (||mu||, default) or code (||eps||).")
    String meanNorm;

    @Option(names = "--classifier-scale", description = "C_c (default 0.1).")
    Double classifierScale;

    @Option(names = "--distance-scale", description = "C_d (default 0.15).")
    Double distanceScale;

    @Option(names = "--distance", description = "l1 (default), l2, or lpips+l2.")
    String distance;

    @Option(names = "--guidance", description = "adaptive (DVCE, default) or blended (the baseline with fixed coefficients).")
    String guidance;

    @Option(names = "--augmentations", description = "Augmented copies per classifier gradient (default 16 with a cone, else 1).")
    Integer augmentations;

    @Option(names = "--steps", description = "Respaced schedule length (default 200).")
    Integer steps;

    @Option(names = "--reverse-steps", description = "Reverse steps run, i.e. the late start depth (default half of --steps).")
    Integer reverseSteps;

    @Option(names = "--batch", description = "Images per reverse-diffusion batch (default 6).")
    Integer batch;

    @Option(names = "--models", description = "Zoo models folder (default: models/ in the vcex home).")
    Path models;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}, the authors').")
    long seed;

    @Mixin
    CommonOptions common;

    /** The flat folder of counterfactuals, one ID.png per image, for vcex eval. */
    static final String COUNTERFACTUALS = "counterfactuals";

    DvceConfig config() {
        return new DvceConfig(steps, reverseSteps, classifierScale, distanceScale, distance, coneAngle, coneVariant, meanNorm,
                augmentations, null, guidance, null, batch);
    }

    @Override
    public Integer call() {
        DvceConfig config = config();
        List<Path> files = Models.imageFiles(images);
        try (VcexContext ctx = VcexContext.builder().seed(seed).optProgress(common.progress()).build()) {
            Zoo zoo = ZooCommand.zoo(models);
            WhiteBoxClassifier clf = Models.whiteBox(ctx, zoo, classifier);
            WhiteBoxClassifier rob = robust == null ? null : Models.whiteBox(ctx, zoo, robust);
            Denoiser denoiser = Models.denoiser(ctx, zoo, diffusion);
            ImageFeatures features = "lpips+l2".equals(config.distance()) ? zoo.features(ctx, "feature-net") : null;
            List<ImageData> originals = Models.read(files, clf.spec().input().channels());
            Dvce dvce;
            try {
                dvce = new Dvce(denoiser, clf, rob, features, config);
            } catch (io.vcex.core.VcexException e) {
                if (!e.getMessage().startsWith("The diffusion model")) {
                    throw e;
                }
                throw new io.vcex.core.VcexException(e.getMessage() + "; " + Models.diffusionChoices(), e);
            }
            long start = System.nanoTime();
            List<DvceResult> results = dvce.explain(ctx, originals, target);
            double seconds = (System.nanoTime() - start) / 1e9;
            List<ModelInfo> models = new ArrayList<>(List.of(clf.info(), denoiser.info()));
            if (dvce.usesCone()) {
                models.add(rob.info());
            }
            Provenance provenance = Provenance.ofModels("dvce", config, seed, models);
            write(files, results, clf, dvce, provenance, seconds);
        }
        return 0;
    }

    private void write(List<Path> files, List<DvceResult> results, WhiteBoxClassifier clf, Dvce dvce, Provenance provenance,
            double seconds) {
        List<String> names = clf.spec().classNames();
        HtmlReport page = new HtmlReport("DVCE: " + clf.spec().name());
        int flipped = 0;
        double confidence = 0;
        double l1 = 0;
        double l15 = 0;
        double l2 = 0;
        List<List<String>> rows = new ArrayList<>();
        List<Map<String, Object>> perImage = new ArrayList<>();
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            DvceResult r = results.get(i);
            String id = uniqueId(files, i);
            Path dir = out.resolve(id);
            ImageFiles.writePng(r.counterfactual(), dir.resolve("counterfactual.png"));
            // the same image in one flat folder, named as the original, so vcex eval can pair them by file name
            ImageFiles.writePng(r.counterfactual(), out.resolve(COUNTERFACTUALS).resolve(id + ".png"));
            ImageFiles.writePng(Pictures.difference(r.original(), r.counterfactual()), dir.resolve("difference.png"));
            ImageFiles.writePng(trajectory(r), dir.resolve("trajectory.png"));
            float pBefore = r.originalProbabilities()[r.targetClass()];
            float pAfter = r.counterfactualProbabilities()[r.targetClass()];
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("image", files.get(i).toString());
            json.put("source_class", names.get(r.sourceClass()));
            json.put("target_class", names.get(r.targetClass()));
            json.put("original_p_source", r.originalProbabilities()[r.sourceClass()]);
            json.put("original_p_target", pBefore);
            json.put("counterfactual_p_source", r.counterfactualProbabilities()[r.sourceClass()]);
            json.put("counterfactual_p_target", pAfter);
            json.put("flipped", r.flipped());
            json.put("l1", r.l1());
            json.put("l1.5", r.l15());
            json.put("l2", r.l2());
            json.put("target_probability_per_step", r.targetProbabilityPerStep());
            json.put("unguided_steps", r.unguidedSteps());
            json.put("seconds", r.seconds());
            json.put("provenance", provenance);
            Json.write(dir.resolve("result.json"), json);
            perImage.add(Map.of("id", id, "flipped", r.flipped(), "p_target", pAfter));
            flipped += r.flipped() ? 1 : 0;
            confidence += pAfter;
            l1 += r.l1();
            l15 += r.l15();
            l2 += r.l2();
            rows.add(List.of(id, names.get(r.sourceClass()) + " → " + names.get(r.targetClass()), fmt(pBefore), fmt(pAfter),
                    r.flipped() ? "yes" : "no", fmt(r.l1())));
            if (curves.size() < 8) {
                double[] p = new double[r.targetProbabilityPerStep().length];
                for (int k = 0; k < p.length; k++) {
                    p[k] = r.targetProbabilityPerStep()[k];
                }
                curves.put(id, Charts.indexed(p));
            }
        }
        int n = results.size();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("images", n);
        summary.put("flip_rate", (double) flipped / n);
        summary.put("mean_target_confidence", confidence / n);
        summary.put("mean_l1", l1 / n);
        summary.put("mean_l1.5", l15 / n);
        summary.put("mean_l2", l2 / n);
        summary.put("seconds", seconds);
        summary.put("images_per_second", n / seconds);
        summary.put("cone", dvce.usesCone());
        summary.put("per_image", perImage);
        summary.put("provenance", provenance);
        Json.write(out.resolve("summary.json"), summary);
        ImageFiles.writePng(overview(files, results), out.resolve("overview.png"));

        page.finding(String.format(Locale.ROOT, "%d of %d explanations flip %s (flip rate %.0f%%)", flipped, n,
                clf.spec().name(), 100.0 * flipped / n), String.format(Locale.ROOT,
                "mean target confidence %.2f; mean l1 %.1f over values in [0, 1]; %.2f s per image", confidence / n, l1 / n,
                seconds / n));
        page.section("Counterfactuals");
        for (int i = 0; i < Math.min(24, n); i++) {
            DvceResult r = results.get(i);
            page.figure(Pictures.panel(r.original(), r.counterfactual(), r.originalProbabilities()[r.targetClass()],
                    r.counterfactualProbabilities()[r.targetClass()]), uniqueId(files, i) + ": target "
                    + names.get(r.targetClass()) + " (probability before and after)");
        }
        page.chart(Charts.lines("Target probability along the reverse diffusion", "reverse step", "p(target)", curves),
                "p(target) of the denoised estimate f_dn(x_t) at every step");
        page.section("Trajectories");
        for (int i = 0; i < Math.min(6, n); i++) {
            page.figure(trajectory(results.get(i)), uniqueId(files, i) + ": x0 estimates (step: p(target))");
        }
        page.section("All images").table(List.of("image", "change", "p before", "p after", "flipped", "l1"), rows);
        page.provenance(summary);
        page.write(out.resolve("report.html"));
        common.out().printf(Locale.ROOT, "flip rate %.3f (%d/%d), mean target confidence %.3f, mean l1 %.2f, %.2f s/image%n",
                (double) flipped / n, flipped, n, confidence / n, l1 / n, seconds / n);
        common.out().println("wrote " + out.resolve("summary.json") + " and " + out.resolve("report.html"));
    }

    /**
     * Every explanation at a glance, two to a row: original, counterfactual and difference map,
     * captioned with p(target) before and after (the first 48 images).
     */
    private static java.awt.image.BufferedImage overview(List<Path> files, List<DvceResult> results) {
        List<ImageData> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        int n = Math.min(48, results.size());
        for (int i = 0; i < n; i++) {
            DvceResult r = results.get(i);
            tiles.add(r.original());
            tiles.add(r.counterfactual());
            tiles.add(Pictures.difference(r.original(), r.counterfactual()));
            captions.add(String.format(Locale.ROOT, "%s p=%.2f", uniqueId(files, i), r.originalProbabilities()[r.targetClass()]));
            captions.add(String.format(Locale.ROOT, "p=%.2f%s", r.counterfactualProbabilities()[r.targetClass()],
                    r.flipped() ? " flip" : ""));
            captions.add("difference");
        }
        int side = results.get(0).original().height();
        return new io.vcex.core.image.ImageGrid(6, Math.max(1, 96 / side), 4, 1).render(tiles, captions);
    }

    /** The x0 estimates of a trajectory in a row, each captioned "step: p=target probability". */
    private static java.awt.image.BufferedImage trajectory(DvceResult r) {
        List<ImageData> frames = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (DvceResult.Frame f : r.trajectory()) {
            frames.add(f.image());
            captions.add(String.format(Locale.ROOT, "%d: p=%.2f", f.step(), f.targetProbability()));
        }
        return Pictures.strip(frames, captions);
    }

    private static String uniqueId(List<Path> files, int i) {
        String stem = Models.stem(files.get(i));
        for (int j = 0; j < files.size(); j++) {
            if (j != i && Models.stem(files.get(j)).equals(stem)) {
                return String.format(Locale.ROOT, "%03d-%s", i, stem);
            }
        }
        return stem;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

}
