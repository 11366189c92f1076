package io.vcex.data.world;

import io.vcex.core.context.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Captions a face from templates with synonyms, truthfully: a caption names some of the face's
 * attributes (each present one with a fixed probability) and sometimes says what the face lacks
 * ("without glasses"), so a text encoder trained on them learns negation too. Colour words come
 * from the attribute values, counterfactual ones included.
 */
public final class Captioner {
    private static final List<String> PREFIXES = List.of("", "a photo of ", "a picture of ", "a drawing of ",
            "a cartoon of ");
    private static final List<String> NOUNS = List.of("face", "person", "cartoon face");
    private static final List<String> SMILING = List.of("smiling", "happy", "grinning");
    private static final List<String> NOT_SMILING = List.of("", "", "neutral", "serious");
    private static final List<String> OLD = List.of("old", "elderly");
    private static final List<String> YOUNG = List.of("", "", "young");

    private final double mention;
    private final double negation;

    /**
     * @param mention probability that a present attribute is named
     * @param negation probability that an absent binary attribute is named as absent
     */
    public Captioner(double mention, double negation) {
        this.mention = mention;
        this.negation = negation;
    }

    /** @return the captioner used for data sets: mention 0.6, negation 0.15 */
    public static Captioner standard() {
        return new Captioner(0.6, 0.15);
    }

    /**
     * @param f the face
     * @param rng the caption's random stream
     * @param count how many captions
     * @return captions, each different where possible
     */
    public List<String> captions(FaceAttributes f, Rng rng, int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count * 4 && out.size() < count; i++) {
            String c = caption(f, rng);
            if (!out.contains(c)) {
                out.add(c);
            }
        }
        while (out.size() < count) {
            out.add(caption(f, rng));
        }
        return out;
    }

    /**
     * @param f the face
     * @param rng random stream
     * @return one caption
     */
    public String caption(FaceAttributes f, Rng rng) {
        String age = f.old() ? rng.choose(OLD) : rng.choose(YOUNG);
        String mood = f.smiling() ? rng.choose(SMILING) : rng.choose(NOT_SMILING);
        String noun = rng.choose(NOUNS);
        StringBuilder subject = new StringBuilder();
        for (String w : new String[] {age, mood, noun}) {
            if (!w.isEmpty()) {
                subject.append(subject.length() == 0 ? "" : " ").append(w);
            }
        }
        String head = rng.choose(PREFIXES) + article(subject.toString()) + " " + subject;
        List<String> with = new ArrayList<>();
        phrase(with, rng, f.eyeglasses(), List.of("with glasses", "with eyeglasses", "wearing glasses", "with spectacles"),
                List.of("without glasses", "with no glasses"));
        phrase(with, rng, f.hat(), List.of("wearing a " + f.hatColor().word() + " hat", "with a "
                + f.hatColor().word() + " hat", "wearing a hat", "with a hat"), List.of("without a hat", "with no hat"));
        phrase(with, rng, f.mustache(), List.of("with a mustache", "with a moustache"),
                List.of("without a mustache"));
        phrase(with, rng, f.beard(), List.of("with a beard", "with a full beard", "bearded"), List.of("without a beard",
                "clean-shaven"));
        phrase(with, rng, f.bangs(), List.of("with bangs", "with a fringe"), List.of("without bangs"));
        if (f.lipstick() != null) {
            String c = f.lipstick().word();
            phrase(with, rng, true, List.of("wearing " + c + " lipstick", "with " + c + " lipstick", "with " + c + " lips"),
                    List.of());
        } else {
            phrase(with, rng, false, List.of(), List.of("without lipstick", "with no lipstick"));
        }
        if (rng.bernoulli(mention * 0.8)) {
            String c = f.hairColor().word();
            with.add(f.old() ? rng.choose(List.of("with grey hair", "with gray hair")) : "with " + c + " hair");
        }
        if (rng.bernoulli(mention * 0.4)) {
            with.add("with " + f.skinTone().word() + " skin");
        }
        if (rng.bernoulli(mention * 0.4)) {
            with.add(rng.choose(List.of("on a ", "in front of a ")) + f.background().word() + " background");
        }
        int[] order = rng.permutation(with.size());
        StringBuilder s = new StringBuilder(head);
        for (int k = 0; k < order.length; k++) {
            s.append(k == 0 ? " " : k == order.length - 1 ? " and " : ", ").append(with.get(order[k]));
        }
        return s.toString();
    }

    private void phrase(List<String> with, Rng rng, boolean present, List<String> yes, List<String> no) {
        if (present) {
            if (rng.bernoulli(mention)) {
                with.add(rng.choose(yes));
            }
        } else if (!no.isEmpty() && rng.bernoulli(negation)) {
            with.add(rng.choose(no));
        }
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    /**
     * @return every word a caption can contain (for a closed tokeniser vocabulary), sorted
     */
    public static Set<String> vocabulary() {
        Set<String> words = new TreeSet<>();
        List<String> phrases = new ArrayList<>(List.of("a an photo of picture drawing cartoon face person",
                "smiling happy grinning neutral serious old elderly young with without wearing no glasses eyeglasses",
                "spectacles hat mustache moustache beard full bearded clean-shaven bangs fringe lipstick lips hair",
                "grey gray skin on in front background and"));
        for (Class<? extends WorldColor> type : List.of(HairColor.class, LipstickColor.class, SkinTone.class,
                BackgroundColor.class, HatColor.class)) {
            for (WorldColor c : type.getEnumConstants()) {
                phrases.add(c.word());
            }
        }
        for (String p : phrases) {
            for (String w : p.split(" ")) {
                words.add(w);
            }
        }
        return words;
    }
}
