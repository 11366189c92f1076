package io.vcex.zoo.text;

import io.vcex.core.VcexException;
import io.vcex.core.config.ConfigException;
import io.vcex.data.world.Captioner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns prompts into word ids over a closed vocabulary: lower-case, commas dropped, split on white
 * space, each word looked up; id 0 is {@link #PAD}. Texts longer than {@link #maxLength()} words
 * are truncated. A word outside the vocabulary is an error that names the word and the prompt and
 * suggests close known words, because an encoder trained on faces-world captions has no meaning
 * for it (a silent unknown-word token would give a confident but meaningless embedding).
 *
 * <p>The vocabulary is data, not code: the recipe stores it in the model's config (and so in its
 * card), and a loaded model rebuilds its tokeniser from there, so a model stays self-describing
 * even if the captioner's word list changes later.
 */
public final class CaptionTokenizer {
    /** The padding token, always at index 0. */
    public static final String PAD = "<pad>";
    /** Default longest text, in words (faces-world captions have at most about 40). */
    public static final int DEFAULT_MAX_LENGTH = 48;

    private final List<String> vocabulary;
    private final Map<String, Integer> index;
    private final int maxLength;

    /**
     * @param vocabulary {@link #PAD} first, then distinct lower-case words without spaces or commas
     * @param maxLength longest text in words; longer ones are truncated
     */
    public CaptionTokenizer(List<String> vocabulary, int maxLength) {
        if (maxLength < 1) {
            throw new ConfigException("maxTokens", maxLength, "must be a positive whole number");
        }
        if (vocabulary == null || vocabulary.size() < 2 || !PAD.equals(vocabulary.get(0))) {
            throw new ConfigException("vocabulary", vocabulary == null ? null : abbreviate(vocabulary),
                    "must start with '" + PAD + "' followed by at least one word");
        }
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            String w = vocabulary.get(i);
            if (w == null || w.isEmpty() || !w.equals(w.toLowerCase(Locale.ROOT)) || w.chars().anyMatch(
                    ch -> Character.isWhitespace(ch) || ch == ',') || (i > 0 && w.equals(PAD))) {
                throw new ConfigException("vocabulary[" + i + "]", w,
                        "a word is lower case, non-empty, without spaces or commas, and only entry 0 is " + PAD);
            }
            if (m.put(w, i) != null) {
                throw new ConfigException("vocabulary[" + i + "]", w, "appears twice");
            }
        }
        this.vocabulary = List.copyOf(vocabulary);
        this.index = Collections.unmodifiableMap(m);
        this.maxLength = maxLength;
    }

    /** @return {@link #PAD}, then every word of {@link Captioner#vocabulary()} in sorted order */
    public static List<String> standardVocabulary() {
        List<String> v = new ArrayList<>();
        v.add(PAD);
        v.addAll(Captioner.vocabulary().stream().sorted().toList());
        return List.copyOf(v);
    }

    /** @return the tokeniser of faces-world captions, truncating at {@value #DEFAULT_MAX_LENGTH} words */
    public static CaptionTokenizer standard() {
        return new CaptionTokenizer(standardVocabulary(), DEFAULT_MAX_LENGTH);
    }

    /** @return the vocabulary, {@link #PAD} at index 0 */
    public List<String> vocabulary() {
        return vocabulary;
    }

    /** @return the number of ids, padding included */
    public int size() {
        return vocabulary.size();
    }

    /** @return the longest text in words */
    public int maxLength() {
        return maxLength;
    }

    /**
     * @param text a prompt
     * @return its words: lower case, commas dropped, split on white space (before truncation)
     */
    public static List<String> words(String text) {
        String t = text.toLowerCase(Locale.ROOT).replace(",", " ").trim();
        if (t.isEmpty()) {
            return List.of();
        }
        return List.of(t.split("\\s+"));
    }

    /**
     * @param text a prompt
     * @return its word ids (1 or more, none 0), at most {@link #maxLength()}
     */
    public int[] encode(String text) {
        if (text == null) {
            throw new VcexException("A prompt is missing (null)");
        }
        List<String> w = words(text);
        if (w.isEmpty()) {
            throw new VcexException("The prompt '" + text + "' has no words; describe a face, for example 'a face with glasses'");
        }
        int n = Math.min(w.size(), maxLength);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            Integer id = index.get(w.get(i));
            if (id == null) {
                throw unknown(w.get(i), text);
            }
            ids[i] = id;
        }
        return ids;
    }

    /**
     * @param texts prompts
     * @return one row of ids per prompt, padded with 0 to the longest row
     */
    public int[][] encode(List<String> texts) {
        int[][] rows = new int[texts.size()][];
        int longest = 1;
        for (int i = 0; i < rows.length; i++) {
            rows[i] = encode(texts.get(i));
            longest = Math.max(longest, rows[i].length);
        }
        int[][] out = new int[rows.length][longest];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out[i], 0, rows[i].length);
        }
        return out;
    }

    /**
     * @param ids word ids
     * @return the words, padding left out
     */
    public String decode(int[] ids) {
        StringBuilder s = new StringBuilder();
        for (int id : ids) {
            if (id != 0) {
                s.append(s.length() == 0 ? "" : " ").append(vocabulary.get(id));
            }
        }
        return s.toString();
    }

    private VcexException unknown(String word, String text) {
        List<String> similar = similar(word);
        String hint = similar.isEmpty()
                ? "; the known words are " + vocabulary.subList(1, vocabulary.size())
                : "; did you mean " + String.join(", ", similar.stream().map(s -> "'" + s + "'").toList()) + "?";
        return new VcexException("Unknown word '" + word + "' in the prompt '" + text + "': MiniCLIP knows only the "
                + (vocabulary.size() - 1) + " words of faces-world captions" + hint);
    }

    /** @return up to three known words within edit distance 2, or containing the word, or contained in it */
    List<String> similar(String word) {
        List<String> out = new ArrayList<>();
        for (String v : vocabulary.subList(1, vocabulary.size())) {
            boolean contains = v.length() >= 3 && word.length() >= 3 && (v.contains(word) || word.contains(v));
            if (contains || editDistance(word, v) <= Math.min(2, Math.max(1, word.length() / 3))) {
                out.add(v);
            }
        }
        out.sort(Comparator.comparingInt((String v) -> editDistance(word, v)).thenComparing(Comparator.naturalOrder()));
        return out.subList(0, Math.min(3, out.size()));
    }

    /** Edit distance with adjacent transpositions (optimal string alignment): "wiht" is 1 from "with". */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String abbreviate(List<String> v) {
        return v.size() <= 5 ? v.toString() : v.subList(0, 5) + "... (" + v.size() + " entries)";
    }
}
