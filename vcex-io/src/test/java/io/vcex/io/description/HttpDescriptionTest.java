package io.vcex.io.description;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.config.ConfigException;
import io.vcex.core.config.Json;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code http} format of {@code vcex-model.json}: defaults, and every mistake named by its field. */
class HttpDescriptionTest {
    private static final String VALID = """
            {
              "name": "remote-smile",
              "format": "http",
              "input": {"channels": 3, "height": 32, "width": 32},
              "range": "unit",
              "classNames": ["not smiling", "smiling"],
              "outputKind": "PROBABILITIES",
              "http": {
                "endpoint": "https://api.example.com/v1/classify?model=smile",
                "headers": {"Authorization": "Bearer ${EXAMPLE_API_KEY}", "X-Client": "vcex"}
              }
            }
            """;

    private static ObjectNode valid() {
        try {
            return (ObjectNode) Json.mapper().readTree(VALID);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode http(ObjectNode t) {
        return (ObjectNode) t.get("http");
    }

    private static ModelDescription parse(ObjectNode tree) {
        return Json.parse(tree.toString(), ModelDescription.class, "vcex-model.json");
    }

    @Test
    void aValidHttpDescriptionGetsTheDefaults() {
        ModelDescription d = parse(valid());
        assertEquals("http", d.format());
        assertNull(d.file());
        HttpEndpoint h = d.http();
        assertEquals(30_000, h.timeoutMillis());
        assertEquals(3, h.retries());
        assertEquals(500, h.backoffMillis());
        assertEquals(30_000, h.maxBackoffMillis());
        assertEquals(5.0, h.maxRequestsPerSecond());
        assertEquals(32, h.maxBatch());
        assertEquals(List.of("Authorization", "X-Client"), List.copyOf(h.headers().keySet()));
        assertEquals("https://api.example.com/v1/classify", h.publicEndpoint(), "the query string stays out of messages");
        assertEquals(OutputKind.PROBABILITIES, d.spec().outputKind());
        assertEquals("3x32x32", d.spec().input().toString());
    }

    @Test
    void headerPlaceholdersAreFilledFromTheEnvironment() {
        HttpEndpoint h = parse(valid()).http();
        assertEquals(Map.of("Authorization", "Bearer k-123", "X-Client", "vcex"),
                h.resolveHeaders(Map.of("EXAMPLE_API_KEY", "k-123")::get));
        ConfigException unset = assertThrows(ConfigException.class, () -> h.resolveHeaders(name -> null));
        assertEquals("http.headers.Authorization", unset.field());
        assertTrue(unset.getMessage().contains("environment variable EXAMPLE_API_KEY is not set"), unset.getMessage());
    }

    @Test
    void aCredentialWrittenInTheFileIsRefusedWithoutEchoingIt() {
        ObjectNode t = valid();
        ((ObjectNode) http(t).get("headers")).put("X-Api-Key", "sk-live-0123");
        VcexException e = assertThrows(VcexException.class, () -> parse(t));
        assertTrue(e.getMessage().contains("'http.headers.X-Api-Key'"), e.getMessage());
        assertTrue(e.getMessage().contains("environment variable"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-live-0123"), "the secret is not repeated: " + e.getMessage());
    }

    private static Arguments mistake(String field, Consumer<ObjectNode> change) {
        return Arguments.of(field, change);
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                mistake("http", t -> t.remove("http")),
                mistake("http", t -> t.put("format", "tfjs").put("file", "model.json")),
                mistake("file", t -> t.put("file", "model.json")),
                mistake("output", t -> t.put("output", "logits")),
                mistake("http.endpoint", t -> http(t).remove("endpoint")),
                mistake("http.endpoint", t -> http(t).put("endpoint", "ftp://example.com/x")),
                mistake("http.endpoint", t -> http(t).put("endpoint", "/v1/classify")),
                mistake("http.endpoint", t -> http(t).put("endpoint", "http://exa mple.com/")),
                mistake("http.endpoint", t -> http(t).put("endpoint", "https://user:pw@example.com/x")),
                mistake("http.endpoint", t -> http(t).put("endpoint", "https://example.com/x#top")),
                mistake("http.timeoutMillis", t -> http(t).put("timeoutMillis", 0)),
                mistake("http.timeoutMillis", t -> http(t).put("timeoutMillis", "soon")),
                mistake("http.retries", t -> http(t).put("retries", -1)),
                mistake("http.retries", t -> http(t).put("retries", 11)),
                mistake("http.backoffMillis", t -> http(t).put("backoffMillis", -5)),
                mistake("http.maxBackoffMillis", t -> http(t).put("backoffMillis", 1000).put("maxBackoffMillis", 10)),
                mistake("http.maxRequestsPerSecond", t -> http(t).put("maxRequestsPerSecond", 0)),
                mistake("http.maxRequestsPerSecond", t -> http(t).put("maxRequestsPerSecond", 5000)),
                mistake("http.maxBatch", t -> http(t).put("maxBatch", 0)),
                mistake("http.maxBatch", t -> http(t).put("maxBatch", 100_000)),
                mistake("http.headers", t -> ((ObjectNode) http(t).get("headers")).put("X Client", "vcex")),
                mistake("http.headers.Content-Type", t -> ((ObjectNode) http(t).get("headers")).put("Content-Type", "text/plain")),
                mistake("http.headers.X-Trace", t -> ((ObjectNode) http(t).get("headers")).put("X-Trace", "")),
                mistake("http.headers.X-Trace", t -> ((ObjectNode) http(t).get("headers")).put("X-Trace", "${not closed")),
                mistake("http.headers.Authorization", t -> ((ObjectNode) http(t).get("headers")).put("Authorization", "Bearer abc")),
                mistake("http.headers.X-Auth-Token", t -> ((ObjectNode) http(t).get("headers")).put("X-Auth-Token", "abc")),
                mistake("http.rateLimit", t -> http(t).put("rateLimit", 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void everyMistakeNamesItsField(String field, Consumer<ObjectNode> change) {
        ObjectNode tree = valid();
        change.accept(tree);
        VcexException e = assertThrows(VcexException.class, () -> parse(tree));
        assertTrue(e.getMessage().startsWith("vcex-model.json: "), e.getMessage());
        assertTrue(e.getMessage().contains("'" + field + "'"), "message names '" + field + "': " + e.getMessage());
    }
}
