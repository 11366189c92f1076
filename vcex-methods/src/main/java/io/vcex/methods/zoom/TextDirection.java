package io.vcex.methods.zoom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.text.TextImageEncoder;
import java.util.List;

/**
 * delta_t, the text direction of an attribute in the encoder's embedding space (StyleCLIP's global
 * directions, used by ZOOM's sec. 3.2): each phrase is embedded in every template, the embeddings
 * made unit length and averaged, the mean made unit length; delta_t is the unit difference of the
 * attribute's and the neutral phrase's embeddings.
 *
 * <p>Sign: "paper" (StyleCLIP and ZOOM's text) takes attribute - neutral, so a positive edit weight
 * adds the attribute; "code" (ZOOM's released code) takes neutral - attribute. Sensitivities do
 * not depend on it (the weights are optimised in a symmetric box); traversals and weight signs do.
 */
public final class TextDirection {

    private TextDirection() {
    }

    /**
     * @param encoder the text-image encoder
     * @param manager scope for the encoder's temporaries
     * @param phrase a phrase
     * @param templates templates with "{}"
     * @return unit(mean over templates of unit(E_T(template(phrase))))
     */
    public static float[] embed(TextImageEncoder encoder, NDManager manager, String phrase, List<String> templates) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray e = StyleEdits.unitRows(encoder.embedText(scope, AttributePrompts.expand(phrase, templates)));
            float[][] rows = ImageTensors.rows(e);
            float[] mean = new float[rows[0].length];
            for (float[] r : rows) {
                for (int j = 0; j < r.length; j++) {
                    mean[j] += r[j] / rows.length;
                }
            }
            return unit(mean);
        }
    }

    /**
     * @param encoder the text-image encoder
     * @param manager scope for temporaries
     * @param attribute the attribute with its phrase and neutral phrase
     * @param templates templates
     * @param sign "paper" (attribute - neutral) or "code" (neutral - attribute)
     * @return delta_t, unit length
     */
    public static float[] of(TextImageEncoder encoder, NDManager manager, Attribute attribute, List<String> templates,
            String sign) {
        float[] a;
        float[] n;
        try {
            a = embed(encoder, manager, attribute.phrase(), templates);
            n = embed(encoder, manager, attribute.neutral(), templates);
        } catch (VcexException e) {
            throw new VcexException("Cannot phrase the attribute '" + attribute.name() + "' (\"" + attribute.phrase()
                    + "\") for the text-image encoder '" + encoder.info().name() + "': " + e.getMessage(), e);
        }
        float[] d = new float[a.length];
        double norm = 0;
        for (int j = 0; j < d.length; j++) {
            d[j] = "code".equals(sign) ? n[j] - a[j] : a[j] - n[j];
            norm += (double) d[j] * d[j];
        }
        if (norm < 1e-12) {
            throw new VcexException("The attribute '" + attribute.name() + "' (\"" + attribute.phrase() + "\") embeds like "
                    + "the neutral phrase \"" + attribute.neutral() + "\"; it gives no direction");
        }
        return unit(d);
    }

    static float[] unit(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        double n = Math.sqrt(s);
        float[] out = new float[v.length];
        if (n == 0) {
            return out;
        }
        for (int j = 0; j < v.length; j++) {
            out[j] = (float) (v[j] / n);
        }
        return out;
    }
}
