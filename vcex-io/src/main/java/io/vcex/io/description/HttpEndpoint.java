package io.vcex.io.description;

import io.vcex.core.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how to reach a classifier behind an HTTP API: the {@code http} object of a
 * {@code vcex-model.json} of format {@code http}. Every field but {@code endpoint} is optional
 * and defaults as shown:
 *
 * <pre>{@code
 * "http": {
 *   "endpoint": "https://api.example.com/v1/classify",
 *   "timeoutMillis": 30000,
 *   "retries": 3,
 *   "backoffMillis": 500,
 *   "maxBackoffMillis": 30000,
 *   "maxRequestsPerSecond": 5,
 *   "maxBatch": 32,
 *   "headers": {"Authorization": "Bearer ${EXAMPLE_API_KEY}"}
 * }
 * }</pre>
 *
 * <p>Secrets never live in the file: a header value may contain {@code ${NAME}} placeholders,
 * replaced when the model is loaded by the environment variable {@code NAME}; a header whose name
 * says it carries a credential ({@link #SECRET_HEADER_WORDS}) must take its value from one.
 * Credentials in the endpoint's user-info part are refused for the same reason. The wire
 * protocol is described in {@link io.vcex.io.http.HttpClassifier}.
 *
 * <p>Every rule is checked when the record is built; a broken one is a {@link ConfigException}
 * naming the field as written in the file ({@code http.endpoint}, {@code http.maxBatch}, ...).
 *
 * @param endpoint the absolute {@code http} or {@code https} URL each batch is POSTed to
 * @param timeoutMillis how long to wait for a connection and for the answer's headers, per
 *     attempt (1 to 600000; default 30000)
 * @param retries how many times a failed attempt is repeated (0 to 10; default 3): after a
 *     timeout, a connection error, HTTP 408, 429 or 5xx
 * @param backoffMillis the pause before the first retry, doubled before each further one (0 to
 *     60000; default 500)
 * @param maxBackoffMillis the longest pause between attempts, {@code Retry-After} included
 *     ({@code backoffMillis} to 600000; default 30000)
 * @param maxRequestsPerSecond the most requests started per second, retries included (above 0,
 *     at most 1000; default 5)
 * @param maxBatch the most images in one request; larger batches are split (1 to 4096; default 32)
 * @param headers extra request headers, name to value; values may hold {@code ${NAME}}
 *     environment-variable placeholders (default none)
 */
public record HttpEndpoint(String endpoint, Integer timeoutMillis, Integer retries, Integer backoffMillis,
        Integer maxBackoffMillis, Double maxRequestsPerSecond, Integer maxBatch, Map<String, String> headers) {

    /** Words that, in a header's name, mark it as carrying a credential (case-insensitive). */
    public static final List<String> SECRET_HEADER_WORDS = List.of("auth", "key", "token", "secret", "password",
            "cookie", "signature");

    /** Headers vcex sets itself or the JDK's client refuses. */
    public static final List<String> RESERVED_HEADERS = List.of("content-type", "content-length", "host", "connection",
            "expect", "upgrade", "transfer-encoding", "te", "trailer", "via", "keep-alive");

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /** Validates every field and fills the defaults. */
    public HttpEndpoint {
        if (endpoint == null || endpoint.isBlank()) {
            throw new ConfigException("http.endpoint", endpoint, "is required: the URL each batch is POSTed to");
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new ConfigException("http.endpoint", endpoint, "not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigException("http.endpoint", endpoint, "must be an absolute http:// or https:// URL");
        }
        if (uri.getHost() == null) {
            throw new ConfigException("http.endpoint", endpoint, "names no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ConfigException("http.endpoint", redact(uri), "must not carry credentials (user:password@); "
                    + "send them in a header taken from an environment variable, e.g. "
                    + "\"headers\": {\"Authorization\": \"Bearer ${MY_API_KEY}\"}");
        }
        if (uri.getRawFragment() != null) {
            throw new ConfigException("http.endpoint", endpoint, "must not have a #fragment");
        }
        timeoutMillis = bounded("http.timeoutMillis", timeoutMillis, 30_000, 1, 600_000);
        retries = bounded("http.retries", retries, 3, 0, 10);
        backoffMillis = bounded("http.backoffMillis", backoffMillis, 500, 0, 60_000);
        maxBackoffMillis = bounded("http.maxBackoffMillis", maxBackoffMillis, Math.max(30_000, backoffMillis),
                backoffMillis, 600_000);
        if (maxRequestsPerSecond == null) {
            maxRequestsPerSecond = 5.0;
        }
        if (!Double.isFinite(maxRequestsPerSecond) || maxRequestsPerSecond <= 0 || maxRequestsPerSecond > 1000) {
            throw new ConfigException("http.maxRequestsPerSecond", maxRequestsPerSecond, "must be above 0 and at most 1000");
        }
        maxBatch = bounded("http.maxBatch", maxBatch, 32, 1, 4096);
        Map<String, String> h = new LinkedHashMap<>();
        if (headers != null) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                checkHeader(e.getKey(), e.getValue());
                h.put(e.getKey(), e.getValue());
            }
        }
        headers = java.util.Collections.unmodifiableMap(h);
    }

    private static int bounded(String field, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw new ConfigException(field, value, "must be a whole number from " + min + " to " + max);
        }
        return v;
    }

    private static void checkHeader(String name, String value) {
        String field = "http.headers." + name;
        if (name == null || !TOKEN.matcher(name).matches()) {
            throw new ConfigException("http.headers", name, "a header name is letters, digits and -");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (RESERVED_HEADERS.contains(lower)) {
            throw new ConfigException(field, value, "vcex or the HTTP client sets this header itself; leave it out");
        }
        if (value == null || value.isEmpty()) {
            throw new ConfigException(field, value, "a header needs a value");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new ConfigException(field, "(value with a line break)", "a header value is one line");
        }
        String rest = PLACEHOLDER.matcher(value).replaceAll("");
        if (rest.contains("${")) {
            throw new ConfigException(field, value, "a placeholder is ${NAME}, NAME being letters, digits and _");
        }
        boolean secret = SECRET_HEADER_WORDS.stream().anyMatch(lower::contains);
        if (secret && !PLACEHOLDER.matcher(value).find()) {
            throw new ConfigException(field, "(not shown)", "this header carries a credential, which must not be "
                    + "stored in the file; take it from an environment variable, e.g. \"Bearer ${MY_API_KEY}\"");
        }
    }

    /** @return the endpoint as a URI */
    public URI uri() {
        return URI.create(endpoint);
    }

    /**
     * @return the endpoint without its query string (which may carry a key), for messages and
     *     logs
     */
    public String publicEndpoint() {
        return redact(uri());
    }

    private static String redact(URI uri) {
        StringBuilder s = new StringBuilder(uri.getScheme()).append("://").append(uri.getHost());
        if (uri.getPort() >= 0) {
            s.append(':').append(uri.getPort());
        }
        if (uri.getRawPath() != null) {
            s.append(uri.getRawPath());
        }
        return s.toString();
    }

    /**
     * Fills the headers' placeholders.
     *
     * @param environment environment variable lookup (the process's is {@code System::getenv});
     *     returns null for an unset variable
     * @return header name to value, in the file's order
     * @throws ConfigException naming the header and the variable when a variable is unset or empty
     */
    public Map<String, String> resolveHeaders(Function<String, String> environment) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : headers.entrySet()) {
            Matcher m = PLACEHOLDER.matcher(e.getValue());
            StringBuilder value = new StringBuilder();
            while (m.find()) {
                String v = environment.apply(m.group(1));
                if (v == null || v.isEmpty()) {
                    throw new ConfigException("http.headers." + e.getKey(), e.getValue(), "environment variable "
                            + m.group(1) + " is not set; export it before loading the model");
                }
                if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                    throw new ConfigException("http.headers." + e.getKey(), e.getValue(), "environment variable "
                            + m.group(1) + " holds a line break");
                }
                m.appendReplacement(value, Matcher.quoteReplacement(v));
            }
            m.appendTail(value);
            out.put(e.getKey(), value.toString());
        }
        return out;
    }
}
