package io.vcex.methods.cfclip;

import io.vcex.core.config.Check;
import io.vcex.core.config.ConfigException;
import java.util.List;

/**
 * Settings of CF-CLIP (Yu et al., "Towards Counterfactual Image Manipulation via CLIP", ACM MM
 * 2022). Every default is the paper's (sec. 4.4 and 5.1.3) or, where the paper is silent, the
 * authors' code (REFERENCE-NOTES, "CF-CLIP"); a null field takes its default, in code and in JSON.
 *
 * @param loss the CLIP loss: "nce" (CLIP-NCE, eq. 4-7, the method), "global" (StyleCLIP's global
 *     CLIP loss, eq. 1) or "directional" (StyleGAN-NADA's directional CLIP loss, eq. 2), the two
 *     baselines of the ablation (sec. 5.4.1), which replace CLIP-NCE and keep everything else
 * @param tem whether the text embedding mapping (TEM, sec. 4.3, eq. 8-9) feeds the mapper (true);
 *     false is the ablation's "w/o TEM": StyleCLIP's mapper on w alone
 * @param facial the paper's switch (sec. 4.4): facial data sets use the identity loss and no
 *     perceptual loss, others the reverse (default true: vcex's faces world)
 * @param clipWeight lambda_NCE of eq. 13 (0.3); the baselines' CLIP loss takes the same weight
 * @param latentWeight lambda_L2 of eq. 13 (0.8), on the mean squared latent change (StyleCLIP's
 *     code; the paper writes ||w - w'||_2 but takes the weight from StyleCLIP)
 * @param idWeight lambda_ID of eq. 13; null: 0.2 when facial, else 0
 * @param perceptualWeight lambda_perc of eq. 13; null: 0 when facial, else 0.01 (the authors' code
 *     uses 0.02 for animals)
 * @param temperature tau of eq. 7 (0.1)
 * @param views augmented views of each edited image before the CLIP loss (8, the authors' code);
 *     1 with distortion 0 is the ablation's "w/o aug"
 * @param distortion the random perspective's distortion scale (0.5, as torchvision's
 *     RandomPerspective in the authors' code)
 * @param sourceText t_src, the neutral description (sec. 3.2.2). The authors use "face" with
 *     templates such as "a photo of a {}"; here the article is in the source text ("a face") so that
 *     a full target caption ("a face with green lipstick") fills the same templates grammatically
 * @param templates prompt templates with one "{}" (sec. 4.2, "prompt engineering"); the source and
 *     target texts are filled in and their unit text embeddings averaged. The authors use CLIP's 79
 *     ImageNet templates; the default is the prefixes of faces-world captions, the only ones
 *     MiniCLIP's vocabulary can read
 * @param learningRate Adam's step size (0.5, sec. 5.1.3; the authors' code uses Ranger)
 * @param batch latent codes per step (2)
 * @param steps training iterations (50,000, sec. 5.1.3)
 * @param residualScale the factor of the mapper's output, w' = w + residualScale * M(...) (0.1, the
 *     authors' code; eq. 10 has none)
 * @param lrMultiplier the equalised learning-rate multiplier of every mapping layer (0.01, StyleGAN's
 *     mapping network as StyleCLIP's mapper and CF-CLIP's text mappers use it)
 * @param mapperLayers fully connected layers per StyleCLIP mapper group (4)
 * @param temLayers fully connected layers per TEM text mapper (4, sec. 4.3)
 * @param checkpointEvery steps between checkpoints (100; also at least once a minute and at the end)
 */
