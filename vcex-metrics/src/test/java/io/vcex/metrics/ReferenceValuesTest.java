package io.vcex.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcex.core.config.Json;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageFiles;
import io.vcex.metrics.attribution.Complexity;
import io.vcex.metrics.attribution.EffectiveComplexity;
import io.vcex.metrics.attribution.Sparseness;
import io.vcex.metrics.perceptual.Ssim;
import io.vcex.core.stats.FrechetDistance;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metrics against values computed by independent implementations (scikit-image, SciPy, NumPy
 * versions of Quantus's formulas) with {@code tools/reference/metrics_reference.py}; the values and
 * fixtures are committed in {@code src/test/resources/reference}.
 */
class ReferenceValuesTest {
    private static JsonNode ref;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = ReferenceValuesTest.class.getResourceAsStream("/reference/reference.json")) {
            ref = Json.mapper().readTree(in);
        }
    }

    private static ImageData image(String name) throws URISyntaxException {
        return ImageFiles.read(Path.of(ReferenceValuesTest.class.getResource("/reference/" + name).toURI()));
    }

    private static float[][] matrix(JsonNode rows) {
        float[][] m = new float[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new float[rows.get(i).size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = (float) rows.get(i).get(j).asDouble();
            }
        }
        return m;
    }

    @Test
    void ssimMatchesScikitImage() throws Exception {
        ImageData a = image("a.png");
        assertEquals(3, a.channels());
        for (String b : new String[] {"blurred.png", "noisy.png", "shifted.png"}) {
            assertEquals(ref.get("ssim").get(b).asDouble(), Ssim.between(a, image(b)), 1e-5, b);
        }
        ImageData greyA = image("a_grey.png");
        assertEquals(1, greyA.channels());
        assertEquals(ref.get("ssim").get("grey").asDouble(), Ssim.between(greyA, image("noisy_grey.png")), 1e-5);
        assertEquals(1.0, Ssim.between(a, a), 1e-12);
    }

    @Test
    void frechetDistanceMatchesScipy() {
        JsonNode f = ref.get("frechet");
        double expected = f.get("value").asDouble();
        assertEquals(expected, FrechetDistance.between(matrix(f.get("x")), matrix(f.get("y"))), 1e-4 * expected);
    }

    @Test
    void attributionMetricsMatchQuantusFormulas() {
        JsonNode a = ref.get("attribution");
        float[] v = matrix(Json.mapper().createArrayNode().add(a.get("values")))[0];
        assertEquals(a.get("sparseness").asDouble(), new Sparseness().compute(v), 1e-6);
        assertEquals(a.get("complexity").asDouble(), new Complexity().compute(v), 1e-5);
        assertEquals(a.get("effective_complexity").asDouble(), EffectiveComplexity.standard().compute(v));
    }
}
