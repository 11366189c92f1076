package io.vcex.zoo.recipes;

import io.vcex.core.VcexException;
import io.vcex.core.config.Json;
import io.vcex.core.files.AtomicFiles;
import io.vcex.core.provenance.Hashing;
import io.vcex.core.provenance.Versions;
import io.vcex.zoo.card.ModelCard;
import io.vcex.zoo.nn.Net;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of recipes and what they share (config hashes, writing a model folder). */
public final class Recipes {
    /** Weights file name inside a model folder. */
    public static final String WEIGHTS = "weights.params";
    /** Card file name inside a model folder. */
    public static final String CARD = "card.json";

    private static final Map<String, Recipe<?, ?>> ALL = registry();

    private Recipes() {
    }

    private static Map<String, Recipe<?, ?>> registry() {
        Map<String, Recipe<?, ?>> m = new LinkedHashMap<>();
        for (Recipe<?, ?> r : List.<Recipe<?, ?>>of(ClassifierRecipe.smile(), ClassifierRecipe.old(),
                ClassifierRecipe.eyeglasses(), ClassifierRecipe.smileBiased(), ClassifierRecipe.smileRobust(),
                ClassifierRecipe.oracle(), FeatureNetRecipe.standard(), MiniClipRecipe.standard(), DiffusionRecipe.faces(),
                DiffusionRecipe.facesAutoencoder(), new StyleGenRecipe(), MnistNetRecipe.standard(), DiffusionRecipe.mnist(),
                DiffusionRecipe.mnistAutoencoder())) {
            m.put(r.name(), r);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** @return every recipe, in zoo order */
    public static List<Recipe<?, ?>> all() {
        return new ArrayList<>(ALL.values());
    }

    /**
     * @param name a zoo name
     * @return its recipe
     */
    public static Recipe<?, ?> get(String name) {
        Recipe<?, ?> r = ALL.get(name);
        if (r == null) {
            throw new VcexException("No zoo model named '" + name + "'; the zoo has " + ALL.keySet());
        }
        return r;
    }

    /**
     * @param config a config record
     * @return a short hash identifying it (checkpoints of another config are not resumed)
     */
    public static String configHash(Object config) {
        return Hashing.sha256(Json.write(config).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** @return the machine a model is trained on, for its card */
    public static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", Java " + Versions.java();
    }

    /**
     * Writes the weights, then the card made from their hash, into {@code modelDir} atomically
     * (a folder beside it is renamed into place).
     *
     * @param net the trained network
     * @param modelDir target folder (replaced)
     * @param card the card, given the weights' SHA-256 and size
     * @return the card written
     */
    public static ModelCard writeModel(Net net, Path modelDir, java.util.function.BiFunction<String, Long, ModelCard> card) {
        ModelCard[] written = new ModelCard[1];
        AtomicFiles.replaceDirectory(modelDir, CARD, tmp -> {
            net.save(tmp.resolve(WEIGHTS));
            written[0] = card.apply(Hashing.sha256(tmp.resolve(WEIGHTS)), Files.size(tmp.resolve(WEIGHTS)));
            Json.write(tmp.resolve(CARD), written[0]);
        });
        return written[0];
    }

    /**
     * @param modelDir a model folder
     * @param card its card (already updated)
     */
    public static void writeCard(Path modelDir, ModelCard card) {
        Json.write(modelDir.resolve(CARD), card);
    }
}
