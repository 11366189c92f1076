package io.vcex.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.core.provenance.Hashing;
import io.vcex.zoo.card.ModelCard;
import io.vcex.zoo.recipes.Recipe;
import io.vcex.zoo.recipes.Recipes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract every recipe keeps, checked on its tiny configuration. */
class RecipeContractTest {
    @TempDir
    Path dir;

    static Stream<String> recipes() {
        return Recipes.all().stream().map(Recipe::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void tinyConfigTrainsShipsLoadsAndReEvaluatesToItsCard(String name) {
        check(Recipes.get(name));
    }

    private <C> void check(Recipe<C, ?> recipe) {
        C tiny = recipe.tiny();
        assertEquals(tiny, Json.parse(Json.write(tiny), recipe.configType(), "round trip"), "config survives JSON");
        Path models = dir.resolve("models");
        try (VcexContext ctx = VcexContext.builder().build()) {
            ModelCard card = recipe.train(ctx, tiny, models.resolve(recipe.name()), dir.resolve("work"));
            assertEquals(recipe.name(), card.name());
            assertEquals(Hashing.sha256(models.resolve(recipe.name()).resolve(card.weightsFile())), card.weightsSha256());
            assertTrue(card.parameters() > 0 && card.weightsBytes() > 4 * card.parameters() / 2);
            assertFalse(card.metrics().isEmpty());
            assertFalse(card.description().isBlank());
            Zoo zoo = new Zoo(models);
            assertEquals(Json.write(card), Json.write(zoo.verified(recipe.name())), "the card reads back as written");
            int before = ctx.liveArrays();
            Object model = zoo.load(ctx, recipe.name());
            if (model instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            assertEquals(before, ctx.liveArrays(), "closing the model frees its weights");
            Map<String, Double> again = recipe.evaluate(ctx, Zoo.configOf(recipe, card, "card"), models.resolve(recipe.name()));
            assertEquals(card.metrics(), new java.util.TreeMap<>(again), "evaluation is deterministic: zoo eval reproduces the card");
        }
        assertTrue(Files.exists(dir.resolve("work/checkpoint/state.json")));
    }
}
