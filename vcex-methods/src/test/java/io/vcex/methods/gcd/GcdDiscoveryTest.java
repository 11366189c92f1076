package io.vcex.methods.gcd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.VcexException;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end discovery and transfer on the synthetic world, black-box, with checkpoints. */
class GcdDiscoveryTest {
    @TempDir
    Path dir;

    static GcdConfig small(int iterations) {
        return GcdConfig.defaults().withData(iterations, 2, 128)
                .withProxy(ProxyConfig.defaults().withHidden(List.of(64, 32), 150).withLearningRate(3e-3))
                .withHDirections(3, HSign.EIGENVALUE).withSeed(3);
    }

    /** The source: z_0 = 1 (bright, class 1), other coordinates small. */
    static float[] sourceCode() {
        return new float[] {1.0f, 0.2f, -0.3f, 0.1f, 0.0f, -0.2f};
    }

    @Test
    void discoveryFindsTheFlippingDirectionBlackBoxAndItTransfers() {
        SyntheticWorld w = new SyntheticWorld(1);
        SyntheticWorld.GuardedClassifier guarded = w.new GuardedClassifier();
        ImageData source = w.image(sourceCode());
        try (VcexContext ctx = VcexContext.builder().build()) {
            int before = ctx.liveArrays();
            // handed the white-box type on purpose: GCD must still use scores only
            Gcd.Models models = new Gcd.Models(Anchoring.fixed(w.generator()), guarded, SyntheticWorld.meanSquaredDistance());
            Gcd.Discovery d = Gcd.discover(ctx, models, source, small(2), null);
            assertEquals(before, ctx.liveArrays(), "discovery frees every native array");
            GcdResult r = d.result();
            assertEquals(1, r.sourceClass());
            assertEquals(4, r.directions().size());
            assertEquals(List.of("g", "h1", "h2", "h3"), r.directions().stream().map(GcdResult.Found::name).toList());
            assertEquals(2, r.history().size());
            assertEquals(256, r.history().get(0).dataSize());
            assertEquals(512, r.history().get(1).dataSize());
            assertTrue(r.history().get(1).proxy().scoreR2() > 0.95, "proxy fits the score: " + r.history().get(1).proxy());
            GcdResult.Found g = r.direction("g");
            // the logit follows z_0, so the g-direction (uphill) is close to +e_0
            assertTrue(g.vector()[0] > 0.8, "g ~ e_0: " + java.util.Arrays.toString(g.vector()));
            assertTrue(g.valid(), "the g-direction flips the source");
            assertTrue(g.probability() < 0.5 && g.step() > 0.5 && g.step() <= 3.0, g.toString());
            assertTrue(d.counterfactuals().containsKey("g"));
            // cost: 2 x 256 perturbations + 4 x 16 line-search codes + the reconstruction
            assertEquals(512 + 64 + 1, r.cost().decodedImages());
            assertEquals(guarded.images.get(), r.cost().classifierQueries(), "every image the classifier saw is counted");
            assertEquals(1 + 512 + 64, r.cost().classifierQueries());
            assertEquals("in-memory", r.provenance().models().get("synthetic-z0"));
            assertEquals(3L, r.provenance().seed());
            // JSON round trip
            r.write(dir);
            GcdResult back = GcdResult.read(dir);
            assertArrayEquals(g.vector(), back.direction("g").vector());
            assertTrue(Double.isNaN(back.direction("g").eigenvalue()));
            assertEquals(r.direction("h1").eigenvalue(), back.direction("h1").eigenvalue());

            // transfer to 24 other images: the g-direction is global here
            List<ImageData> images = w.images(77, 24);
            List<Transfer.ImageResult> seen = new ArrayList<>();
            int mid = ctx.liveArrays();
            Transfer.Summary s = Transfer.apply(ctx, Anchoring.fixed(w.generator()), BlackBoxClassifier.opaque(guarded),
                    SyntheticWorld.meanSquaredDistance(), images, r.asDirections(), small(2), seen::add);
            assertEquals(mid, ctx.liveArrays(), "transfer frees every native array");
            assertEquals(24, s.images());
            assertEquals(24, seen.size());
            assertTrue(s.rate("g").flipRate() >= 0.9, "g flip rate " + s.rate("g"));
            assertEquals(5, s.rates().size(), "g, h1..h3, h-combined");
            Transfer.Rate hc = s.rate("h-combined");
            for (String h : List.of("h1", "h2", "h3")) {
                assertTrue(hc.flipped() >= s.rate(h).flipped(), "combined is at least each h");
            }
            assertEquals(24L * 4 * 16, s.decoded());
            // images of both classes flip, with steps of opposite signs
            boolean pos = false;
            boolean neg = false;
            for (Transfer.ImageResult ir : seen) {
                LineSearch.Outcome o = ir.outcomes().get(0);
                if (o.found()) {
                    pos |= ir.imageClass() == 1 && o.bestStep() > 0;
                    neg |= ir.imageClass() == 0 && o.bestStep() < 0;
                }
            }
            assertTrue(pos && neg, "bright images go dark with s > 0 and dark ones bright with s < 0");
        }
    }

