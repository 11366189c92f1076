package io.vcex.methods.zoom;

import io.vcex.core.VcexException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns attribute names into prompts a text-image encoder of the faces world can read, and names
 * the classifier's classes for ZOOM's keep-the-class term.
 *
 * <p>An attribute is given as {@code name=phrase} (taken as is), as a phrase that already names the
 * subject ("a face with a hat", "an old person": taken as is), or as a short name. Short names
 * of the faces world (eyeglasses, hat, mustache, beard, bangs, lipstick, old, young, smiling, and
 * colours of hair or lipstick such as "blonde hair") have a phrasebook entry with synonyms;
 * any other word becomes "a face with WORD". Every word must be in the encoder's vocabulary
 * (MiniCLIP knows only the 58 words of faces-world captions); an unknown one is an error naming it.
 *
 * <p>Phrasing variants (appendix A.3, "stability across CLIP phrasing") change the noun and the
 * synonym: variant 0 "a face with eyeglasses", 1 "a person with glasses", 2 "a cartoon face with
 * spectacles", 3 "a face wearing glasses"; each variant subtracts its own neutral phrase ("a face",
 * "a person", "a cartoon face").
 *
 * <p>Prompt templates play the role of the authors' 80 ImageNet templates ("a bad photo of a
 * {}", ...), which MiniCLIP cannot read: the five caption prefixes of the faces world.
 */
public final class AttributePrompts {
    /** The templates: "{}" is replaced by the phrase. The faces-world captioner's prefixes. */
    public static final List<String> TEMPLATES = List.of("{}", "a photo of {}", "a picture of {}", "a drawing of {}",
            "a cartoon of {}");
    /** The neutral prompt of the authors' face experiments. */
    public static final String NEUTRAL = "a face";
    /** How many phrasing variants {@link #phrase} knows. */
    public static final int VARIANTS = 4;

    private static final List<String> NOUNS = List.of("face", "person", "cartoon face", "face");
    private static final List<String> COLOURS = List.of("black", "brown", "blonde", "red", "grey", "gray", "blue", "green",
            "pink", "purple", "orange");

    /**
     * A phrasebook entry: adjectives ("old") go before the noun, complements ("with glasses")
     * after it; the negative forms describe a face without the attribute.
     */
    private record Entry(List<String> adjectives, List<String> complements, List<String> notAdjectives,
            List<String> notComplements) {
    }

    private static final Map<String, Entry> BOOK = book();

    private static Map<String, Entry> book() {
        Map<String, Entry> m = new LinkedHashMap<>();
        Entry glasses = new Entry(List.of(), List.of("with eyeglasses", "with glasses", "with spectacles", "wearing glasses"),
                List.of(), List.of("without glasses"));
        m.put("eyeglasses", glasses);
        m.put("glasses", glasses);
        m.put("spectacles", glasses);
        m.put("hat", new Entry(List.of(), List.of("wearing a hat", "with a hat"), List.of(), List.of("without a hat")));
        Entry mustache = new Entry(List.of(), List.of("with a mustache", "with a moustache"), List.of(),
                List.of("without a mustache"));
        m.put("mustache", mustache);
        m.put("moustache", mustache);
        m.put("beard", new Entry(List.of(), List.of("with a beard", "with a full beard"), List.of(), List.of("without a beard")));
        Entry bangs = new Entry(List.of(), List.of("with bangs", "with a fringe"), List.of(), List.of("without bangs"));
        m.put("bangs", bangs);
        m.put("fringe", bangs);
        m.put("lipstick", new Entry(List.of(), List.of("wearing lipstick", "with lipstick"), List.of(), List.of("without lipstick")));
        Entry old = new Entry(List.of("old", "elderly"), List.of(), List.of("young"), List.of());
        m.put("old", old);
        m.put("elderly", old);
        m.put("young", new Entry(List.of("young"), List.of(), List.of("old"), List.of()));
        Entry smiling = new Entry(List.of("smiling", "happy", "grinning"), List.of(), List.of("serious", "neutral"), List.of());
        m.put("smiling", smiling);
        m.put("smile", smiling);
        m.put("happy", smiling);
        for (String c : COLOURS) {
            m.put(c + " hair", new Entry(List.of(), List.of("with " + c + " hair"), List.of(), List.of()));
            m.put(c + " lipstick", new Entry(List.of(), List.of("wearing " + c + " lipstick", "with " + c + " lipstick",
                    "with " + c + " lips"), List.of(), List.of()));
        }
        return m;
    }

    private AttributePrompts() {
    }

