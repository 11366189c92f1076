package io.vcex.cli;

import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.core.provenance.Provenance;
import io.vcex.methods.zoom.Attribute;
import io.vcex.methods.zoom.AttributePrompts;
import io.vcex.methods.zoom.EditDirection;
import io.vcex.methods.zoom.PromptStability;
import io.vcex.methods.zoom.Traversal;
import io.vcex.methods.zoom.Zoom;
import io.vcex.methods.zoom.ZoomConfig;
import io.vcex.methods.zoom.ZoomResult;
import io.vcex.report.Charts;
import io.vcex.report.HtmlReport;
import java.awt.image.BufferedImage;
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

/** {@code vcex diagnose zoom}: ZOOM's sensitivity histogram of a classifier over attributes named in text. */
@Command(name = "zoom", mixinStandardHelpOptions = true,
        description = "ZOOM (Luo et al. 2023): how sensitive a classifier is to attributes named in text, from counterfactuals "
                + "a style generator makes along text-defined directions (no labelled data needed).")
final class ZoomCommand implements Callable<Integer> {
    @Option(names = "--classifier", required = true, description = "The diagnosed classifier: a zoo name or a model folder (white-box).")
    String classifier;

    @Option(names = "--attributes", defaultValue = ZoomBench.ATTRIBUTES, description = "Comma-separated attributes: short names "
            + "(eyeglasses, hat, mustache, old, blonde hair, ...), phrases (a face with a hat) or name=phrase (default: the "
            + "faces world's ${DEFAULT-VALUE}).")
    String attributes;

    @Option(names = "--samples", defaultValue = "100", description = "Generated images (authors: 1500; default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--traversals", defaultValue = "3", description = "Images per edit-weight traversal from -bound to bound "
            + "(0: none; default ${DEFAULT-VALUE}).")
    int traversals;

    @Option(names = "--stability", description = "Also run the three other phrasings of the attributes and report how stable "
            + "the histogram is (appendix A.3); four times the work.")
    boolean stability;