    @Test
    void aCheckpointedDiscoveryResumesWithMoreIterationsAndMatchesAFreshRun() {
        SyntheticWorld w = new SyntheticWorld(1);
        ImageData source = w.image(sourceCode());
        try (VcexContext ctx = VcexContext.builder().build()) {
            SyntheticWorld.GuardedClassifier c = w.new GuardedClassifier();
            Gcd.Models models = new Gcd.Models(Anchoring.fixed(w.generator()), BlackBoxClassifier.opaque(c),
                    SyntheticWorld.meanSquaredDistance());
            Path ck = dir.resolve("checkpoint");
            Gcd.discover(ctx, models, source, small(1), ck);
            assertTrue(Files.isRegularFile(ck.resolve("proxy-data.bin")));
            int decodedBefore = c.images.get();
            GcdResult resumed = Gcd.discover(ctx, models, source, small(2), ck).result();
            assertEquals(1, resumed.cost().resumedIterations());
            assertEquals(256 + 64 + 1, resumed.cost().decodedImages(), "only the second iteration's data is made");
            assertEquals(1 + 256 + 64, c.images.get() - decodedBefore);
            GcdResult fresh = Gcd.discover(ctx, models, source, small(2), null).result();
            float[] a = resumed.direction("g").vector();
            float[] b = fresh.direction("g").vector();
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-5, "resumed and fresh g-directions agree");
            }
            // training only the last proxy gives the same directions, with a shorter history
            GcdResult lastOnly = Gcd.discover(ctx, models, source, small(2).withProxyEvery(5), null).result();
            assertEquals(1, lastOnly.history().size());
            assertEquals(1, lastOnly.history().get(0).iteration());
            assertArrayEquals(fresh.direction("g").vector(), lastOnly.direction("g").vector());
            assertArrayEquals(fresh.direction("h2").vector(), lastOnly.direction("h2").vector());
            // another source image may not reuse this checkpoint
            ImageData other = w.image(new float[] {-1f, 0, 0, 0, 0, 0});
            VcexException e = assertThrows(VcexException.class, () -> Gcd.discover(ctx, models, other, small(2), ck));
            assertTrue(e.getMessage().contains("another source image"), e.getMessage());
        }
    }

    @Test
    void theGcdPackageNeverReachesForAGradientOfTheClassifier() throws IOException {
        Path src = Path.of("src/main/java/io/vcex/methods/gcd");
        assertTrue(Files.isDirectory(src), "run from the module folder");
        try (Stream<Path> files = Files.list(src)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f);
                String name = f.getFileName().toString();
                assertFalse(text.contains("WhiteBoxClassifier"), name + " mentions the white-box classifier type");
                assertFalse(text.contains(".logits("), name + " calls logits");
                assertFalse(text.contains("io.vcex.core.autograd"), name + " uses input gradients");
                assertFalse(text.contains("GradientCollector") || text.contains("setRequiresGradient"),
                        name + " uses autograd (the proxy trains by hand-written back-propagation in Java)");
            }
        }
    }

    @Test
    void aGeneratorOfAnotherSizeNeedsAnExplicitAdapter() {
        SyntheticWorld w = new SyntheticWorld(1);
        BlackBoxClassifier c = OneDimWorld.classifier();
        VcexException e = assertThrows(VcexException.class,
                () -> new Gcd.Models(Anchoring.fixed(w.generator()), c, SyntheticWorld.meanSquaredDistance()));
        assertTrue(e.getMessage().contains("resizing adapter"), e.getMessage());
        Anchoring up = Anchoring.resized(Anchoring.fixed(w.generator()), 2);
        assertEquals(new io.vcex.core.image.ImageSpec(3, 8, 8), up.imageSpec());
        assertTrue(up.description().contains("bilinear up-sampling x2"), up.description());
    }
}
