package io.vcex.data.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CaptionerTest {

    @Test
    void captionsAreTruthfulAndUseOnlyTheVocabulary() {
        FacesWorld world = new FacesWorld(WorldConfig.full(), 9);
        Set<String> vocab = Captioner.vocabulary();
        int negations = 0;
        for (int i = 0; i < 400; i++) {
            WorldSample s = world.sample(i);
            FaceAttributes f = s.attributes();
            assertEquals(FacesWorld.CAPTIONS_PER_FACE, s.captions().size());
            for (String c : s.captions()) {
                for (String w : c.replace(",", "").split(" ")) {
                    assertTrue(vocab.contains(w), "word '" + w + "' of '" + c + "' is not in the vocabulary");
                }
                boolean saysGlasses = c.matches(".*\\b(with|wearing) (eye)?glasses.*|.*spectacles.*");
                if (saysGlasses) {
                    assertTrue(f.eyeglasses(), "face " + i + " caption '" + c + "' but no glasses");
                }
                if (c.contains("without glasses") || c.contains("no glasses")) {
                    assertFalse(f.eyeglasses(), c);
                    negations++;
                }
                if (c.contains("smiling") || c.contains("grinning") || c.contains("happy")) {
                    assertTrue(f.smiling(), c);
                }
                if (c.contains(" lipstick") && !c.contains("without") && !c.contains("no lipstick")) {
                    assertTrue(f.lipstick() != null && c.contains(f.lipstick().word() + " lipstick"), c);
                }
                if (c.contains(" hair") && !f.old()) {
                    assertTrue(c.contains(f.hairColor().word() + " hair"), c);
                }
            }
        }
        assertTrue(negations > 10, "negations are part of the captions: " + negations);
    }
}