public record CfClipConfig(String loss, Boolean tem, Boolean facial, Double clipWeight, Double latentWeight, Double idWeight,
        Double perceptualWeight, Double temperature, Integer views, Double distortion, String sourceText, List<String> templates,
        Double learningRate, Integer batch, Integer steps, Double residualScale, Double lrMultiplier, Integer mapperLayers,
        Integer temLayers, Integer checkpointEvery) {

    /** The CLIP losses, in the order of the paper's ablation. */
    public static final List<String> LOSSES = List.of("nce", "global", "directional");

    /** Default templates: how faces-world captions begin, so MiniCLIP can read every one. */
    public static final List<String> DEFAULT_TEMPLATES = List.of("{}", "a photo of {}", "a picture of {}", "a drawing of {}",
            "a cartoon of {}");

    /** Fills the defaults and validates; errors name the field. */
    public CfClipConfig {
        loss = loss == null ? "nce" : loss;
        if (!LOSSES.contains(loss)) {
            throw new ConfigException("loss", loss, "must be one of " + LOSSES);
        }
        tem = tem == null ? Boolean.TRUE : tem;
        facial = facial == null ? Boolean.TRUE : facial;
        clipWeight = clipWeight == null ? 0.3 : Check.nonNegative("clipWeight", clipWeight);
        latentWeight = latentWeight == null ? 0.8 : Check.nonNegative("latentWeight", latentWeight);
        idWeight = idWeight == null ? (facial ? 0.2 : 0.0) : Check.nonNegative("idWeight", idWeight);
        perceptualWeight = perceptualWeight == null ? (facial ? 0.0 : 0.01) : Check.nonNegative("perceptualWeight",
                perceptualWeight);
        temperature = temperature == null ? 0.1 : Check.positive("temperature", temperature);
        views = views == null ? 8 : Check.range("views", views, 1, 64);
        distortion = distortion == null ? 0.5 : Check.range("distortion", distortion, 0.0, 1.0);
        sourceText = sourceText == null ? "a face" : sourceText.trim();
        if (sourceText.isEmpty()) {
            throw new ConfigException("sourceText", "''", "must name the neutral description, for example 'a face'");
        }
        templates = templates == null ? DEFAULT_TEMPLATES : List.copyOf(templates);
        if (templates.isEmpty()) {
            throw new ConfigException("templates", templates, "must hold at least one template");
        }
        for (int i = 0; i < templates.size(); i++) {
            String t = templates.get(i);
            if (t == null || t.indexOf("{}") < 0 || t.indexOf("{}") != t.lastIndexOf("{}")) {
                throw new ConfigException("templates[" + i + "]", t, "must contain '{}' exactly once, where the text goes");
            }
        }
        learningRate = learningRate == null ? 0.5 : Check.positive("learningRate", learningRate);
        batch = batch == null ? 2 : Check.range("batch", batch, 1, 1024);
        steps = steps == null ? 50_000 : Check.range("steps", steps, 1, 10_000_000);
        residualScale = residualScale == null ? 0.1 : Check.positive("residualScale", residualScale);
        lrMultiplier = lrMultiplier == null ? 0.01 : Check.range("lrMultiplier", lrMultiplier, 1e-6, 1.0);
        mapperLayers = mapperLayers == null ? 4 : Check.range("mapperLayers", mapperLayers, 1, 16);
        temLayers = temLayers == null ? 4 : Check.range("temLayers", temLayers, 1, 16);
        checkpointEvery = checkpointEvery == null ? 100 : Check.range("checkpointEvery", checkpointEvery, 1, 10_000_000);
        if (clipWeight == 0 && latentWeight == 0 && idWeight == 0 && perceptualWeight == 0) {
            throw new ConfigException("clipWeight", clipWeight, "at least one loss weight must be positive");
        }
    }

    /** @return the paper's defaults */
    public static CfClipConfig defaults() {
        return new CfClipConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    /**
     * @param template a template with one "{}"
     * @param text the text to put there
     * @return the prompt
     */
    public static String fill(String template, String text) {
        return template.replace("{}", text);
    }

    /**
     * @param value "nce", "global" or "directional"
     * @return a copy with that CLIP loss
     */
    public CfClipConfig withLoss(String value) {
        return new CfClipConfig(value, tem, facial, clipWeight, latentWeight, idWeight, perceptualWeight, temperature, views,
                distortion, sourceText, templates, learningRate, batch, steps, residualScale,
                lrMultiplier, mapperLayers, temLayers, checkpointEvery);
    }

    /**
     * @param value whether TEM is used
     * @return a copy with or without TEM
     */
    public CfClipConfig withTem(boolean value) {
        return new CfClipConfig(loss, value, facial, clipWeight, latentWeight, idWeight, perceptualWeight, temperature, views,
                distortion, sourceText, templates, learningRate, batch, steps, residualScale, lrMultiplier, mapperLayers,
                temLayers, checkpointEvery);
    }

    /**
     * @param value training iterations
     * @return a copy with that many
     */
    public CfClipConfig withSteps(int value) {
        return new CfClipConfig(loss, tem, facial, clipWeight, latentWeight, idWeight, perceptualWeight, temperature, views,
                distortion, sourceText, templates, learningRate, batch, value, residualScale, lrMultiplier, mapperLayers,
                temLayers, checkpointEvery);
    }

    /**
     * @return this config with the step count and checkpoint interval fixed, so that runs which
     *     differ only in those (a run extended or resumed) share a checkpoint
     */
    CfClipConfig withoutLength() {
        return new CfClipConfig(loss, tem, facial, clipWeight, latentWeight, idWeight, perceptualWeight, temperature, views,
                distortion, sourceText, templates, learningRate, batch, 1, residualScale, lrMultiplier, mapperLayers,
                temLayers, 1);
    }
}
