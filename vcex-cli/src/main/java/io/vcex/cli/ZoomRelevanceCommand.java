package io.vcex.cli;

import io.vcex.core.context.VcexContext;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code vcex diagnose zoom-relevance}: measures (or finds in the cache) the channel relevance of a
 * style generator and a text-image encoder, the part of ZOOM that depends on the models only. With
 * {@code --relevance-cache models/stylegen} the file lands beside the generator's weights, where
 * every ZOOM command looks first, so it can be shipped with the model.
 */
@Command(name = "zoom-relevance", mixinStandardHelpOptions = true,
        description = "Measure and cache ZOOM's channel relevance (StyleCLIP global directions) for a style generator and a "
                + "text-image encoder; with --relevance-cache models/NAME it can be shipped beside the generator.")
final class ZoomRelevanceCommand implements Callable<Integer> {
    @Mixin
    ZoomOptions zoom;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        try (VcexContext ctx = VcexContext.builder().seed(zoom.seed).optProgress(common.progress()).build()) {
            ZoomOptions.Loaded loaded = zoom.load(ctx);
            common.out().printf(Locale.ROOT, "channel relevance of %s and %s: %d channels, %d images, k = %.1f, measured in %.0f s%n",
                    loaded.generator().info().name(), loaded.encoder().info().name(), loaded.relevance().channels(),
                    loaded.relevance().config().samples(), loaded.relevance().config().k(), loaded.relevance().seconds());
            common.out().println("in " + loaded.relevanceFile());
        }
        return 0;
    }
}
