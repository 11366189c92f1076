package io.vcex.methods.cfclip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.context.VcexContext;
import io.vcex.methods.testing.ToyTextImageEncoder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CLIP-NCE (eq. 4-7) and the two baseline losses (eq. 1, 2) against values computed by hand. */
class CfClipLossTest {

    private static NDArray rows(NDManager m, float[][] v) {
        int d = v[0].length;
        float[] flat = new float[v.length * d];
        for (int i = 0; i < v.length; i++) {
            System.arraycopy(v[i], 0, flat, i * d, d);
        }
        return m.create(flat, new Shape(v.length, d));
    }

    @Test
    void infoNceMatchesHandComputation() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            // Query 1: Q = (1, 0), K_T+ = (1, 0), K_I+ = (0, 1), one negative K- = (-1, 0), tau = 1.
            //   Q.K_T+ = 1, Q.K_I+ = 0, Q.K- = -1
            //   -log(e^1 / (e^1 + e^-1)) = log(1 + e^-2) = 0.126928011
            //   -log(e^0 / (e^0 + e^-1)) = log(1 + e^-1) = 0.313261688     sum 0.440189699
            NDArray q = rows(m, new float[][] {{1, 0}});
            NDArray kT = rows(m, new float[][] {{1, 0}});
            NDArray kI = rows(m, new float[][] {{0, 1}});
            NDArray neg = m.create(new float[] {-1, 0}, new Shape(1, 1, 2));
            assertEquals(0.440189699, ClipNceLoss.infoNce(q, kT, kI, neg, 1.0).getFloat(), 1e-6);
            // tau = 0.5 doubles every logit: log(1 + e^-4) + log(1 + e^-2) = 0.018149928 + 0.126928011 = 0.145077939
            assertEquals(0.145077939, ClipNceLoss.infoNce(q, kT, kI, neg, 0.5).getFloat(), 1e-6);
            // Query 2: Q = (0, 1): Q.K_T+ = 0, Q.K_I+ = 1, Q.K- = 0
            //   -log(1 / (1 + 1)) = log 2 = 0.693147181;  -log(e / (e + 1)) = log(1 + e^-1) = 0.313261688; sum 1.006408868
            // the loss is the mean over queries: (0.440189699 + 1.006408868) / 2 = 0.723299283
            NDArray q2 = rows(m, new float[][] {{1, 0}, {0, 1}});
            NDArray neg2 = m.create(new float[] {-1, 0, -1, 0}, new Shape(2, 1, 2));
            assertEquals(0.723299283, ClipNceLoss.infoNce(q2, kT, rows(m, new float[][] {{0, 1}, {0, 1}}), neg2, 1.0).getFloat(),
                    1e-6);
        }
    }

    /**
     * One view of one image, embeddings in R^3, two templates:
     * E_I(I_src) = (2, 0, 0) -> unit (1, 0, 0); E_I(I_aug) = (0, 3, 0) -> unit (0, 1, 0);
     * T_tgt = (0, 1, 0); source templates (0, 0, 1) and (0, 0, -1), so T_src = their mean = 0.
     * Q = unit((0,1,0) - (1,0,0)) = (-1, 1, 0)/sqrt2                      (eq. 4)
     * K_T+ = unit(T_tgt - T_src) = (0, 1, 0):          Q.K_T+ = 1/sqrt2   (eq. 5)
     * K_I+ = unit(T_tgt - i_src) = (-1, 1, 0)/sqrt2:   Q.K_I+ = 1
     * K-_1 = unit((0,0,1) - (1,0,0)) = (-1, 0, 1)/sqrt2:  Q.K- = 1/2       (eq. 6)
     * K-_2 = unit((0,0,-1) - (1,0,0)) = (-1, 0, -1)/sqrt2: Q.K- = 1/2
     * eq. 7: log(1 + 2 e^{(1/2 - 1/sqrt2)/tau}) + log(1 + 2 e^{(1/2 - 1)/tau})
     *   tau = 1:   0.965410624 + 0.794376769 = 1.759787394
     *   tau = 0.1: 0.224823916 + 0.013385902 = 0.238209818
     */
    @Test
    void clipNceBuildsQueryPositivesAndNegativesAsInTheEquations() {
        PromptEmbeddings p = new PromptEmbeddings("t", "s", new float[] {0, 1, 0}, new float[] {0, 0, 0},
                new float[][] {{0, 0, 1}, {0, 0, -1}}, new float[] {0, 1, 0});
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            NDArray edited = rows(m, new float[][] {{0, 3, 0}});
            NDArray source = rows(m, new float[][] {{2, 0, 0}});
            assertEquals(1.759787394, new ClipNceLoss(1.0).loss(edited, source, p).getFloat(), 1e-5);
            assertEquals(0.238209818, new ClipNceLoss(0.1).loss(edited, source, p).getFloat(), 1e-5);
            // two views of the same image: the mean of two equal terms
            NDArray twice = rows(m, new float[][] {{0, 3, 0}, {0, 5, 0}});
            assertEquals(0.238209818, new ClipNceLoss(0.1).loss(twice, source, p).getFloat(), 1e-5);
        }
    }

    @Test
    void globalAndDirectionalLossesMatchHandComputation() {
        PromptEmbeddings p = new PromptEmbeddings("t", "s", new float[] {0, 1, 0}, new float[] {0, 0, 0},
                new float[][] {{0, 0, 1}, {0, 0, -1}}, new float[] {0, 1, 0});
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            NDArray source = rows(m, new float[][] {{2, 0, 0}});
            // eq. 1 on two views: cos((0,3,0), T_tgt) = 1 and cos((1,1,0), T_tgt) = 1/sqrt2:
            // ((1 - 1) + (1 - 0.707106781)) / 2 = 0.146446609
            NDArray views = rows(m, new float[][] {{0, 3, 0}, {1, 1, 0}});
            assertEquals(0.146446609, new GlobalClipLoss().loss(views, source, p).getFloat(), 1e-6);
            // eq. 2: Delta T = (0,1,0) - 0; Delta I = unit(0,3,0) - unit(2,0,0) = (-1, 1, 0): cos = 1/sqrt2, loss 0.292893219
            NDArray one = rows(m, new float[][] {{0, 3, 0}});
            assertEquals(0.292893219, new DirectionalClipLoss().loss(one, source, p).getFloat(), 1e-6);
            assertThrows(VcexException.class, () -> new GlobalClipLoss().loss(rows(m, new float[][] {{1, 0}}), source, p));
        }
    }

    /**
     * The toy encoder: "a" and "face" add (0,0,0,1), "red" adds (1,0,0,0). With templates "{}" and
     * "a photo of {}" and source "a face":
     * target prompts "a red face" = (1,0,0,2) and "a photo of a red face" = (1,0,0,5), unit: (1,0,0,2)/sqrt5, (1,0,0,5)/sqrt26;
     * source prompts (0,0,0,2), (0,0,0,5), unit: (0,0,0,1) both.
     */
    @Test
    void promptEmbeddingsAverageUnitTemplateEmbeddings() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            PromptEmbeddings p = PromptEmbeddings.embed(m, new ToyTextImageEncoder(), "a red face", "a face",
                    List.of("{}", "a photo of {}"));
            double s5 = Math.sqrt(5);
            double s26 = Math.sqrt(26);
            assertArrayEquals(new float[] {(float) ((1 / s5 + 1 / s26) / 2), 0, 0, (float) ((2 / s5 + 5 / s26) / 2)}, p.target(),
                    1e-6f);
            assertArrayEquals(new float[] {0, 0, 0, 1}, p.source(), 1e-6f);
            assertEquals(2, p.templates());
            assertArrayEquals(new float[] {1, 0, 0, 2}, p.targetRaw(), 1e-6f);
            VcexException unknown = assertThrows(VcexException.class, () -> PromptEmbeddings.embed(m, new ToyTextImageEncoder(),
                    "a sparkly face", "a face", List.of("{}")));
            assertTrue(unknown.getMessage().contains("target text 'a sparkly face'") && unknown.getMessage().contains("sparkly"),
                    unknown.getMessage());
            VcexException same = assertThrows(VcexException.class, () -> PromptEmbeddings.embed(m, new ToyTextImageEncoder(),
                    "a face", "a face", List.of("{}")));
            assertTrue(same.getMessage().contains("source text itself"), same.getMessage());
        }
    }
}
