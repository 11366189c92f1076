package io.vcex.zoo.recipes;

import io.vcex.core.VcexException;
import io.vcex.core.config.Check;
import io.vcex.core.config.ConfigException;
import io.vcex.data.world.FaceAttributes;
import io.vcex.data.world.WorldConfig;
import io.vcex.zoo.text.CaptionTokenizer;
import io.vcex.zoo.train.TrainSettings;
import java.util.List;

/**
 * MiniCLIP's recipe: a small CLIP trained with the symmetric InfoNCE loss on rendered faces of
 * the full world (counterfactual colours included) and captions made afresh every step.
 *
 * @param seed seed of the training faces, the weights, the batches and the captions; test faces
 *     use seed + 1000
 * @param world the faces world (default {@link WorldConfig#full()}: MiniCLIP should know concepts
 *     the generators never see); its size must be 64
 * @param trainCount training faces rendered (those with a held-out composition are then dropped)
 * @param testCount test faces for the figures (at least 5)
 * @param width image backbone width w (channels w, 2w, 2w, 4w, 4w)
 * @param tokenDim word embedding size
 * @param textChannels channels of the text encoder's convolutions
 * @param embeddingDim joint embedding size
 * @param maxTokens longest text in words (longer ones are truncated)
 * @param vocabulary {@code <pad>} then every word (default: the captioner's vocabulary, sorted);
 *     stored here so that a trained model describes itself
 * @param mention captioner: probability that a present attribute is named
 * @param negation captioner: probability that an absent attribute is named as absent (higher than
 *     the data sets' 0.15 so that negation is learned)
 * @param heldOut compositions whose faces are dropped from training (each part is still seen
 *     alone); the figures measure retrieval of them as "never seen together"
 * @param seenCompositions in-distribution compositions measured the same way, for comparison
 * @param train optimisation (batch = faces per contrastive batch)
 */
public record MiniClipConfig(long seed, WorldConfig world, int trainCount, int testCount, int width, int tokenDim,
        int textChannels, int embeddingDim, int maxTokens, List<String> vocabulary, double mention, double negation,
        List<Composition> heldOut, List<Composition> seenCompositions, TrainSettings train) {

    /** Fills defaults where noted and validates; errors name the field. */
    public MiniClipConfig {
        world = world == null ? WorldConfig.full() : world;
        if (world.size() != 64) {
            throw new ConfigException("world.size", world.size(), "MiniCLIP reads 64x64 images");
        }
        Check.positive("trainCount", trainCount);
        Check.range("testCount", testCount, 5, 1_000_000);
        Check.positive("width", width);
        Check.positive("tokenDim", tokenDim);
        Check.positive("textChannels", textChannels);
        Check.positive("embeddingDim", embeddingDim);
        Check.positive("maxTokens", maxTokens);
        vocabulary = vocabulary == null ? CaptionTokenizer.standardVocabulary() : List.copyOf(vocabulary);
        CaptionTokenizer tokenizer = new CaptionTokenizer(vocabulary, maxTokens);
        Check.probability("mention", mention);
        Check.probability("negation", negation);
        heldOut = heldOut == null ? List.of() : List.copyOf(heldOut);
        seenCompositions = seenCompositions == null ? List.of() : List.copyOf(seenCompositions);
        checkPrompts("heldOut", heldOut, tokenizer);
        checkPrompts("seenCompositions", seenCompositions, tokenizer);
        Check.present("train", train);
        if (train.batch() < 2 || train.batch() > trainCount) {
            throw new ConfigException("train.batch", train.batch(),
                    "a contrastive batch needs at least 2 faces and at most trainCount (" + trainCount + ")");
        }
    }

    private static void checkPrompts(String field, List<Composition> list, CaptionTokenizer tokenizer) {
        for (int i = 0; i < list.size(); i++) {
            try {
                tokenizer.encode(list.get(i).prompt());
            } catch (VcexException e) {
                throw new ConfigException(field + "[" + i + "].prompt", list.get(i).prompt(), e.getMessage());
            }
        }
    }

    /** @return the shipped model's config (seed 1, 20000 faces, width 24, 8000 steps of 128) */
    public static MiniClipConfig defaults() {
        return new MiniClipConfig(1, WorldConfig.full(), 20_000, 1_000, 24, 64, 128, 128,
                CaptionTokenizer.DEFAULT_MAX_LENGTH, CaptionTokenizer.standardVocabulary(), 0.6, 0.3,
                List.of(new Composition("hair_color=green", "hat", "a face with green hair and wearing a hat"),
                        new Composition("lipstick_color=purple", "beard", "a face with a beard and wearing purple lipstick")),
                List.of(new Composition("hair_color=blonde", "eyeglasses", "a face with blonde hair and with glasses")),
                new TrainSettings(8000, 128, 1e-3, 1e-4, 0.05, 200));
    }

    /**
     * @param value the optimisation settings
     * @return a copy with them
     */
    public MiniClipConfig withTrain(TrainSettings value) {
        return new MiniClipConfig(seed, world, trainCount, testCount, width, tokenDim, textChannels, embeddingDim,
                maxTokens, vocabulary, mention, negation, heldOut, seenCompositions, value);
    }

    /** @return the tokeniser of this config's vocabulary */
    public CaptionTokenizer tokenizer() {
        return new CaptionTokenizer(vocabulary, maxTokens);
    }

    /**
     * Two targets that hold together, with a prompt naming both.
     *
     * @param first a target of {@link Targets} (a binary attribute or {@code key=value})
     * @param second another target
     * @param prompt text naming both, for retrieval
     */
    public record Composition(String first, String second, String prompt) {

        /** Validates; errors name the field. */
        public Composition {
            String[] names = {"first", "second"};
            String[] values = {first, second};
            for (int i = 0; i < 2; i++) {
                if (values[i] == null || !Targets.known(values[i])) {
                    throw new ConfigException(names[i], values[i], "a binary attribute "
                            + FaceAttributes.BINARY + " or a categorical value such as hair_color=green");
                }
            }
            Check.present("prompt", prompt);
        }

        /**
         * @param face a face
         * @return whether it has both
         */
        public boolean holds(FaceAttributes face) {
            return Targets.holds(first, face) && Targets.holds(second, face);
        }

        /** @return "first+second", for metric names */
        public String label() {
            return first + "+" + second;
        }
    }
}
