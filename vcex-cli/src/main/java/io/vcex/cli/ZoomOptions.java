package io.vcex.cli;

import io.vcex.core.VcexException;
import io.vcex.core.VcexHome;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.VcexContext;
import io.vcex.core.generator.StyleGenerator;
import io.vcex.core.text.TextImageEncoder;
import io.vcex.methods.zoom.ChannelRelevance;
import io.vcex.methods.zoom.RelevanceConfig;
import io.vcex.methods.zoom.RelevanceMatrix;
import io.vcex.methods.zoom.Zoom;
import io.vcex.methods.zoom.ZoomConfig;
import io.vcex.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options every ZOOM command shares: the models, the relevance cache and the method's settings
 * (defaults from {@link ZoomConfig}, the authors' run script, except the sample count, which is
 * sized for a CPU).
 */
final class ZoomOptions {
    @Option(names = "--generator", defaultValue = "stylegen", description = "Style generator (zoo name; default ${DEFAULT-VALUE}).")
    String generator;

    @Option(names = "--clip", defaultValue = "miniclip", description = "Text-image encoder (zoo name; default ${DEFAULT-VALUE}).")
    String clip;

    @Option(names = "--models", description = "Zoo models folder (default: models/ in the vcex home).")
    Path models;

    @Option(names = "--optimizer", description = "sgd (the authors' code, default) or pgd (signed steps, appendix C).")
    String optimizer;

    @Option(names = "--multi", description = "Optimise every attribute at once (one weight each, eq. 3) instead of one at a time.")
    boolean multi;

    @Option(names = "--iterations", description = "Optimisation steps per image (authors: 100).")
    Integer iterations;

    @Option(names = "--step", description = "Step size eta (authors: 0.2).")
    Double step;

    @Option(names = "--bound", description = "Edit weights are clamped to [-bound, bound] (authors: 30).")
    Double bound;

    @Option(names = "--beta", description = "Channel threshold of the edit directions (authors: 0.1).")
    Double beta;

    @Option(names = "--classifier-weight", description = "Weight of the flip loss (authors: 50).")
    Double classifierWeight;

    @Option(names = "--clip-weight", description = "Weight of the keep-the-class term (authors: 0.005; 0 drops it).")
    Double clipWeight;

    @Option(names = "--truncation", description = "Truncation psi of the sampled images (authors: 0.7).")
    Double truncation;

    @Option(names = "--batch", description = "Image-attribute pairs optimised together, a memory bound (default 32).")
    Integer batch;

    @Option(names = "--target", description = "flip (default) or a class name or index to push every image to.")
    String target;

    @Option(names = "--class-prompts", description = "One phrase per class for the keep-the-class term, comma-separated "
            + "(default: phrased from the class names, e.g. 'a serious face,a smiling face').")
    String classPrompts;

    @Option(names = "--direction-sign", description = "paper (attribute - neutral, default) or code (neutral - attribute, the authors' code).")
    String directionSign;

    @Option(names = "--weight-unit", description = "style (the paper: a unit direction in StyleSpace, default) or std "
            + "(scaled by the median style-channel std, so the bound of 30 suits a generator with small styles).")
    String weightUnit;

    @Option(names = "--std-scaled", description = "Scale edit directions by each channel's standard deviation (StyleCLIP's code).")
    boolean stdScaled;

    @Option(names = "--keep", defaultValue = "8", description = "Images shown in the grids and strips (default ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--relevance-samples", description = "Images the channel relevance is measured on (authors: about 100).")
    Integer relevanceSamples;

    @Option(names = "--relevance-cache", description = "Folder of cached channel relevance (default: the generator's zoo "
            + "folder when it ships one, else .cache/zoom in the vcex home).")
    Path relevanceCache;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the sampled images (default ${DEFAULT-VALUE}).")
    long seed;

    /**
     * @param samples how many images
     * @return the config from the options
     */
    ZoomConfig config(int samples) {
        return new ZoomConfig(step, iterations, bound, beta, classifierWeight, clipWeight, truncation, optimizer, multi, samples,
                batch, null, directionSign, stdScaled, target, null, keep, null, null, weightUnit);
    }

    /** @return the relevance settings from the options */
    RelevanceConfig relevanceConfig() {
        return new RelevanceConfig(relevanceSamples, null, null, null, null, null);
    }

    /** @return the zoo */
    Zoo zoo() {
        return ZooCommand.zoo(models);
    }

    /** @return the class prompts given, or null */
    List<String> classPrompts() {
        if (classPrompts == null) {
            return null;
        }
        return List.of(classPrompts.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The models a ZOOM run needs. */
    record Loaded(StyleGenerator generator, TextImageEncoder encoder, RelevanceMatrix relevance, Path relevanceFile) {
    }

    /**
     * @param ctx the context that owns the models
     * @return the generator, the encoder and their channel relevance (from the cache, or measured and cached)
     */
    Loaded load(VcexContext ctx) {
        Zoo zoo = zoo();
        StyleGenerator g = Models.styleGenerator(ctx, zoo, generator);
        TextImageEncoder e = zoo.textImageEncoder(ctx, clip);
        RelevanceConfig rc = relevanceConfig();
        Path dir = relevanceCache;
        if (dir == null && relevanceSamples == null) {
            // the relevance shipped beside the generator, whatever images it was measured on (its
            // config says; the summary reports it), rather than hours of measuring the default
            Path folder = zoo.folder(generator);
            RelevanceMatrix shipped = ChannelRelevance.shipped(folder, g, e);
            if (shipped != null) {
                return new Loaded(g, e, shipped, ChannelRelevance.cacheFile(folder, g, e, shipped.config()));
            }
        }
        if (dir == null) {
            Path shipped = zoo.folder(generator);
            dir = Files.isRegularFile(ChannelRelevance.cacheFile(shipped, g, e, rc)) ? shipped : VcexHome.resolve(".cache/zoom");
        }
        RelevanceMatrix m = ChannelRelevance.cached(ctx, g, e, rc, dir);
        return new Loaded(g, e, m, ChannelRelevance.cacheFile(dir, g, e, rc));
    }

    /**
     * @param loaded the models
     * @param classifier the classifier
     * @param config settings
     * @return the method
     */
    Zoom zoom(Loaded loaded, WhiteBoxClassifier classifier, ZoomConfig config) {
        return new Zoom(loaded.generator(), classifier, loaded.encoder(), loaded.relevance(), config, classPrompts());
    }

    /**
     * @param samples the sample count option
     * @return it, checked
     */
    static int samples(int samples) {
        if (samples < 1) {
            throw new VcexException("--samples must be at least 1, got " + samples);
        }
        return samples;
    }
}
