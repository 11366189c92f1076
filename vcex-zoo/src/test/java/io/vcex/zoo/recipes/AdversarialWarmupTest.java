package io.vcex.zoo.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vcex.zoo.train.PgdL2;
import org.junit.jupiter.api.Test;

class AdversarialWarmupTest {

    @Test
    void trainingIsCleanThenTheRadiusRampsUp() {
        ClassifierConfig robust = ClassifierRecipe.smileRobust().defaults();
        int steps = robust.train().steps();
        assertNull(ClassifierRecipe.warmedUp(robust, 0), "step 0 trains on clean images");
        assertNull(ClassifierRecipe.warmedUp(robust, (int) (0.3 * steps)), "the first 30% are clean");
        PgdL2 half = ClassifierRecipe.warmedUp(robust, (int) (0.45 * steps));
        assertEquals(robust.adversarial().epsilon() / 2, half.epsilon(), 1e-9);
        assertEquals(robust.adversarial().stepSize() / 2, half.stepSize(), 1e-9);
        assertEquals(robust.adversarial().steps(), half.steps());
        assertEquals(robust.adversarial(), ClassifierRecipe.warmedUp(robust, (int) (0.6 * steps)));
        assertEquals(robust.adversarial(), ClassifierRecipe.warmedUp(robust, steps - 1));
        assertNull(ClassifierRecipe.warmedUp(ClassifierRecipe.smile().defaults(), 500), "no attack without adversarial config");
    }
}
