package io.vcex.cli;

import io.vcex.core.config.Json;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageFiles;
import io.vcex.core.image.ImageGrid;
import io.vcex.methods.zoom.PromptStability;
import io.vcex.methods.zoom.Traversal;
import io.vcex.methods.zoom.ZoomResult;
import io.vcex.report.Charts;
import io.vcex.report.Pictures;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The files and pictures of a ZOOM diagnosis, shared by {@code diagnose zoom}, {@code zoom-train} and the bench. */
final class ZoomOutput {

    private ZoomOutput() {
    }

    /**
     * @param attribute an attribute name
     * @return a file-name stem for it ("blonde hair" gives "blonde-hair")
     */
    static String stem(String attribute) {
        String s = attribute.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return s.isEmpty() ? "attribute" : s;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /**
     * @param r a diagnosis
     * @return per attribute its figures, in the order given
     */
    static List<Map<String, Object>> attributeRows(ZoomResult r) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<String> ranking = r.ranking();
        for (ZoomResult.AttributeSummary s : r.summaries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attribute", s.name());
            m.put("phrase", s.phrase());
            m.put("rank", ranking.indexOf(s.name()) + 1);
            m.put("sensitivity", s.sensitivity());
            m.put("weight_share", s.weightShare());
            m.put("flip_rate", s.flipRate());
            m.put("mean_ssim", s.meanSsim());
            m.put("mean_abs_delta_p", s.meanAbsDeltaP());
            m.put("mean_weight", s.meanWeight());
            m.put("mean_abs_weight", s.meanAbsWeight());
            m.put("active_channels", s.activeChannels());
            out.add(m);
        }
        return out;
    }

    /**
     * @param r a diagnosis
     * @return the summary's figures (without provenance and extras)
     */
    static Map<String, Object> summary(ZoomResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("classifier", r.classifier());
        m.put("classes", r.classNames());
        m.put("mode", r.multi() ? "multi" : "single");
        m.put("samples", r.samples().size());
        m.put("edits", r.edits().size());
        m.put("most_sensitive", r.ranking().get(0));
        m.put("ranking", r.ranking());
        m.put("flip_rate", r.flipRate());
        m.put("mean_ssim", r.meanSsim());
        m.put("class_prompts", r.classPhrases());
        long agree = r.samples().stream().filter(s -> s.clipChoice() == s.initialClass()).count();
        m.put("class_prompt_agreement", r.classPhrases().isEmpty() ? Double.NaN : agree / (double) r.samples().size());
        m.put("attributes", attributeRows(r));
        m.put("seconds", r.seconds());
        return m;
    }