    @Mixin
    ZoomOptions zoom;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        ZoomOptions.samples(samples);
        List<Attribute> attrs = AttributePrompts.parseList(attributes, 0);
        ZoomConfig config = zoom.config(samples);
        try (VcexContext ctx = VcexContext.builder().seed(zoom.seed).optProgress(common.progress()).build()) {
            WhiteBoxClassifier clf = Models.whiteBox(ctx, zoom.zoo(), classifier);
            ZoomOptions.Loaded loaded = zoom.load(ctx);
            Zoom method = zoom.zoom(loaded, clf, config);
            List<EditDirection> dirs = method.directions(ctx, attrs);
            ZoomResult result = method.diagnose(ctx, dirs, null);
            ZoomResult multi = null;
            if (!config.multi() && attrs.size() > 1 && config.keepImages() > 0) {
                // the multi-attribute counterfactuals of the first images (Fig. 6), besides the single-attribute diagnosis
                int n = Math.min(config.keepImages(), Math.min(4, samples));
                multi = zoom.zoom(loaded, clf, config.withMulti(true).withSamples(n)).diagnose(ctx, dirs, null);
            }
            float b = config.bound().floatValue();
            List<Traversal> trav = traversals > 0 ? method.traverse(ctx, dirs, new float[] {-b, -b / 2, 0, b / 2, b}, traversals)
                    : List.of();
            PromptStability.Report stable = null;
            if (stability) {
                List<String> names = new ArrayList<>(List.of(phrases(attrs)));
                List<Map<String, Double>> sens = new ArrayList<>(List.of(result.sensitivities()));
                for (int v = 1; v < AttributePrompts.VARIANTS; v++) {
                    List<Attribute> reworded = AttributePrompts.parseList(attributes, v);
                    names.add(phrases(reworded));
                    sens.add(method.diagnose(ctx, reworded).sensitivities());
                }
                stable = PromptStability.compare(names, sens);
            }
            Provenance provenance = Provenance.ofModels("diagnose.zoom", config, zoom.seed,
                    List.of(loaded.generator().info(), clf.info(), loaded.encoder().info()));
            write(result, multi, trav, stable, loaded, provenance);
        }
        return 0;
    }

    private static String phrases(List<Attribute> attrs) {
        return String.join("; ", attrs.stream().map(Attribute::phrase).toList());
    }

    private void write(ZoomResult r, ZoomResult multi, List<Traversal> trav, PromptStability.Report stable,
            ZoomOptions.Loaded loaded, Provenance provenance) {
        Map<String, Object> summary = ZoomOutput.summary(r);
        Map<String, Object> rel = new LinkedHashMap<>();
        rel.put("file", loaded.relevanceFile().toString());
        rel.put("config", loaded.relevance().config());
        rel.put("channels", loaded.relevance().channels());
        rel.put("seconds", loaded.relevance().seconds());
        summary.put("relevance", rel);
        if (stable != null) {
            summary.put("stability", ZoomOutput.stability(stable));
        }
        summary.put("command", "./vcex diagnose zoom --classifier " + classifier + " --attributes \"" + attributes + "\" --samples "
                + samples + (r.multi() ? " --multi" : "") + (zoom.optimizer != null ? " --optimizer " + zoom.optimizer : ""));
        summary.put("provenance", provenance);
        Json.write(out.resolve("summary.json"), summary);
        ZoomOutput.writeAttributes(out, r);
        ZoomOutput.png(out.resolve("sensitivity.png"), ZoomOutput.histogram(r, "ZOOM sensitivity of " + r.classifier()));
        BufferedImage grid = ZoomOutput.counterfactualGrid(r);
        ZoomOutput.png(out.resolve("counterfactuals.png"), grid);
        BufferedImage multiGrid = multi == null ? null : ZoomOutput.counterfactualGrid(multi);
        ZoomOutput.png(out.resolve("multi.png"), multiGrid);
        List<BufferedImage> strips = new ArrayList<>();
        List<String> stripNames = new ArrayList<>();
        for (ZoomResult.Edit e : r.edits()) {
            if (!e.frames().isEmpty() && e.sample() < r.samples().get(0).index() + 2) {
                String name = e.attribute() < 0 ? "all" : r.attributes().get(e.attribute()).name();
                BufferedImage s = ZoomOutput.strip(r, e);
                ZoomOutput.png(out.resolve("strips").resolve(ZoomOutput.stem(name) + "-" + e.sample() + ".png"), s);
                strips.add(s);
                stripNames.add(name + ", image " + e.sample() + (e.flipped() ? " (flipped)" : ""));
            }
        }
        int focus = ZoomOutput.focus(r);
        List<BufferedImage> travPics = new ArrayList<>();
        for (Traversal t : trav) {
            BufferedImage p = ZoomOutput.traversal(t, r.classNames(), focus);
            ZoomOutput.png(out.resolve("traversals").resolve(ZoomOutput.stem(t.attribute().name()) + ".png"), p);
            travPics.add(p);
        }

        String top = r.ranking().get(0);
        ZoomResult.AttributeSummary best = r.summary(top);
        HtmlReport page = new HtmlReport("ZOOM: " + r.classifier());
        if (best.sensitivity() > 0) {
            page.finding(String.format(Locale.ROOT, "%s is most sensitive to %s (%.0f%% of the histogram)", r.classifier(), top,
                    100 * best.sensitivity()), String.format(Locale.ROOT, "ranking %s; edits along %s flip %.0f%% of %d images; "
                    + "overall flip rate %.0f%%, mean SSIM %.2f", r.ranking(), top, 100 * best.flipRate(), r.samples().size(),
                    100 * r.flipRate(), r.meanSsim()));
        } else {
            page.finding("No attribute edit changed " + r.classifier() + "'s probabilities", String.format(Locale.ROOT,
                    "%d images, %d iterations per edit; try more iterations or a larger bound", r.samples().size(),
                    r.edits().isEmpty() ? 0 : r.edits().get(0).lossPerIteration().length));
        }
        page.section("Sensitivity histogram");
        page.chart(Charts.bars("Sensitivity of " + r.classifier(), "share", r.sensitivities(), top),
                r.multi() ? "share of the summed |edit weight| per attribute (multi-attribute mode)"
                        : "per attribute, the sum over images of |p_final - p_initial|, normalised to sum 1 (appendix Fig. 4)");
        Map<String, Double> meanAbsW = new LinkedHashMap<>();
        r.summaries().forEach(a -> meanAbsW.put(a.name(), a.meanAbsWeight()));
        page.chart(Charts.bars("Mean |edit weight|", "|w|", meanAbsW, top), "the optimised weights' mean magnitude per attribute "
                + "(bound " + r.provenance().config().get("bound").asDouble() + "); their histograms are in attributes/NAME.json");
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> a : ZoomOutput.attributeRows(r)) {
            rows.add(List.of(String.valueOf(a.get("rank")), (String) a.get("attribute"), (String) a.get("phrase"),
                    ZoomOutput.fmt((Double) a.get("sensitivity")), ZoomOutput.fmt((Double) a.get("flip_rate")),
                    ZoomOutput.fmt((Double) a.get("mean_ssim")), ZoomOutput.fmt((Double) a.get("mean_weight")),
                    ZoomOutput.fmt((Double) a.get("mean_abs_weight")), String.valueOf(a.get("active_channels"))));
        }
        page.table(List.of("rank", "attribute", "phrase", "sensitivity", "flip rate", "SSIM", "mean w", "mean |w|", "channels"), rows);
        if (grid != null) {
            page.section("Counterfactuals").figure(grid, "original, then one counterfactual per attribute (* flipped); p of "
                    + r.classNames().get(focus));
        }
        if (multiGrid != null) {
            page.figure(multiGrid, "multi-attribute counterfactuals: every attribute's weight optimised at once (eq. 3)");
        }
        if (!strips.isEmpty()) {
            page.section("Progressive edits");
            for (int i = 0; i < Math.min(12, strips.size()); i++) {
                page.figure(strips.get(i), stripNames.get(i) + ": iteration: p(" + r.classNames().get(focus) + ")");
            }
        }
        if (!travPics.isEmpty()) {
            page.section("Traversals");
            for (int i = 0; i < travPics.size(); i++) {
                page.figure(travPics.get(i), trav.get(i).attribute().name() + " (\"" + trav.get(i).attribute().phrase()
                        + "\"): edit weight from -bound to bound");
            }
        }
        if (stable != null) {
            page.section("Stability across phrasings (appendix A.3)").paragraph(String.format(Locale.ROOT,
                    "mean rank correlation %.2f (lowest %.2f), largest difference of one attribute's share %.3f; most sensitive "
                            + "attribute per phrasing: %s", stable.meanSpearman(), stable.minSpearman(),
                    stable.maxAbsDifference(), stable.top()));
        }
        page.provenance(summary);
        page.write(out.resolve("report.html"));

        common.out().println("attribute sensitivities of " + r.classifier() + " (" + r.samples().size() + " images, "
                + (r.multi() ? "multi" : "single") + "):");
        for (String name : r.ranking()) {
            ZoomResult.AttributeSummary s = r.summary(name);
            common.out().printf(Locale.ROOT, "  %-16s %.3f  flip rate %.2f  SSIM %.3f  mean w %+.1f%n", name, s.sensitivity(),
                    s.flipRate(), s.meanSsim(), s.meanWeight());
        }
        common.out().printf(Locale.ROOT, "flip rate %.3f, mean SSIM %.3f, %.1f s%n", r.flipRate(), r.meanSsim(), r.seconds());
        if (stable != null) {
            common.out().printf(Locale.ROOT, "stability over %d phrasings: mean rank correlation %.2f, same most sensitive: %s%n",
                    stable.variants().size(), stable.meanSpearman(), stable.sameTop());
        }
        common.out().println("wrote " + out.resolve("summary.json") + ", sensitivity.png and report.html");
    }
}
