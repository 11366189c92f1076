package io.vcex.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vcex.core.VcexException;
import io.vcex.core.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * JSON for configs, results and provenance. Output is stable (keys of maps sorted, two-space
 * indentation, newline at the end) so equal objects give byte-identical files; input rejects
 * unknown fields, and errors name the file and the field.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Json() {
    }

    /** @return the shared mapper (thread-safe, configured as described above) */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * @param value a record or tree
     * @return pretty JSON ending in a newline
     */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new VcexException("Cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * @param value a record or tree
     * @return one line of JSON (for JSON-lines files)
     */
    public static String writeLine(Object value) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new VcexException("Cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Writes atomically (temporary file, then rename).
     *
     * @param file target
     * @param value a record or tree
     */
    public static void write(Path file, Object value) {
        writeString(file, write(value));
    }

    /**
     * @param file target, written atomically
     * @param text its content in UTF-8
     */
    public static void writeString(Path file, String text) {
        AtomicFiles.write(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /**
     * @param value a record
     * @return its JSON tree
     */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * @param file a JSON file
     * @param type the record to read
     * @param <T> its type
     * @return the value; a missing file, bad syntax, an unknown field or a rule broken in the
     *     record's constructor gives a {@link VcexException} naming the file and the field
     */
    public static <T> T read(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new VcexException("File not found: " + file);
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), type, file.toString());
        } catch (IOException e) {
            throw new VcexException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param text JSON text
     * @param type the record to read
     * @param source where the text came from, for messages
     * @param <T> its type
     * @return the value
     */
    public static <T> T parse(String text, Class<T> type, String source) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonMappingException e) {
            ConfigException rule = findCause(e, ConfigException.class);
            String where = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            if (rule != null) {
                throw new VcexException(source + ": " + rule.getMessage(), rule);
            }
            if (e instanceof UnrecognizedPropertyException u) {
                throw new VcexException(source + ": unknown field '" + u.getPropertyName() + "'"
                        + (where.contains(".") ? " at '" + where + "'" : "")
                        + "; known fields: " + u.getKnownPropertyIds(), e);
            }
            throw new VcexException(source + ": field '" + where + "': " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new VcexException(source + ": not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static <E extends Throwable> E findCause(Throwable t, Class<E> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
