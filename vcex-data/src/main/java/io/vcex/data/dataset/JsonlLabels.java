package io.vcex.data.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.vcex.core.VcexException;
import io.vcex.core.config.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code labels.jsonl}: one JSON object per line (blank lines skipped), UTF-8.
 *
 * <p>Key {@code "file"} holds the image path, optional {@code "captions"} an array of strings; every
 * other key is a label. Scalar values become strings as JSON writes them ({@code true}, {@code 7},
 * {@code 0.5}); nested objects are flattened with dots ({@code {"attributes": {"hat": true}}} gives
 * {@code attributes.hat=true}); {@code null} values are left out. Arrays other than the captions,
 * repeated keys and anything that is not one JSON object per line are errors naming the line.
 */
final class JsonlLabels {
    /** The key of the image path. */
    static final String FILE = "file";
    /** The key of the captions array. */
    static final String CAPTIONS = "captions";

    private static final ObjectReader READER = Json.mapper().reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonlLabels() {
    }

    /**
     * @param source the labels file, for messages
     * @param text its content
     * @return its rows
     */
    static List<LabelRow> parse(Path source, String text) {
        String[] lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\n", -1);
        List<LabelRow> rows = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                rows.add(parseLine(source + " line " + (i + 1), i + 1, line));
            }
        }
        return rows;
    }

    private static LabelRow parseLine(String where, int lineNumber, String line) {
        JsonNode node;
        try {
            node = READER.readTree(line);
        } catch (MismatchedInputException e) {
            throw new VcexException(where + ": more than one JSON value on the line (write one object per line)", e);
        } catch (JsonProcessingException e) {
            throw new VcexException(where + ": not valid JSON at column " + e.getLocation().getColumnNr()
                    + ": " + e.getOriginalMessage(), e);
        }
        if (!node.isObject()) {
            throw new VcexException(where + ": expected one JSON object {...} but found " + kind(node));
        }
        JsonNode file = node.get(FILE);
        if (file == null || !file.isTextual() || file.asText().isBlank()) {
            throw new VcexException(where + ": needs \"" + FILE + "\" with the image path as a string, found "
                    + (file == null ? "no \"" + FILE + "\" key" : file.toString()));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        List<String> captions = List.of();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(CAPTIONS)) {
                captions = captions(where, e.getValue());
            } else if (!e.getKey().equals(FILE)) {
                flatten(where, e.getKey(), e.getValue(), labels);
            }
        }
        return new LabelRow(lineNumber, file.asText(), labels, captions);
    }

    private static List<String> captions(String where, JsonNode value) {
        if (value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new VcexException(where + ": \"" + CAPTIONS + "\" must be an array of strings, found " + kind(value));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode c : value) {
            if (!c.isTextual()) {
                throw new VcexException(where + ": \"" + CAPTIONS + "\" must hold only strings, found " + c);
            }
            out.add(c.asText());
        }
        return out;
    }

    private static void flatten(String where, String key, JsonNode value, Map<String, String> out) {
        if (key.isEmpty()) {
            throw new VcexException(where + ": a label key is empty");
        }
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(where, key + "." + e.getKey(), e.getValue(), out);
            }
        } else if (value.isArray()) {
            throw new VcexException(where + ": label '" + key + "' is an array " + value
                    + "; labels must be single values (only \"" + CAPTIONS + "\" may be an array)");
        } else if (!value.isNull() && out.put(key, value.asText()) != null) {
            throw new VcexException(where + ": label '" + key + "' is given twice (once as a dotted key, "
                    + "once as a nested object)");
        }
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case OBJECT -> "an object";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
