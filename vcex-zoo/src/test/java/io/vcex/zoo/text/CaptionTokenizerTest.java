package io.vcex.zoo.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.VcexException;
import io.vcex.core.config.ConfigException;
import io.vcex.core.context.Rng;
import io.vcex.data.world.Captioner;
import io.vcex.data.world.FaceSampler;
import io.vcex.data.world.WorldConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionTokenizerTest {
    private final CaptionTokenizer tok = CaptionTokenizer.standard();

    private int id(String word) {
        return tok.vocabulary().indexOf(word);
    }

    @Test
    void vocabularyIsPaddingThenTheCaptionersWordsSorted() {
        List<String> v = tok.vocabulary();
        assertEquals(CaptionTokenizer.PAD, v.get(0));
        assertEquals(new ArrayList<>(Captioner.vocabulary()), v.subList(1, v.size()));
        for (int i = 2; i < v.size(); i++) {
            assertTrue(v.get(i - 1).compareTo(v.get(i)) < 0, "sorted at " + i);
        }
        assertEquals(Captioner.vocabulary().size() + 1, tok.size());
        assertEquals(48, tok.maxLength());
    }

    @Test
    void encodesLowerCaseWordsWithoutCommasAndPadsBatchesWithZero() {
        assertArrayEquals(new int[] {id("a"), id("face"), id("with"), id("glasses"), id("and"), id("bangs")},
                tok.encode("A Face with glasses,  and bangs"));
        int[][] batch = tok.encode(List.of("a face", "a cartoon face with a hat"));
        assertEquals(2, batch.length);
        assertArrayEquals(new int[] {id("a"), id("face"), 0, 0, 0, 0}, batch[0]);
        assertArrayEquals(new int[] {id("a"), id("cartoon"), id("face"), id("with"), id("a"), id("hat")}, batch[1]);
        assertEquals("a cartoon face with a hat", tok.decode(batch[1]));
        assertTrue(id("a") > 0 && id("with") > 0, "no word has the padding id");
    }

    @Test
    void longTextsAreTruncatedToTheMaximumLength() {
        CaptionTokenizer three = new CaptionTokenizer(CaptionTokenizer.standardVocabulary(), 3);
        assertArrayEquals(new int[] {id("a"), id("face"), id("with")}, three.encode("a face with glasses"));
        assertEquals(3, three.encode(List.of("a face with glasses", "a face"))[0].length);
    }

    @Test
    void unknownWordsNameTheWordThePromptAndCloseKnownWords() {
        var e = assertThrows(VcexException.class, () -> tok.encode("a face wiht glasses"));
        assertTrue(e.getMessage().contains("'wiht'") && e.getMessage().contains("'a face wiht glasses'")
                && e.getMessage().contains("'with'"), e.getMessage());
        var s = assertThrows(VcexException.class, () -> tok.encode("a person with sunglasses"));
        assertTrue(s.getMessage().contains("'sunglasses'") && s.getMessage().contains("'glasses'"), s.getMessage());
        var none = assertThrows(VcexException.class, () -> tok.encode("a zebra"));
        assertTrue(none.getMessage().contains("'zebra'") && none.getMessage().contains("known words are")
                && none.getMessage().contains("lipstick"), none.getMessage());
        var empty = assertThrows(VcexException.class, () -> tok.encode(" , "));
        assertTrue(empty.getMessage().contains("no words"), empty.getMessage());
    }

    @Test
    void badVocabulariesNameTheField() {
        var noPad = assertThrows(ConfigException.class, () -> new CaptionTokenizer(List.of("a", "face"), 48));
        assertEquals("vocabulary", noPad.field());
        var twice = assertThrows(ConfigException.class,
                () -> new CaptionTokenizer(List.of(CaptionTokenizer.PAD, "a", "face", "a"), 48));
        assertEquals("vocabulary[3]", twice.field());
        var upper = assertThrows(ConfigException.class, () -> new CaptionTokenizer(List.of(CaptionTokenizer.PAD, "Face"), 48));
        assertEquals("vocabulary[1]", upper.field());
    }

    @Test
    void everyCaptionOfTheWorldEncodesWithinTheMaximumLength() {
        FaceSampler sampler = new FaceSampler(WorldConfig.full());
        Captioner wordy = new Captioner(1.0, 1.0);
        Rng rng = new Rng(3);
        int longest = 0;
        for (int i = 0; i < 2000; i++) {
            String caption = wordy.caption(sampler.sample(rng.derive(i)), rng.derive("caption").derive(i));
            longest = Math.max(longest, CaptionTokenizer.words(caption).size());
            tok.encode(caption);
        }
        assertTrue(longest <= tok.maxLength() && longest > 20, "longest caption has " + longest + " words");
    }
}
