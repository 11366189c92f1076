package io.vcex.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.context.VcexContext;
import io.vcex.core.generator.StyleCode;
import io.vcex.core.text.TextImageEncoder;
import io.vcex.methods.zoom.AttributePrompts;
import io.vcex.methods.zoom.ChannelRelevance;
import io.vcex.methods.zoom.RelevanceConfig;
import io.vcex.methods.zoom.RelevanceMatrix;
import io.vcex.methods.zoom.Zoom;
import io.vcex.methods.zoom.ZoomConfig;
import io.vcex.methods.zoom.ZoomResult;
import io.vcex.zoo.Zoo;
import io.vcex.zoo.models.StyleNet;
import io.vcex.zoo.recipes.StyleGenRecipe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScratchSpeedTest {
    static void log(String s) {
        try {
            Files.writeString(Path.of("/tmp/sgtime/log.txt"), s + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void speed() {
        try (VcexContext ctx = VcexContext.builder().seed(0).build()) {
            StyleGenRecipe recipe = new StyleGenRecipe();
            StyleNet g = recipe.load(ctx, recipe.defaults(), Path.of("/tmp/sgtime"));
            log("layers " + g.styleLayers().size() + " channels " + g.styleLayers().stream().mapToInt(l -> l.channels()).sum()
                    + " numWs " + g.numWs() + " wDim " + g.wDim());
            Zoo zoo = Zoo.builtIn();
            TextImageEncoder enc = zoo.textImageEncoder(ctx, "miniclip");
            WhiteBoxClassifier clf = zoo.classifier(ctx, "smile-biased");
            for (int rep = 0; rep < 2; rep++) {
                try (NDManager s = ctx.newScope()) {
                    long t = System.nanoTime();
                    NDArray w = g.sampleWPlus(s, ctx.rng("x"), 64, 0.7f);
                    StyleCode st = g.styles(w);
                    NDArray x = g.synthesize(st);
                    long t1 = System.nanoTime();
                    enc.embedImage(x);
                    long t2 = System.nanoTime();
                    clf.logits(x);
                    long t3 = System.nanoTime();
                    log(String.format("64 images: synth %.3f s, miniclip %.3f s, classifier %.3f s", (t1 - t) / 1e9, (t2 - t1) / 1e9,
                            (t3 - t2) / 1e9));
                }
            }
            long t = System.nanoTime();
            RelevanceMatrix m = ChannelRelevance.compute(ctx, g, enc, new RelevanceConfig(2, null, 200, null, 64, 0L));
            log(String.format("relevance with 2 images: %.1f s", (System.nanoTime() - t) / 1e9));
            ZoomConfig c = ZoomConfig.defaults().withSamples(4).withSteps(5, 0.2);
            Zoom z = new Zoom(g, clf, enc, m, c, null);
            t = System.nanoTime();
            ZoomResult r = z.diagnose(ctx, AttributePrompts.parseList("eyeglasses,hat,mustache,bangs,old,lipstick,blonde hair,black hair", 0));
            log(String.format("zoom 4 images x 8 attributes x 5 iterations: %.1f s; flip %.2f", (System.nanoTime() - t) / 1e9, r.flipRate()));
            for (var sum : r.summaries()) {
                log(sum.name() + " active " + sum.activeChannels());
            }
        }
    }
}