    /**
     * @param list comma-separated attributes ("eyeglasses,hat,blonde hair,old=an elderly face")
     * @param variant phrasing variant, 0 to {@link #VARIANTS} - 1
     * @return the attributes, in order
     */
    public static List<Attribute> parseList(String list, int variant) {
        List<Attribute> out = new ArrayList<>();
        for (String part : list.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part.trim(), variant));
            }
        }
        if (out.isEmpty()) {
            throw new VcexException("No attributes given; name some, for example \"eyeglasses,hat,mustache\"");
        }
        if (out.stream().map(Attribute::name).distinct().count() != out.size()) {
            throw new VcexException("An attribute is named twice in \"" + list + "\"");
        }
        return out;
    }

    /**
     * @param spec "name=phrase", a full phrase, or a short name
     * @param variant phrasing variant
     * @return the attribute
     */
    public static Attribute parse(String spec, int variant) {
        if (variant < 0 || variant >= VARIANTS) {
            throw new VcexException("Phrasing variant " + variant + " does not exist; there are " + VARIANTS);
        }
        int eq = spec.indexOf('=');
        if (eq > 0 && !spec.startsWith("hair_color=") && !spec.startsWith("lipstick_color=")) {
            String name = spec.substring(0, eq).trim();
            String phrase = spec.substring(eq + 1).trim();
            if (name.isEmpty() || phrase.isEmpty()) {
                throw new VcexException("Attribute \"" + spec + "\" needs a name and a phrase: name=phrase");
            }
            return new Attribute(name, phrase, neutralFor(phrase));
        }
        String key = normalise(spec);
        Entry e = BOOK.get(key);
        if (e != null) {
            return new Attribute(key, positive(e, variant), neutral(variant));
        }
        List<String> words = List.of(key.split(" "));
        if (words.contains("face") || words.contains("person")) {
            return new Attribute(key, key, neutralFor(key));
        }
        return new Attribute(key, "a " + NOUNS.get(variant) + " with " + key, neutral(variant));
    }

    /**
     * @param variant phrasing variant
     * @return its neutral phrase ("a face", "a person", "a cartoon face")
     */
    public static String neutral(int variant) {
        return article(NOUNS.get(variant)) + " " + NOUNS.get(variant);
    }

    /** The neutral phrase for a free phrase: the default, or "a person" when it speaks of a person. */
    private static String neutralFor(String phrase) {
        return List.of(phrase.toLowerCase(Locale.ROOT).split("\\s+")).contains("person") ? "a person" : NEUTRAL;
    }

    /**
     * @param spec what the user wrote
     * @return the phrasebook key: lower case, '_' and '-' as spaces, "hair_color=X" as "X hair"
     */
    static String normalise(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("hair_color=")) {
            return s.substring("hair_color=".length()) + " hair";
        }
        if (s.startsWith("lipstick_color=")) {
            return s.substring("lipstick_color=".length()) + " lipstick";
        }
        return s.replace('_', ' ').replace('-', ' ').replaceAll("\\s+", " ");
    }

    private static String positive(Entry e, int variant) {
        return subject(e.adjectives(), e.complements(), variant);
    }

    private static String subject(List<String> adjectives, List<String> complements, int variant) {
        String noun = NOUNS.get(variant);
        String head = adjectives.isEmpty() ? noun : adjectives.get(variant % adjectives.size()) + " " + noun;
        String tail = complements.isEmpty() ? "" : " " + complements.get(variant % complements.size());
        return article(head) + " " + head + tail;
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    /**
     * The phrases of a classifier's classes for the term that keeps the true class (its text-image
     * logits are taken over these): "smiling" gives "a smiling face", "not smiling" "a serious
     * face", "not eyeglasses" "a face without glasses".
     *
     * @param classNames the classifier's class names
     * @return one phrase per class
     */
    public static List<String> classPhrases(List<String> classNames) {
        List<String> out = new ArrayList<>();
        for (String c : classNames) {
            String s = c.trim().toLowerCase(Locale.ROOT);
            boolean negative = s.startsWith("not ") || s.startsWith("no ") || s.startsWith("non-");
            String key = normalise(negative ? s.substring(s.indexOf(s.startsWith("non-") ? '-' : ' ') + 1) : s);
            Entry e = BOOK.get(key);
            if (e == null || (negative && e.notAdjectives().isEmpty() && e.notComplements().isEmpty())) {
                throw new VcexException("Cannot phrase the class '" + c + "' for the text-image encoder's keep-the-class term "
                        + "(it knows faces-world attributes such as smiling, eyeglasses, old); give one phrase per class "
                        + "with --class-prompts, or drop the term with --clip-weight 0");
            }
            out.add(negative ? subject(e.notAdjectives(), e.notComplements(), 0) : positive(e, 0));
        }
        return out;
    }

    /**
     * @param phrase a phrase
     * @param templates templates with "{}"
     * @return the phrase in every template
     */
    public static List<String> expand(String phrase, List<String> templates) {
        return templates.stream().map(t -> t.replace("{}", phrase)).toList();
    }
}
