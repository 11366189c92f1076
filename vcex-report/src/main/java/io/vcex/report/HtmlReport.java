package io.vcex.report;

import io.vcex.core.config.Json;
import io.vcex.metrics.MetricResult;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML report: findings first (what a reader came for), then the evidence
 * (pictures, charts, tables), then provenance. Images are embedded as data URIs and charts as
 * inline SVG, so the file can be mailed or archived alone.
 *
 * <p>A small script records on the page, once it has loaded, how many of its images decoded
 * ({@code data-images-loaded="k/n"} on the body), which the browser test reads.
 */
public final class HtmlReport {
    private final String title;
    private final List<String> findings = new ArrayList<>();
    private final StringBuilder body = new StringBuilder();
    private String provenance;

    /** @param title the page title */
    public HtmlReport(String title) {
        this.title = title;
    }

    /**
     * @param text plain text
     * @return it with HTML's special characters escaped
     */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * @param headline one sentence, for example "The decision depends on eyeglasses"
     * @param evidence a sentence of evidence under it
     * @return this report
     */
    public HtmlReport finding(String headline, String evidence) {
        findings.add("<div class=\"finding\"><div class=\"headline\">" + escape(headline) + "</div><div class=\"evidence\">"
                + escape(evidence) + "</div></div>");
        return this;
    }

    /**
     * @param heading a section heading
     * @return this report
     */
    public HtmlReport section(String heading) {
        body.append("<h2>").append(escape(heading)).append("</h2>\n");
        return this;
    }

    /**
     * @param text a paragraph of plain text
     * @return this report
     */
    public HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /**
     * @param image a picture
     * @param caption its caption
     * @return this report
     */
    public HtmlReport figure(BufferedImage image, String caption) {
        body.append("<figure><img src=\"").append(Pictures.dataUri(image)).append("\" alt=\"").append(escape(caption))
                .append("\"><figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
        return this;
    }

    /**
     * @param svg an SVG chart, as from {@link Charts}
     * @param caption its caption
     * @return this report
     */
    public HtmlReport chart(String svg, String caption) {
        body.append("<figure class=\"chart\">").append(svg).append("<figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
        return this;
    }

    /**
     * @param headers column headers
     * @param rows cells, already formatted
     * @return this report
     */
    public HtmlReport table(List<String> headers, List<List<String>> rows) {
        body.append("<table><tr>");
        headers.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> r : rows) {
            body.append("<tr>");
            r.forEach(c -> body.append("<td>").append(escape(c)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /**
     * @param results metric results
     * @return this report, with a table of name, value and details
     */
    public HtmlReport metrics(List<MetricResult> results) {
        List<List<String>> rows = new ArrayList<>();
        for (MetricResult r : results) {
            StringBuilder d = new StringBuilder();
            r.details().forEach((k, v) -> d.append(d.length() == 0 ? "" : ", ").append(k).append(" ").append(format(v)));
            rows.add(List.of(r.name(), format(r.value()), d.toString()));
        }
        return table(List.of("metric", "value", "details"), rows);
    }

    /**
     * @param v a number
     * @return it with four decimal places (one from 100 up), "n/a" for NaN
     */
    public static String format(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.4f", v);
    }

    /**
     * @param value provenance (or any record), shown as JSON at the end
     * @return this report
     */
    public HtmlReport provenance(Object value) {
        this.provenance = Json.write(value);
        return this;
    }

    /** @return the page */
    public String html() {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>\n").append(CSS).append("</style></head>\n<body>\n<h1>").append(escape(title))
                .append("</h1>\n");
        if (!findings.isEmpty()) {
            s.append("<section class=\"findings\">\n");
            findings.forEach(f -> s.append(f).append('\n'));
            s.append("</section>\n");
        }
        s.append(body);
        if (provenance != null) {
            s.append("<details><summary>Provenance</summary><pre>").append(escape(provenance)).append("</pre></details>\n");
        }
        s.append("<script>window.addEventListener('load', function () {\n"
                + "  var imgs = document.images, ok = 0;\n"
                + "  for (var i = 0; i < imgs.length; i++) { if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++; }\n"
                + "  document.body.setAttribute('data-images-loaded', ok + '/' + imgs.length);\n"
                + "});</script>\n</body></html>\n");
        return s.toString();
    }

    /**
     * Writes the page atomically.
     *
     * @param file the HTML file
     */
    public void write(Path file) {
        Json.writeString(file, html());
    }

    private static final String CSS = "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222;"
            + "padding:0 1em}\nh1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}\n"
            + ".findings{margin:1em 0}.finding{border-left:5px solid #c0392b;background:#fdf2f0;padding:.6em 1em;"
            + "margin:.6em 0}\n.headline{font-size:1.25em;font-weight:600}.evidence{color:#555;margin-top:.2em}\n"
            + "figure{display:inline-block;margin:.5em;vertical-align:top}figcaption{font-size:.85em;color:#555}\n"
            + "img{image-rendering:pixelated}table{border-collapse:collapse;margin:1em 0}\n"
            + "td,th{border:1px solid #ddd;padding:.3em .6em;text-align:left;font-size:.9em}th{background:#f4f4f4}\n"
            + "pre{background:#f7f7f7;padding:1em;overflow:auto;font-size:.8em}\n";
}
