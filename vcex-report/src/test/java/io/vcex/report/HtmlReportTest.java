package io.vcex.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageFiles;
import io.vcex.metrics.MetricResult;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir
    Path dir;

    private static ImageData square(float r, float g, float b) {
        float[] px = new float[3 * 16 * 16];
        for (int i = 0; i < 256; i++) {
            px[i] = r;
            px[256 + i] = g;
            px[512 + i] = b;
        }
        return new ImageData(3, 16, 16, px);
    }

    static HtmlReport sample() {
        ImageData a = square(0.2f, 0.4f, 0.6f);
        ImageData b = square(0.8f, 0.4f, 0.1f);
        float[] attribution = new float[256];
        attribution[17] = 1f;
        return new HtmlReport("vcex <test> report")
                .finding("The decision depends on eyeglasses", "flips 80% of the time when glasses are toggled")
                .section("Counterfactuals")
                .figure(Pictures.panel(a, b, 0.1, 0.9), "original, counterfactual, difference")
                .figure(Pictures.heatmap(a, attribution).toBufferedImage(), "attribution")
                .figure(Pictures.strip(List.of(a, b, a), List.of("t=0", "t=1", "t=2")), "trajectory")
                .chart(Charts.bars("Sensitivity", "share", Map.of("eyeglasses", 0.8), "eyeglasses"), "histogram")
                .chart(Charts.lines("Controllability", "step", "p", Charts.single("p", Charts.indexed(new double[] {0.1, 0.5, 0.9}))),
                        "curve")
                .metrics(List.of(MetricResult.mean("l1", new double[] {1, 2})))
                .provenance(Map.of("seed", 1));
    }

    @Test
    void pageIsSelfContainedEscapedAndLeadsWithFindings() {
        String html = sample().html();
        assertTrue(html.contains("<title>vcex &lt;test&gt; report</title>"));
        assertTrue(html.indexOf("class=\"finding\"") < html.indexOf("<h2>Counterfactuals</h2>"), "findings come first");
        assertEquals(3, html.split("src=\"data:image/png;base64,", -1).length - 1, "three embedded images");
        assertEquals(2, html.split("<svg", -1).length - 1, "two inline charts");
        assertTrue(html.contains("<td>l1</td><td>1.5000</td>"), "metric table");
        assertTrue(html.contains("Provenance") && html.contains("&quot;seed&quot;"));
        assertTrue(!html.contains("src=\"http") && !html.contains("href=\"http"), "nothing is fetched from outside");
    }

    @Test
    void differenceMapIsRedWhereBrighterAndBlueWhereDarker() {
        ImageData a = new ImageData(1, 1, 2, new float[] {0.5f, 0.5f});
        ImageData b = new ImageData(1, 1, 2, new float[] {1f, 0f});
        ImageData d = Pictures.difference(a, b);
        assertEquals(1f, d.get(0, 0, 0), 1e-6f);
        assertEquals(0f, d.get(2, 0, 0), 1e-6f);
        assertEquals(0f, d.get(0, 0, 1), 1e-6f);
        assertEquals(1f, d.get(2, 0, 1), 1e-6f);
    }

    @Test
    void chromiumLoadsTheReportAndItsImages() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(chromium),
                "Skipped: Debian's chromium is not installed (./run-tests installs it; apt-get install chromium)");
        Path page = dir.resolve("report.html");
        sample().write(page);
        Path shot = dir.resolve("shot.png");
        String dom = runChromium(chromium, "--dump-dom", page.toUri().toString());
        assertTrue(dom.contains("data-images-loaded=\"3/3\""), "all three images decoded in the browser:\n"
                + dom.substring(0, Math.min(400, dom.length())));
        runChromium(chromium, "--screenshot=" + shot, "--window-size=1100,1400", page.toUri().toString());
        BufferedImage png = ImageFiles.read(shot).toBufferedImage();
        assertEquals(1100, png.getWidth());
        int distinct = (int) java.util.stream.IntStream.range(0, 200)
                .map(i -> png.getRGB((i * 37) % png.getWidth(), (i * 53) % png.getHeight())).distinct().count();
        assertTrue(distinct > 2, "the screenshot shows a rendered page, not a blank one");
    }

    private String runChromium(Path chromium, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + dir.resolve("profile"),
                "--virtual-time-budget=5000"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium finished");
        return out;
    }
}