    /**
     * Writes {@code attributes/NAME.json}: the summary, the weights' histogram and every edit.
     *
     * @param dir the output folder
     * @param r a diagnosis
     */
    static void writeAttributes(Path dir, ZoomResult r) {
        for (int a = 0; a < r.summaries().size(); a++) {
            ZoomResult.AttributeSummary s = r.summaries().get(a);
            Map<String, Object> m = new LinkedHashMap<>(attributeRows(r).get(a));
            m.put("weight_histogram", Map.of("bins", s.weightHistogram().length, "counts", s.weightHistogram()));
            m.put("weights", s.weights());
            m.put("delta_p", s.deltaP());
            List<Map<String, Object>> edits = new ArrayList<>();
            for (ZoomResult.Edit e : r.edits()) {
                if (e.attribute() == a || e.attribute() < 0) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("sample", e.sample());
                    row.put("weight", e.weights()[a]);
                    row.put("initial_class", r.classNames().get(e.initialClass()));
                    row.put("final_class", r.classNames().get(e.finalClass()));
                    row.put("p_initial", e.pInitial());
                    row.put("p_final", e.pFinal());
                    row.put("flipped", e.flipped());
                    row.put("ssim", e.ssim());
                    edits.add(row);
                }
            }
            m.put("edits", edits);
            Json.write(dir.resolve("attributes").resolve(stem(s.name()) + ".json"), m);
        }
    }

    /**
     * @param r a diagnosis
     * @param title the chart's title
     * @return the sensitivity histogram (appendix Fig. 4), the most sensitive attribute highlighted
     */
    static BufferedImage histogram(ZoomResult r, String title) {
        return Charts.barsImage(title, r.multi() ? "share of |w|" : "sensitivity (share of sum |delta p|)", r.sensitivities(),
                r.ranking().get(0));
    }

    /** The focus class's name of an edit's trajectory. */
    private static String focusName(ZoomResult r, ZoomResult.Edit e) {
        return r.classNames().get(e.focusClass());
    }

    /**
     * @param r a diagnosis with kept images
     * @return one row per kept image: the original, then its counterfactual for each attribute (or the
     *     multi-attribute one), each with p(focus class) and the weight; null when no image was kept
     */
    static BufferedImage counterfactualGrid(ZoomResult r) {
        List<ImageData> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        int columns = 1 + (r.multi() ? 1 : r.attributes().size());
        for (ZoomResult.Sample s : r.samples()) {
            if (s.image() == null) {
                continue;
            }
            List<ZoomResult.Edit> mine = r.edits().stream().filter(e -> e.sample() == s.index() && e.counterfactual() != null).toList();
            if (mine.isEmpty()) {
                continue;
            }
            ZoomResult.Edit first = mine.get(0);
            images.add(s.image());
            captions.add("original\np(" + focusName(r, first) + ")=" + String.format(Locale.ROOT, "%.2f",
                    first.focusPerIteration()[0]));
            for (ZoomResult.Edit e : mine) {
                images.add(e.counterfactual());
                float[] p = e.focusPerIteration();
                String label = e.attribute() < 0 ? "all" : r.attributes().get(e.attribute()).name();
                String w = e.attribute() < 0 ? "" : String.format(Locale.ROOT, " w=%.1f", e.weights()[e.attribute()]);
                captions.add(label + w + (e.flipped() ? " *" : "") + "\np=" + String.format(Locale.ROOT, "%.2f", p[p.length - 1]));
            }
        }
        return images.isEmpty() ? null : new ImageGrid(columns, 2, 6, 2).render(images, captions);
    }

    /**
     * @param r a diagnosis
     * @param e an edit with frames
     * @return its progressive edit (appendix Fig. 1): a frame every few iterations, captioned with p
     */
    static BufferedImage strip(ZoomResult r, ZoomResult.Edit e) {
        List<ImageData> frames = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (ZoomResult.Frame f : e.frames()) {
            frames.add(f.image());
            captions.add(String.format(Locale.ROOT, "%d: p=%.2f", f.iteration(), f.probability()));
        }
        return Pictures.strip(frames, captions);
    }

    /**
     * @param t a traversal
     * @param classNames the classifier's classes
     * @param focus the class whose probability is shown
     * @return one row per image, one column per weight, each captioned "w: p"
     */
    static BufferedImage traversal(Traversal t, List<String> classNames, int focus) {
        return traversal(t, classNames, focus, t.images().size());
    }

    /**
     * @param t a traversal
     * @param classNames the classifier's classes
     * @param focus the class whose probability the captions give
     * @param maxRows at most this many of its images, one row each
     * @return the grid
     */
    static BufferedImage traversal(Traversal t, List<String> classNames, int focus, int maxRows) {
        List<ImageData> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < Math.min(maxRows, t.images().size()); i++) {
            for (int j = 0; j < t.weights().length; j++) {
                images.add(t.images().get(i).get(j));
                captions.add(String.format(Locale.ROOT, "w=%.0f\np(%s)=%.2f", t.weights()[j], classNames.get(focus),
                        t.probabilities()[i][j][focus]));
            }
        }
        return new ImageGrid(t.weights().length, 2, 6, 2).render(images, captions);
    }

    /**
     * @param r a diagnosis
     * @return the class whose probability pictures show: the focus class of the first edit
     */
    static int focus(ZoomResult r) {
        return r.edits().isEmpty() ? 0 : r.edits().get(0).focusClass();
    }

    /**
     * @param s a stability report
     * @return its JSON form
     */
    static Map<String, Object> stability(PromptStability.Report s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attributes", s.attributes());
        m.put("phrasings", s.variants());
        List<Map<String, Double>> rows = new ArrayList<>();
        for (double[] row : s.sensitivities()) {
            Map<String, Double> r = new LinkedHashMap<>();
            for (int k = 0; k < row.length; k++) {
                r.put(s.attributes().get(k), row[k]);
            }
            rows.add(r);
        }
        m.put("sensitivities", rows);
        m.put("mean_spearman", s.meanSpearman());
        m.put("min_spearman", s.minSpearman());
        m.put("max_abs_difference", s.maxAbsDifference());
        m.put("most_sensitive", s.top());
        m.put("same_most_sensitive", s.sameTop());
        return m;
    }

    /**
     * @param pictures pictures to put one under another
     * @return them stacked on white
     */
    static BufferedImage stack(List<BufferedImage> pictures) {
        int w = pictures.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int h = pictures.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage out = new BufferedImage(w, Math.max(1, h), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, Math.max(1, h));
            int y = 0;
            for (BufferedImage p : pictures) {
                g.drawImage(p, 0, y, null);
                y += p.getHeight();
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * @param file where
     * @param picture what (nothing is written for null)
     */
    static void png(Path file, BufferedImage picture) {
        if (picture != null) {
            ImageFiles.writePng(picture, file);
        }
    }
}
