package io.vcex.zoo;

import io.vcex.core.VcexException;
import io.vcex.core.VcexHome;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.config.Json;
import io.vcex.core.features.ImageFeatures;
import io.vcex.core.generator.StyleGenerator;
import io.vcex.core.text.TextImageEncoder;
import io.vcex.core.context.VcexContext;
import io.vcex.core.provenance.Hashing;
import io.vcex.zoo.card.ModelCard;
import io.vcex.zoo.recipes.Recipe;
import io.vcex.zoo.recipes.Recipes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shipped models: {@code models/NAME/card.json} and {@code models/NAME/weights.params} under
 * the vcex home. Loading checks the weights' SHA-256 against the card first, so a missing,
 * truncated or replaced file is reported as such, naming the file and how to re-make it.
 */
public final class Zoo {
    private final Path root;

    /** @param root the models folder */
    public Zoo(Path root) {
        this.root = root;
    }

    /** @return the zoo shipped in the repository ({@code models/} under the vcex home) */
    public static Zoo builtIn() {
        return new Zoo(VcexHome.resolve("models"));
    }

    /** @return the models folder */
    public Path root() {
        return root;
    }

    /**
     * @param name a zoo name
     * @return its folder
     */
    public Path folder(String name) {
        return root.resolve(name);
    }

    /** @return the cards of every recipe's model that is present, in zoo order */
    public List<ModelCard> cards() {
        List<ModelCard> out = new ArrayList<>();
        for (Recipe<?, ?> r : Recipes.all()) {
            if (Files.isRegularFile(folder(r.name()).resolve(Recipes.CARD))) {
                out.add(card(r.name()));
            }
        }
        return out;
    }

    /**
     * @param name a zoo name
     * @return its card
     */
    public ModelCard card(String name) {
        Recipes.get(name);
        Path card = folder(name).resolve(Recipes.CARD);
        if (!Files.isRegularFile(card)) {
            throw new VcexException("Zoo model '" + name + "' is not in " + root + " (no " + card.getFileName()
                    + "); make it with: ./vcex zoo train " + name);
        }
        return Json.read(card, ModelCard.class);
    }

    /**
     * @param name a zoo name
     * @return its card, after checking that the weights file exists and matches the card's hash
     */
    public ModelCard verified(String name) {
        ModelCard card = card(name);
        Path weights = folder(name).resolve(card.weightsFile());
        if (!Files.isRegularFile(weights)) {
            throw new VcexException("Weights of zoo model '" + name + "' are missing: " + weights
                    + "; restore the file from the repository or re-make it with ./vcex zoo train " + name);
        }
        String actual = Hashing.sha256(weights);
        if (!actual.equals(card.weightsSha256())) {
            throw new VcexException("Weights of zoo model '" + name + "' are corrupt or were replaced: " + weights
                    + " has SHA-256 " + actual + " but its card says " + card.weightsSha256()
                    + "; restore the file from the repository or re-make it with ./vcex zoo train " + name);
        }
        return card;
    }

    /**
     * @param ctx the context that will own the weights
     * @param name a zoo name
     * @return the model, loaded after the hash check
     */
    public Object load(VcexContext ctx, String name) {
        ModelCard card = verified(name);
        return loadWith(ctx, Recipes.get(name), card, folder(name));
    }

    private <C, M> M loadWith(VcexContext ctx, Recipe<C, M> recipe, ModelCard card, Path dir) {
        return recipe.load(ctx, configOf(recipe, card, dir.resolve(Recipes.CARD).toString()), dir);
    }

    /**
     * @param recipe a recipe
     * @param card a card it wrote
     * @param source where the card came from, for messages
     * @param <C> config type
     * @return the config recorded in the card; a config the recipe no longer accepts is an error
     *     naming the card and the field
     */
    public static <C> C configOf(Recipe<C, ?> recipe, ModelCard card, String source) {
        return Json.parse(card.recipe().toString(), recipe.configType(), source + " (recipe)");
    }

    /**
     * @param ctx the context that will own the weights
     * @param name the zoo name of a feature network
     * @return it, loaded after the hash check
     */
    public ImageFeatures features(VcexContext ctx, String name) {
        return as(ctx, name, ImageFeatures.class, "feature network");
    }

    /**
     * @param ctx the context that will own the weights
     * @param name the zoo name of a text-image encoder
     * @return it, loaded after the hash check
     */
    public TextImageEncoder textImageEncoder(VcexContext ctx, String name) {
        return as(ctx, name, TextImageEncoder.class, "text-image encoder");
    }

    /**
     * @param ctx the context that will own the weights
     * @param name the zoo name of a style generator (for example {@code stylegen})
     * @return it, loaded after the hash check
     */
    public StyleGenerator styleGenerator(VcexContext ctx, String name) {
        return as(ctx, name, StyleGenerator.class, "style generator");
    }

    private <T> T as(VcexContext ctx, String name, Class<T> type, String what) {
        String kind = card(name).kind();
        Object m = load(ctx, name);
        if (type.isInstance(m)) {
            return type.cast(m);
        }
        if (m instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // closing frees native memory; nothing else to report
            }
        }
        throw new VcexException("Zoo model '" + name + "' is a " + kind + ", not a " + what);
    }

    /**
     * @param ctx the context that will own the weights
     * @param name the zoo name of a classifier
     * @return the classifier
     */
    public WhiteBoxClassifier classifier(VcexContext ctx, String name) {
        return as(ctx, name, WhiteBoxClassifier.class, "classifier");
    }
}
