package io.vcex.methods.zoom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.context.VcexContext;
import io.vcex.data.world.Captioner;
import io.vcex.methods.testing.ToyStyleGenerator;
import io.vcex.methods.testing.ToyTextImageEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channel relevance, text directions and global edit directions on the toys, against hand computations. */
class ZoomDirectionTest {
    private static final float H = (float) (1 / Math.sqrt(2));

    /** unit(x) for a small vector. */
    private static double[] unit(double... x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        double n = Math.sqrt(s);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] / n;
        }
        return out;
    }

    /**
     * The toy encoder's unit embedding of a toy image whose styles are all s, with one red channel
     * moved by d: the red mean is 0.5 + 0.1 s + 0.05 d (half the pixels move), the others 0.5 + 0.1 s.
     */
    private static double[] redImage(double s, double d) {
        return unit(0.1 * s + 0.05 * d, 0.1 * s, 0.1 * s, 1);
    }

    @Test
    void relevanceOfTheToysMatchesTheHandComputation() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            int live = ctx.liveArrays();
            RelevanceMatrix m = ToyModels.fixedRelevance(ctx);
            assertEquals(live, ctx.liveArrays(), "no tensor outlives the measurement");
            // codes are +1 and -1 alternately: every channel has mean 0 and standard deviation exactly 1
            assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, m.std(), 1e-6f);
            // R_red = mean over s = +1, -1 of unit(unit(E(s, +5)) - unit(E(s, -5)))
            double[] expected = new double[4];
            for (double s : new double[] {1, -1}) {
                double[] plus = redImage(s, 5);
                double[] minus = redImage(s, -5);
                double[] d = unit(plus[0] - minus[0], plus[1] - minus[1], plus[2] - minus[2], plus[3] - minus[3]);
                for (int j = 0; j < 4; j++) {
                    expected[j] += d[j] / 2;
                }
            }
            for (int j = 0; j < 4; j++) {
                assertEquals(expected[j], m.relevance()[0][j], 1e-5, "coarse red channel, component " + j);
                // the fine red channel colours the bottom half: the same change of the means
                assertEquals(expected[j], m.relevance()[3][j], 1e-5, "fine red channel, component " + j);
            }
            assertTrue(expected[0] > 0.95, "moving the red channel moves the embedding along red: " + expected[0]);
            // the green channel is the red one with the first two axes swapped
            assertEquals(expected[0], m.relevance()[1][1], 1e-5);
            assertEquals(expected[1], m.relevance()[1][0], 1e-5);
            assertEquals("fine[2]", m.channelName(5));
        }
    }

    @Test
    void packingChannelsOrSplittingImagesOverCallsGivesTheSameRelevance() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            ToyTextImageEncoder enc = new ToyTextImageEncoder();
            ToyStyleGenerator toy = new ToyStyleGenerator();
            // 6 images: one channel per call in chunks of 2 (batch 4), one channel with all images (batch 12),
            // four channels per call (batch 48, the last call has two)
            RelevanceMatrix split = ChannelRelevance.compute(ctx, toy, enc, new RelevanceConfig(6, 5.0, 16, null, 4, 3L));
            for (int batch : new int[] {12, 48}) {
                RelevanceMatrix other = ChannelRelevance.compute(ctx, toy, enc, new RelevanceConfig(6, 5.0, 16, null, batch, 3L));
                assertArrayEquals(split.std(), other.std(), 1e-6f);
                for (int c = 0; c < 6; c++) {
                    assertArrayEquals(split.relevance()[c], other.relevance()[c], 1e-5f, "batch " + batch + ", channel " + c);
                }
            }
        }
    }

    @Test
    void textDirectionIsTheUnitDifferenceOfTemplateMeans() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager scope = ctx.newScope()) {
            Attribute red = AttributePrompts.parse("red", 0);
            assertEquals("a face with red", red.phrase());
            assertEquals("a face", red.neutral());
            float[] dt = TextDirection.of(new ToyTextImageEncoder(), scope, red, ToyModels.TEMPLATES, "paper");
            // "a face with red" embeds as (1,0,0,3), "a photo of a face with red" as (1,0,0,6); the
            // neutral phrases as (0,0,0,2) and (0,0,0,5), both unit (0,0,0,1)
            double[] t1 = unit(1, 0, 0, 3);
            double[] t2 = unit(1, 0, 0, 6);
            double[] mean = unit((t1[0] + t2[0]) / 2, 0, 0, (t1[3] + t2[3]) / 2);
            double[] expected = unit(mean[0], 0, 0, mean[3] - 1);
            for (int j = 0; j < 4; j++) {
                assertEquals(expected[j], dt[j], 1e-6, "component " + j);
            }
            float[] code = TextDirection.of(new ToyTextImageEncoder(), scope, red, ToyModels.TEMPLATES, "code");
            for (int j = 0; j < 4; j++) {
                assertEquals(-dt[j], code[j], 1e-7, "the authors' code's sign is the opposite");
            }
        }
    }

    @Test
    void theDirectionForRedPutsItsWeightOnTheRedChannels() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            RelevanceMatrix m = ToyModels.fixedRelevance(ctx);
            Zoom zoom = new Zoom(ToyModels.fixedSigns(), ToyModels.redVersusBlue(ToyModels.TOY, 10f), new ToyTextImageEncoder(),
                    m, ToyModels.quick(2, 1), null);
            List<EditDirection> d = zoom.directions(ctx, AttributePrompts.parseList("red,blue", 0));
            // green and blue channels have |delta_s| far below beta = 0.1; the two red channels pass with equal
            // relevance, so after the max-normalisation and the unit L2 length each is 1/sqrt(2)
            assertArrayEquals(new float[] {H, 0, 0, H, 0, 0}, d.get(0).direction(), 1e-6f);
            assertEquals(2, d.get(0).activeChannels());
            assertArrayEquals(new float[] {0, 0, H, 0, 0, H}, d.get(1).direction(), 1e-6f);
            assertTrue(d.get(0).relevance()[0] > 0.9 && Math.abs(d.get(0).relevance()[1]) < 0.1, "delta_s before the threshold");
        }
    }

    @Test
    void thresholdNormalisationAndStdScalingByHand() {
        // a relevance matrix written by hand: 3 channels in one layer, embedding length 2
        RelevanceMatrix m = new RelevanceMatrix(io.vcex.core.provenance.ModelInfo.inMemory("g"),
                io.vcex.core.provenance.ModelInfo.inMemory("e"), RelevanceConfig.defaults(),
                List.of(new io.vcex.core.generator.StyleLayer("l", 3, 4)), new float[] {1f, 2f, 3f},
                new float[][] {{0.5f, 0f}, {0f, 0.2f}, {0.05f, 0.05f}}, 0, null);
        Attribute a = new Attribute("x", "a face with x", "a face");
        // delta_s = R . (1, 1)/|.|: (0.354, 0.141, 0.071); beta 0.1 zeroes the third; / max: (1, 0.4, 0); unit
        float[] dt = {H, H};
        EditDirection d = EditDirection.of(a, dt, m, 0.1, false);
        double n = Math.sqrt(1 + 0.16);
        assertArrayEquals(new float[] {(float) (1 / n), (float) (0.4 / n), 0f}, d.direction(), 1e-6f);
        assertEquals(2, d.activeChannels());
        // with StyleCLIP's std scaling: (1 * 1, 0.4 * 2, 0) made unit
        EditDirection s = EditDirection.of(a, dt, m, 0.1, true);
        double ns = Math.sqrt(1 + 0.64);
        assertArrayEquals(new float[] {(float) (1 / ns), (float) (0.8 / ns), 0f}, s.direction(), 1e-6f);
        // the "std" weight unit: the same direction with the median channel std (2) as its length
        assertEquals(2.0, m.medianStd(), 0);
        EditDirection scaled = EditDirection.of(a, dt, m, 0.1, false, m.medianStd());
        assertArrayEquals(new float[] {(float) (2 / n), (float) (0.8 / n), 0f}, scaled.direction(), 1e-6f);
        assertEquals(2.0, scaled.scale());
        VcexException e = assertThrows(VcexException.class, () -> EditDirection.of(a, dt, m, 0.5, false));
        assertTrue(e.getMessage().contains("No style channel is relevant enough to the attribute 'x'")
                && e.getMessage().contains("0.3536"), e.getMessage());
    }

    @Test
    void unknownWordsAndUselessPhrasesAreClearErrors() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            Zoom zoom = new Zoom(new ToyStyleGenerator(), ToyModels.redVersusBlue(ToyModels.TOY, 10f), new ToyTextImageEncoder(),
                    ToyModels.fixedRelevance(ctx), ToyModels.quick(2, 1), null);
            int live = ctx.liveArrays();
            VcexException e = assertThrows(VcexException.class,
                    () -> zoom.directions(ctx, AttributePrompts.parseList("red,purple", 0)));
            assertTrue(e.getMessage().startsWith("Cannot phrase the attribute 'purple' (\"a face with purple\") for the "
                    + "text-image encoder 'toy-clip': Word 'purple' is not in"), e.getMessage());
            assertEquals(live, ctx.liveArrays(), "nothing leaks on the error path");
            VcexException same = assertThrows(VcexException.class, () -> zoom.directions(ctx, List.of(new Attribute("face",
                    "a face", "a face"))));
            assertTrue(same.getMessage().contains("embeds like the neutral phrase"), same.getMessage());
        }
        try (VcexContext ctx = VcexContext.builder().build()) {
            io.vcex.core.generator.StyleGenerator constant = new io.vcex.core.generator.StyleGenerator() {
                private final ToyStyleGenerator toy = new ToyStyleGenerator();

                @Override
                public io.vcex.core.provenance.ModelInfo info() {
                    return io.vcex.core.provenance.ModelInfo.inMemory("constant");
                }

                @Override
                public io.vcex.core.image.ImageSpec imageSpec() {
                    return toy.imageSpec();
                }

                @Override
                public List<io.vcex.core.generator.StyleLayer> styleLayers() {
                    return toy.styleLayers();
                }

                @Override
                public int wDim() {
                    return 3;
                }

                @Override
                public int numWs() {
                    return 2;
                }

                @Override
                public ai.djl.ndarray.NDArray sampleWPlus(NDManager manager, io.vcex.core.context.Rng rng, int count, float psi) {
                    return manager.zeros(new ai.djl.ndarray.types.Shape(count, 2, 3));
                }

                @Override
                public io.vcex.core.generator.StyleCode styles(ai.djl.ndarray.NDArray wPlus) {
                    return toy.styles(wPlus);
                }

                @Override
                public ai.djl.ndarray.NDArray synthesize(io.vcex.core.generator.StyleCode styles) {
                    return toy.synthesize(styles);
                }

                @Override
                public ai.djl.ndarray.NDArray encode(ai.djl.ndarray.NDArray images) {
                    return toy.encode(images);
                }
            };
            VcexException flat = assertThrows(VcexException.class, () -> ChannelRelevance.compute(ctx, constant,
                    new ToyTextImageEncoder(), new RelevanceConfig(2, 5.0, 4, null, 4, 0L)));
            assertTrue(flat.getMessage().contains("samples codes whose styles do not vary"), flat.getMessage());
        }
        VcexException twice = assertThrows(VcexException.class, () -> AttributePrompts.parseList("hat,hat", 0));
        assertTrue(twice.getMessage().contains("named twice"), twice.getMessage());
    }

    @Test
    void phrasebookPhrasesVariantsAndClassPrompts() {
        assertEquals("a face with eyeglasses", AttributePrompts.parse("eyeglasses", 0).phrase());
        assertEquals("a person with glasses", AttributePrompts.parse("eyeglasses", 1).phrase());
        assertEquals("a person", AttributePrompts.parse("eyeglasses", 1).neutral());
        assertEquals("a cartoon face with spectacles", AttributePrompts.parse("glasses", 2).phrase());
        assertEquals("a face wearing glasses", AttributePrompts.parse("eyeglasses", 3).phrase());
        assertEquals("an old face", AttributePrompts.parse("old", 0).phrase());
        assertEquals("an elderly person", AttributePrompts.parse("old", 1).phrase());
        assertEquals("a face wearing a hat", AttributePrompts.parse("hat", 0).phrase());
        Attribute blonde = AttributePrompts.parse("hair_color=blonde", 0);
        assertEquals("blonde hair", blonde.name());
        assertEquals("a face with blonde hair", blonde.phrase());
        assertEquals("blonde hair", AttributePrompts.parse("blonde-hair", 0).name());
        Attribute free = AttributePrompts.parse("cap=a person wearing a hat", 0);
        assertEquals(new Attribute("cap", "a person wearing a hat", "a person"), free);
        assertEquals("a face with a hat", AttributePrompts.parse("a face with a hat", 0).phrase());
        assertEquals(List.of("a serious face", "a smiling face"), AttributePrompts.classPhrases(List.of("not smiling", "smiling")));
        assertEquals(List.of("a face without glasses", "a face with eyeglasses"),
                AttributePrompts.classPhrases(List.of("not eyeglasses", "eyeglasses")));
        assertEquals(List.of("an old face", "a young face"), AttributePrompts.classPhrases(List.of("old", "not old")));
        VcexException e = assertThrows(VcexException.class, () -> AttributePrompts.classPhrases(List.of("cat", "dog")));
        assertTrue(e.getMessage().contains("Cannot phrase the class 'cat'") && e.getMessage().contains("--class-prompts"),
                e.getMessage());
    }

    @Test
    void everyBuiltInPhraseUsesOnlyWordsMiniClipKnows() {
        Set<String> vocabulary = Captioner.vocabulary();
        List<String> texts = new ArrayList<>();
        List<String> names = List.of("eyeglasses", "hat", "mustache", "beard", "bangs", "lipstick", "old", "young", "smiling",
                "black hair", "brown hair", "blonde hair", "red hair", "grey hair", "blue hair", "green hair", "pink hair",
                "purple hair", "red lipstick", "purple lipstick");
        for (int v = 0; v < AttributePrompts.VARIANTS; v++) {
            for (String n : names) {
                Attribute a = AttributePrompts.parse(n, v);
                texts.addAll(AttributePrompts.expand(a.phrase(), AttributePrompts.TEMPLATES));
                texts.addAll(AttributePrompts.expand(a.neutral(), AttributePrompts.TEMPLATES));
            }
        }
        for (String c : List.of("smiling", "eyeglasses", "old", "hat", "mustache", "beard", "bangs", "lipstick")) {
            texts.addAll(AttributePrompts.classPhrases(List.of("not " + c, c)));
        }
        for (String t : texts) {
            for (String w : t.split(" ")) {
                assertTrue(vocabulary.contains(w), "'" + w + "' of \"" + t + "\" is not a faces-world word");
            }
        }
    }

    @Test
    void relevanceIsCachedPerModelsAndSettings(@TempDir Path dir) throws Exception {
        try (VcexContext ctx = VcexContext.builder().build()) {
            RelevanceConfig config = new RelevanceConfig(2, 5.0, 2, null, 4, 0L);
            ToyTextImageEncoder enc = new ToyTextImageEncoder();
            RelevanceMatrix first = ChannelRelevance.cached(ctx, ToyModels.fixedSigns(), enc, config, dir);
            Path file = ChannelRelevance.cacheFile(dir, ToyModels.fixedSigns(), enc, config);
            assertTrue(Files.isRegularFile(file));
            assertTrue(file.getFileName().toString().startsWith("relevance-toy-style-toy-clip-"), file.toString());
            // a marker proves the second call reads the file rather than measuring again
            String marked = Files.readString(file).replace("\"seconds\" : " + first.seconds(), "\"seconds\" : 12345.0");
            Files.writeString(file, marked);
            RelevanceMatrix second = ChannelRelevance.cached(ctx, ToyModels.fixedSigns(), enc, config, dir);
            assertEquals(12345.0, second.seconds());
            assertArrayEquals(first.relevance()[0], second.relevance()[0]);
            assertEquals(2, second.config().samples());
            assertTrue(second.provenance().models().containsKey("toy-style"));
            // other settings, other file
            Path other = ChannelRelevance.cacheFile(dir, ToyModels.fixedSigns(), enc, new RelevanceConfig(2, 3.0, 2, null, 4, 0L));
            assertNotEquals(file, other);
            // the batch size does not change the key
            assertEquals(file, ChannelRelevance.cacheFile(dir, ToyModels.fixedSigns(), enc, new RelevanceConfig(2, 5.0, 2, null, 16, 0L)));
            // a shipped file is found whatever settings it was measured with, for these models only
            RelevanceMatrix shipped = ChannelRelevance.shipped(dir, ToyModels.fixedSigns(), enc);
            assertEquals(12345.0, shipped.seconds());
            assertEquals(2, shipped.config().samples());
            // the same file name, measured on another encoder's weights: not taken
            Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
            Files.writeString(elsewhere.resolve(file.getFileName()), Files.readString(file).replaceFirst(
                    "(\"name\" : \"toy-clip\",\\s*\"fileSha256\" : \\{)", "$1 \"weights.params\" : \"0123\""));
            assertNotEquals(Files.readString(file), Files.readString(elsewhere.resolve(file.getFileName())));
            assertNull(ChannelRelevance.shipped(elsewhere, ToyModels.fixedSigns(), enc));
            assertNull(ChannelRelevance.shipped(dir.resolve("missing"), ToyModels.fixedSigns(), enc));
        }
    }
}
