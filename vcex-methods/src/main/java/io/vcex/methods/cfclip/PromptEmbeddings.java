package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.text.TextImageEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * The text side of the CLIP losses, computed once per target text. Following the authors' code
 * (StyleGAN-NADA's text directions), every prompt's embedding is made unit length before the
 * template mean, and the mean is not normalised again.
 *
 * @param targetText t_tgt
 * @param sourceText t_src
 * @param target mean over templates of unit E_T(template(t_tgt)): E_T(t_tgt) of eq. 1, 2, 5
 * @param source mean over templates of unit E_T(template(t_src)): E_T(t_src) of eq. 2 and 5
 * @param sourcePerTemplate unit E_T(template_j(t_src)) for each template j: the negatives of eq. 6
 * @param targetRaw E_T(t_tgt) of the bare target text, unnormalised: e^t, TEM's input (sec. 4.3)
 */
public record PromptEmbeddings(String targetText, String sourceText, float[] target, float[] source,
        float[][] sourcePerTemplate, float[] targetRaw) {

    /**
     * @param scope scope for the temporaries
     * @param clip the text encoder
     * @param targetText t_tgt
     * @param sourceText t_src
     * @param templates templates with one "{}"
     * @return the embeddings; a word the encoder does not know is an error naming the text
     */
    public static PromptEmbeddings embed(NDManager scope, TextImageEncoder clip, String targetText, String sourceText,
            List<String> templates) {
        if (targetText == null || targetText.isBlank()) {
            throw new VcexException("The target text is empty; describe the edit, for example 'a face with green lipstick'");
        }
        String tgt = targetText.trim();
        if (tgt.equalsIgnoreCase(sourceText.trim())) {
            throw new VcexException("The target text '" + tgt + "' is the source text itself; there is no edit to learn");
        }
        try (NDManager m = scope.newSubManager()) {
            float[][] t = unitRows(embed(m, clip, prompts(templates, tgt), "target text '" + tgt + "'"));
            float[][] s = unitRows(embed(m, clip, prompts(templates, sourceText), "source text '" + sourceText + "'"));
            float[] raw = embed(m, clip, List.of(tgt), "target text '" + tgt + "'").toFloatArray();
            return new PromptEmbeddings(tgt, sourceText, mean(t), mean(s), s, raw);
        }
    }

    private static List<String> prompts(List<String> templates, String text) {
        List<String> out = new ArrayList<>();
        for (String t : templates) {
            out.add(CfClipConfig.fill(t, text));
        }
        return out;
    }

    private static NDArray embed(NDManager m, TextImageEncoder clip, List<String> texts, String what) {
        try {
            return clip.embedText(m, texts);
        } catch (VcexException e) {
            throw new VcexException("The " + what + " cannot be read by '" + clip.info().name() + "': " + e.getMessage(), e);
        }
    }

    private static float[][] unitRows(NDArray x) {
        int rows = Math.toIntExact(x.getShape().get(0));
        int d = Math.toIntExact(x.getShape().get(1));
        float[] v = x.toFloatArray();
        float[][] out = new float[rows][d];
        for (int r = 0; r < rows; r++) {
            double norm = 0;
            for (int k = 0; k < d; k++) {
                norm += (double) v[r * d + k] * v[r * d + k];
            }
            norm = Math.max(Math.sqrt(norm), 1e-12);
            for (int k = 0; k < d; k++) {
                out[r][k] = (float) (v[r * d + k] / norm);
            }
        }
        return out;
    }

    private static float[] mean(float[][] rows) {
        float[] m = new float[rows[0].length];
        for (float[] r : rows) {
            for (int k = 0; k < m.length; k++) {
                m[k] += r[k] / rows.length;
            }
        }
        return m;
    }

    /** @return the embedding length */
    public int dim() {
        return target.length;
    }

    /** @return the number of templates (negatives per query) */
    public int templates() {
        return sourcePerTemplate.length;
    }
}
