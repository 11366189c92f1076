package io.vcex.io.http;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.classifier.Scores;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.io.description.DescribedClassifier;
import io.vcex.io.description.HttpEndpoint;
import io.vcex.io.description.ModelDescription;
import io.vcex.io.description.ModelInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A black-box classifier behind an HTTP API (format {@code http} of a {@code vcex-model.json}).
 * Only scores cross the wire, so it is never a {@link io.vcex.core.classifier.WhiteBoxClassifier}:
 * methods that need gradients (DVCE, ZOOM) cannot use it; GCD and the metrics can.
 *
 * <h2>Wire protocol</h2>
 *
 * <p>Each request is {@code POST endpoint} with {@code Content-Type: application/json}, {@code
 * Accept: application/json}, the description's {@code http.headers}, and the body
 *
 * <pre>{@code
 * {"shape": [C, H, W], "images": [[x_0, x_1, ..., x_(C*H*W-1)], ...]}
 * }</pre>
 *
 * <p>{@code shape} is the description's {@code input} (channels, height, width). {@code images}
 * holds one flat array per image, {@code C*H*W} numbers in channel-major, then row-major order
 * (NCHW: value {@code (c, y, x)} is at index {@code (c*H + y)*W + x}); the values are what the
 * model takes, the vcex image after the description's adapter (resize, colour), {@code range}
 * and {@code mean}/{@code std} ({@link ModelInput}). A request holds at most {@code
 * http.maxBatch} images; larger batches are split in order.
 *
 * <p>A successful answer has a 2xx status and the body
 *
 * <pre>{@code
 * {"scores": [[s_0, ..., s_(K-1)], ...]}
 * }</pre>
 *
 * <p>with one row per image of the request, in order, and {@code K} finite numbers per row, as
 * the description's {@code outputKind} says: one logit per class name for {@code SOFTMAX} and
 * {@code MULTI_LABEL}, a single logit (of the second class) for {@code BINARY_LOGIT}, one
 * probability per class name for {@code PROBABILITIES} (each in [0, 1], each row summing to 1
 * within {@value #PROBABILITY_TOLERANCE}). Other keys are ignored; {@code NaN} and {@code
 * Infinity} are read (Python's {@code json} writes them) and refused.
 *
 * <h2>Failures</h2>
 *
 * <p>A timeout ({@code http.timeoutMillis}, for the connection and the answer's headers), a
 * connection error, and statuses 408, 429 and 5xx are retried up to {@code http.retries} times,
 * after {@code http.backoffMillis} doubled at every retry, at most {@code http.maxBackoffMillis}
 * (a {@code Retry-After} in seconds lengthens the pause within that bound). Every other status
 * (other 4xx, 3xx: redirects are not followed) fails at once, as does a 2xx answer that does not
 * match the description. Every failure is one {@link VcexException} naming the model, the
 * endpoint (without its query string) and the problem. Requests start at least {@code 1 /
 * http.maxRequestsPerSecond} seconds apart, retries included ({@link RateLimiter}).
 */
public final class HttpClassifier implements DescribedClassifier {
    /** How far a {@code PROBABILITIES} row's sum may be from 1. */
    public static final double PROBABILITY_TOLERANCE = 1e-3;

    private static final ObjectMapper ANSWERS = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final JsonFactory REQUESTS = new JsonFactory();
    private static final int SNIPPET = 200;

    private final ModelDescription description;
    private final HttpEndpoint http;
    private final ClassifierSpec spec;
    private final ModelInfo info;
    private final ModelInput input;
    private final Map<String, String> headers;
    private final URI uri;
    private final String where;
    private final RateLimiter limiter;
    private final HttpClient client;

    private HttpClassifier(ModelDescription description, Map<String, String> headers, ModelInfo info) {
        this.description = description;
        this.http = description.http();
        this.spec = description.spec();
        this.info = info;
        this.input = new ModelInput(description);
        this.headers = headers;
        this.uri = http.uri();
        this.where = "HTTP classifier '" + description.name() + "' (" + http.publicEndpoint() + ")";
        this.limiter = new RateLimiter(http.maxRequestsPerSecond());
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(http.timeoutMillis()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Makes the client; nothing is sent until {@link #scores}.
     *
     * @param description a description of format {@code http}
     * @return the classifier, with header placeholders filled from the process's environment
     */
    public static HttpClassifier create(ModelDescription description) {
        return create(description, System::getenv, Map.of());
    }

    /**
     * @param description a description of format {@code http}
     * @param environment environment-variable lookup for the headers' {@code ${NAME}}
     *     placeholders (null for an unset variable)
     * @param fileSha256 files to name in the provenance (for example the description's own)
     * @return the classifier; an unset variable is a {@link io.vcex.core.config.ConfigException}
     *     naming the header
     */
    public static HttpClassifier create(ModelDescription description, Function<String, String> environment,
            Map<String, String> fileSha256) {
        if (!description.format().equals("http")) {
            throw new VcexException("Model '" + description.name() + "' has format '" + description.format()
                    + "', not http");
        }
        Map<String, String> headers = description.http().resolveHeaders(environment);
        return new HttpClassifier(description, headers, new ModelInfo(description.name(), new TreeMap<>(fileSha256)));
    }

    @Override
    public ClassifierSpec spec() {
        return spec;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public ModelDescription description() {
        return description;
    }

    /**
     * Sends the images in requests of at most {@code http.maxBatch} and reads the answers.
     *
     * @param images NCHW batch in [0, 1] of the spec's shape; not modified
     * @return one row of scores per image
     */
    @Override
    public Scores scores(NDArray images) {
        float[] flat;
        try (NDManager scope = images.getManager().newSubManager()) {
            NDArray in = images.duplicate();
            in.attach(scope);
            flat = input.apply(in).toFloatArray();
        }
        int n = (int) images.getShape().get(0);
        ModelDescription.Shape s = description.input();
        int per = s.channels() * s.height() * s.width();
        for (int i = 0; i < flat.length; i++) {
            if (!Float.isFinite(flat[i])) {
                throw new VcexException(where + ": image " + i / per + " holds a non-finite value; nothing was sent");
            }
        }
        float[][] raw = new float[n][];
        for (int from = 0; from < n; from += http.maxBatch()) {
            int count = Math.min(http.maxBatch(), n - from);
            byte[] answer = post(requestBody(flat, per, from, count), from, count);
            float[][] rows = read(answer, from, count);
            System.arraycopy(rows, 0, raw, from, count);
        }
        return Scores.fromRaw(spec.outputKind(), raw);
    }

    private byte[] requestBody(float[] flat, int per, int from, int count) {
        ModelDescription.Shape s = description.input();
        ByteArrayOutputStream buf = new ByteArrayOutputStream(count * per * 12 + 64);
        try (JsonGenerator g = REQUESTS.createGenerator(buf, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("shape");
            g.writeNumber(s.channels());
            g.writeNumber(s.height());
            g.writeNumber(s.width());
            g.writeEndArray();
            g.writeArrayFieldStart("images");
            for (int i = from; i < from + count; i++) {
                g.writeStartArray();
                for (int j = i * per; j < (i + 1) * per; j++) {
                    g.writeNumber(flat[j]);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    /** @return the body of the first 2xx answer */
    private byte[] post(byte[] body, int from, int count) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(http.timeoutMillis()))
                .header("Content-Type", "application/json")
                .setHeader("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::setHeader);
        HttpRequest request = b.build();
        String images = count == 1 ? "image " + from : "images " + from + ".." + (from + count - 1);
        String last;
        for (int attempt = 0;; attempt++) {
            long retryAfterMillis = -1;
            try {
                limiter.acquire();
                HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int code = r.statusCode();
                if (code >= 200 && code < 300) {
                    return r.body();
                }
                last = "HTTP " + code + snippet(r.body());
                if (!retryable(code)) {
                    throw new VcexException(where + ": answered " + last + " for " + images + " (not retried: "
                            + hint(code, r) + ")");
                }
                retryAfterMillis = r.headers().firstValue("Retry-After").map(HttpClassifier::seconds).orElse(-1L);
            } catch (HttpTimeoutException e) {
                last = "no answer within " + http.timeoutMillis() + " ms (http.timeoutMillis)";
            } catch (ConnectException e) {
                last = "cannot connect" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
            } catch (IOException e) {
                last = "connection failed: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VcexException(where + ": interrupted while waiting for " + images, e);
            }
            if (attempt >= http.retries()) {
                throw new VcexException(where + ": no usable answer for " + images + " after " + (attempt + 1)
                        + " attempt(s); last: " + last + ". Check that the server runs, or raise http.retries "
                        + "or http.timeoutMillis");
            }
            pause(backoffMillis(attempt, retryAfterMillis), images);
        }
    }

    /**
     * @param attempt 0 for the pause before the first retry
     * @param retryAfterMillis the server's {@code Retry-After}, or -1
     * @return the pause before the next attempt
     */
    long backoffMillis(int attempt, long retryAfterMillis) {
        double exponential = http.backoffMillis() * Math.pow(2, attempt);
        long pause = (long) Math.min(http.maxBackoffMillis(), exponential);
        return Math.min(http.maxBackoffMillis(), Math.max(pause, retryAfterMillis));
    }

    private void pause(long millis, String images) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VcexException(where + ": interrupted while waiting to retry " + images, e);
        }
    }

    private static boolean retryable(int code) {
        return code == 408 || code == 429 || (code >= 500 && code < 600);
    }

    private static long seconds(String retryAfter) {
        try {
            return Math.max(0, Long.parseLong(retryAfter.trim())) * 1000;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String hint(int code, HttpResponse<?> r) {
        if (code >= 300 && code < 400) {
            return "redirects are not followed; put the final URL in http.endpoint"
                    + r.headers().firstValue("Location").map(l -> ", the server points to " + l).orElse("");
        }
        return switch (code) {
            case 401, 403 -> "the server refuses the credentials; check http.headers and the environment "
                    + "variables they name";
            case 404, 405 -> "check http.endpoint: the URL must accept POST";
            case 413 -> "the request is too large; lower http.maxBatch";
            default -> "the server refuses the request itself; see the protocol in the README "
                    + "(\"A classifier behind an HTTP API\")";
        };
    }

    private static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, SNIPPET * 4), StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").strip();
        return s.isEmpty() ? "" : ": " + (s.length() > SNIPPET ? s.substring(0, SNIPPET) + "..." : s);
    }

    private VcexException bad(String problem, byte[] body) {
        return new VcexException(where + ": the answer does not match the description: " + problem
                + "; expected {\"scores\": [[...], ...]} with one row per image and " + spec.outputs()
                + " number(s) per row (" + spec.classNames().size() + " class names, outputKind " + spec.outputKind()
                + "). Answer" + (snippet(body).isEmpty() ? " was empty" : " began" + snippet(body)));
    }

    /** @return the validated rows of one answer */
    private float[][] read(byte[] body, int from, int count) {
        JsonNode root;
        try {
            root = ANSWERS.readTree(body);
        } catch (JsonProcessingException e) {
            throw bad("not JSON (" + e.getOriginalMessage() + ")", body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || root.isMissingNode()) {
            throw bad("the answer is empty", body);
        }
        if (!root.isObject()) {
            throw bad("the answer is a JSON " + root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
                    + ", not an object", body);
        }
        JsonNode scores = root.get("scores");
        if (scores == null) {
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
                keys.add(it.next());
            }
            throw bad("no \"scores\" key (keys: " + keys + ")", body);
        }
        if (!scores.isArray()) {
            throw bad("\"scores\" is not an array of rows", body);
        }
        if (scores.size() != count) {
            throw bad("\"scores\" has " + scores.size() + " row(s) for a request of " + count + " image(s)", body);
        }
        int k = spec.outputs();
        float[][] rows = new float[count][k];
        for (int i = 0; i < count; i++) {
            JsonNode row = scores.get(i);
            String at = "scores[" + i + "] (image " + (from + i) + ")";
            if (!row.isArray()) {
                throw bad(at + " is not an array of numbers", body);
            }
            if (row.size() != k) {
                throw bad(at + " has " + row.size() + " value(s)", body);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                JsonNode v = row.get(j);
                if (!v.isNumber()) {
                    throw bad("scores[" + i + "][" + j + "] is not a number: " + v, body);
                }
                float f = (float) v.doubleValue();
                if (!Float.isFinite(f)) {
                    throw bad("scores[" + i + "][" + j + "] is " + v.asText() + ", not a finite number", body);
                }
                if (spec.outputKind() == OutputKind.PROBABILITIES && (f < 0 || f > 1)) {
                    throw bad("scores[" + i + "][" + j + "] is " + v.asText() + ", not a probability in [0, 1]"
                            + " (if the API answers logits, set outputKind to SOFTMAX)", body);
                }
                rows[i][j] = f;
                sum += f;
            }
            if (spec.outputKind() == OutputKind.PROBABILITIES && Math.abs(sum - 1) > PROBABILITY_TOLERANCE) {
                throw bad(at + " sums to " + (float) sum + ", not 1 (within " + PROBABILITY_TOLERANCE + ")", body);
            }
        }
        return rows;
    }

    /** Nothing to free: the JDK's client releases its connections when unreachable. */
    @Override
    public void close() {
    }
}
