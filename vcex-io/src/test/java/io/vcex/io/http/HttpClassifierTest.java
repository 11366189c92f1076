package io.vcex.io.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.classifier.Scores;
import io.vcex.core.classifier.WhiteBoxClassifier;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.core.provenance.Hashing;
import io.vcex.io.ModelFolder;
import io.vcex.io.description.DescribedClassifier;
import io.vcex.io.description.ModelDescription;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HttpClassifier} against a small server on loopback that this test starts: the values it
 * is sent, batch splitting, retries and back-off, timeouts, the rate bound, refusals and
 * malformed answers.
 */
class HttpClassifierTest {
    private static VcexContext ctx;
    private NDManager scope;
    private Server server;

    @BeforeAll
    static void context() {
        ctx = VcexContext.builder().build();
    }

    @AfterAll
    static void closeContext() {
        ctx.close();
    }

    @BeforeEach
    void open() throws IOException {
        scope = ctx.newScope();
        server = new Server();
    }

    @AfterEach
    void close() {
        server.close();
        scope.close();
    }

    /** One answer of the test server. */
    private record Reply(int status, String body, long delayMillis, Map<String, String> headers) {
        static Reply ok(String body) {
            return new Reply(200, body, 0, Map.of());
        }

        static Reply status(int status, String body) {
            return new Reply(status, body, 0, Map.of());
        }
    }

    /** What the server was sent. */
    private record Received(long nanos, JsonNode body, String authorization) {
        int images() {
            return body.get("images").size();
        }
    }

    /** Answers request number {@code index} (0-based) with this body. */
    private interface Behaviour {
        Reply answer(int index, Received request);
    }

    /** A loopback server on a free port whose answers the test chooses. */
    private static final class Server implements AutoCloseable {
        final List<Received> requests = new CopyOnWriteArrayList<>();
        final HttpServer http;
        final ExecutorService pool = Executors.newCachedThreadPool();
        volatile Behaviour behaviour = (i, r) -> Reply.ok(scoresOf(r.body));

        Server() throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/classify", this::handle);
            http.setExecutor(pool);
            http.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/classify?key=not-for-messages";
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                byte[] in = ex.getRequestBody().readAllBytes();
                Received r = new Received(System.nanoTime(), Json.mapper().readTree(in),
                        ex.getRequestHeaders().getFirst("Authorization"));
                int index;
                synchronized (requests) {
                    index = requests.size();
                    requests.add(r);
                }
                Reply reply = behaviour.answer(index, r);
                if (reply.delayMillis > 0) {
                    try {
                        Thread.sleep(reply.delayMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                byte[] out = reply.body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                reply.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                ex.sendResponseHeaders(reply.status, out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    try (OutputStream os = ex.getResponseBody()) {
                        os.write(out);
                    }
                }
            } catch (IOException e) {
                // the client gave up (a timeout under test)
            }
        }

        List<Integer> batchSizes() {
            return requests.stream().map(Received::images).toList();
        }

        @Override
        public void close() {
            http.stop(0);
            pool.shutdownNow();
        }
    }

    /**
     * The server's model, a known function of the values it is sent: per image, its mean, its
     * first value minus its last, and its largest value.
     */
    static String scoresOf(JsonNode body) {
        StringBuilder s = new StringBuilder("{\"scores\": [");
        JsonNode images = body.get("images");
        for (int i = 0; i < images.size(); i++) {
            float[] x = values(images.get(i));
            s.append(i == 0 ? "" : ", ").append('[').append(mean(x)).append(", ").append(x[0] - x[x.length - 1])
                    .append(", ").append(max(x)).append(']');
        }
        return s.append("], \"model\": \"test\"}").toString();
    }

    private static float[] values(JsonNode a) {
        float[] x = new float[a.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = a.get(i).floatValue();
        }
        return x;
    }

    private static float mean(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return (float) (s / x.length);
    }

    private static float max(float[] x) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            m = Math.max(m, v);
        }
        return m;
    }

    /**
     * A description of three classes whose input is one grey 2x3 channel in [-1, 1] normalised
     * by mean 0.1 and std 0.5, reached from RGB vcex images: the adapter's work is visible in
     * what the server is sent.
     */
    private ObjectNode description(OutputKind kind, String http) {
        String text = """
                {
                  "name": "remote",
                  "format": "http",
                  "input": {"channels": 1, "height": 2, "width": 3},
                  "range": "symmetric",
                  "mean": [0.1],
                  "std": [0.5],
                  "classNames": ["a", "b", "c"],
                  "outputKind": "%s",
                  "adapter": {"colour": "rgb-to-grey"},
                  "http": {"endpoint": "%s", "backoffMillis": 10, "maxRequestsPerSecond": 1000, %s}
                }
                """.formatted(kind, server.endpoint(), http);
        try {
            return (ObjectNode) Json.mapper().readTree(text.replace(", }", "}"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpClassifier classifier(OutputKind kind, String http) {
        return classifier(description(kind, http), Map.of());
    }

    private static HttpClassifier classifier(ObjectNode description, Map<String, String> env) {
        ModelDescription d = Json.parse(description.toString(), ModelDescription.class, "vcex-model.json");
        return HttpClassifier.create(d, env::get, Map.of());
    }

    /** @return {@code n} RGB 2x3 images with fixed random values in [0, 1] */
    private float[] pixels(int n) {
        Random r = new Random(42);
        float[] p = new float[n * 3 * 6];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextFloat();
        }
        return p;
    }

    private NDArray images(float[] pixels) {
        return scope.create(pixels, new Shape(pixels.length / 18, 3, 2, 3));
    }

    /** What the model takes: BT.601 grey, mapped to [-1, 1], minus 0.1, over 0.5. */
    private static float[] modelInput(float[] pixels, int image) {
        float[] x = new float[6];
        for (int j = 0; j < 6; j++) {
            int o = image * 18;
            double grey = 0.299 * pixels[o + j] + 0.587 * pixels[o + 6 + j] + 0.114 * pixels[o + 12 + j];
            x[j] = (float) ((grey * 2 - 1 - 0.1) / 0.5);
        }
        return x;
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Test
    void scoresAreTheServersFunctionOfTheAdaptedPixelsInBatchesOfAtMostMaxBatch() {
        ObjectNode d = description(OutputKind.SOFTMAX, "\"maxBatch\": 3");
        ((ObjectNode) d.get("http")).putObject("headers").put("Authorization", "Bearer ${TEST_API_KEY}");
        HttpClassifier c = classifier(d, Map.of("TEST_API_KEY", "s3cret"));
        assertFalse(WhiteBoxClassifier.class.isAssignableFrom(c.getClass()), "an HTTP classifier is a black box only");
        float[] p = pixels(7);
        Scores s = c.scores(images(p));

        assertEquals(List.of(3, 3, 1), server.batchSizes(), "7 images in requests of at most 3, in order");
        for (Received r : server.requests) {
            assertEquals("[1,2,3]", r.body.get("shape").toString());
            assertEquals("Bearer s3cret", r.authorization, "the header's placeholder is filled from the environment");
        }
        assertEquals(7, s.size());
        for (int i = 0; i < 7; i++) {
            float[] x = modelInput(p, i);
            float[] expected = {mean(x), x[0] - x[5], max(x)};
            assertArrayEquals(expected, s.raw()[i], 1e-5f, "image " + i);
            assertArrayEquals(OutputKind.SOFTMAX.probabilities(expected), s.probabilities()[i], 1e-5f);
        }
        // the values sent are the model's input, image by image, in NCHW order
        assertArrayEquals(modelInput(p, 4), values(server.requests.get(1).body.get("images").get(1)), 1e-6f);
    }

    @Test
    void binaryLogitAnswersOneValuePerImage() {
        ObjectNode d = description(OutputKind.BINARY_LOGIT, "");
        d.putArray("classNames").add("no").add("yes");
        server.behaviour = (i, r) -> Reply.ok("{\"scores\": [[2.0], [-1.0]]}");
        Scores s = classifier(d, Map.of()).scores(images(pixels(2)));
        assertArrayEquals(new float[] {1 - OutputKind.sigmoid(2f), OutputKind.sigmoid(2f)}, s.probabilities()[0], 1e-6f);
        assertEquals(0, s.predicted(1));
    }

    @Test
    void anEmptyBatchSendsNothing() {
        Scores s = classifier(OutputKind.SOFTMAX, "").scores(scope.zeros(new Shape(0, 3, 2, 3)));
        assertEquals(0, s.size());
        assertTrue(server.requests.isEmpty());
    }

    @Test
    void twoFailuresWith503AreRetriedWithExponentialBackOff() {
        server.behaviour = (i, r) -> i < 2 ? Reply.status(503, "busy") : Reply.ok(scoresOf(r.body));
        HttpClassifier c = classifier(OutputKind.SOFTMAX, "\"retries\": 3, \"backoffMillis\": 40");
        float[] p = pixels(2);
        long start = System.nanoTime();
        Scores s = c.scores(images(p));
        long elapsed = millisSince(start);
        assertEquals(3, server.requests.size());
        assertTrue(elapsed >= 40 + 80, "pauses of 40 then 80 ms: " + elapsed);
        float[] x = modelInput(p, 1);
        assertArrayEquals(new float[] {mean(x), x[0] - x[5], max(x)}, s.raw()[1], 1e-5f);
        long gap1 = server.requests.get(1).nanos - server.requests.get(0).nanos;
        long gap2 = server.requests.get(2).nanos - server.requests.get(1).nanos;
        // a request is sent after the answer to the one before, then the pause: arrivals are at least the pause apart
        assertTrue(gap1 >= TimeUnit.MILLISECONDS.toNanos(40) && gap2 >= TimeUnit.MILLISECONDS.toNanos(80),
                "pauses of 40 then 80 ms between arrivals: " + gap1 + " then " + gap2 + " ns");
    }

    @Test
    void whenRetriesRunOutTheErrorNamesTheEndpointTheAttemptsAndTheLastProblem() {
        server.behaviour = (i, r) -> Reply.status(503, "{\"error\": \"overloaded\"}");
        HttpClassifier c = classifier(OutputKind.SOFTMAX, "\"retries\": 2");
        VcexException e = assertThrows(VcexException.class, () -> c.scores(images(pixels(1))));
        assertEquals(3, server.requests.size());
        String m = e.getMessage();
        assertTrue(m.contains("HTTP classifier 'remote' (http://127.0.0.1:" + server.http.getAddress().getPort()
                + "/classify)"), m);
        assertTrue(m.contains("after 3 attempt(s)"), m);
        assertTrue(m.contains("last: HTTP 503: {\"error\": \"overloaded\"}"), m);
        assertFalse(m.contains("not-for-messages"), "the query string may hold a key: " + m);
    }

    @Test
    void retryAfterLengthensThePauseWithinMaxBackoff() {
        server.behaviour = (i, r) -> i == 0 ? new Reply(429, "slow down", 0, Map.of("Retry-After", "5"))
                : Reply.ok(scoresOf(r.body));
        HttpClassifier c = classifier(OutputKind.SOFTMAX, "\"maxBackoffMillis\": 200");
        long start = System.nanoTime();
        c.scores(images(pixels(1)));
        long elapsed = millisSince(start);
        assertEquals(2, server.requests.size());
        assertTrue(elapsed >= 200 && elapsed < 2000, "Retry-After 5 s, bounded by 200 ms: " + elapsed);
        assertEquals(200, c.backoffMillis(0, 5000));
        assertEquals(10, c.backoffMillis(0, -1));
        assertEquals(80, c.backoffMillis(3, -1));
        assertEquals(200, c.backoffMillis(9, -1));
    }

    @Test
    void aTimeoutIsRetried() {
        server.behaviour = (i, r) -> i == 0 ? new Reply(200, scoresOf(r.body), 1500, Map.of()) : Reply.ok(scoresOf(r.body));
        HttpClassifier c = classifier(OutputKind.SOFTMAX, "\"timeoutMillis\": 200, \"retries\": 1");
        float[] p = pixels(1);
        long start = System.nanoTime();
        Scores s = c.scores(images(p));
        long elapsed = millisSince(start);
        assertEquals(2, server.requests.size());
        assertTrue(elapsed >= 200 && elapsed < 1500, "gave up on the slow answer after 200 ms: " + elapsed);
        assertEquals(mean(modelInput(p, 0)), s.raw()[0][0], 1e-5f);
    }

    @Test
    void timeoutsAndRefusedConnectionsThatPersistAreReported() {
        server.behaviour = (i, r) -> new Reply(200, scoresOf(r.body), 1000, Map.of());
        HttpClassifier slow = classifier(OutputKind.SOFTMAX, "\"timeoutMillis\": 100, \"retries\": 1");
        VcexException timedOut = assertThrows(VcexException.class, () -> slow.scores(images(pixels(1))));
        assertTrue(timedOut.getMessage().contains("after 2 attempt(s); last: no answer within 100 ms (http.timeoutMillis)"),
                timedOut.getMessage());

        ObjectNode d = description(OutputKind.SOFTMAX, "\"retries\": 1");
        server.close();
        HttpClassifier closed = classifier(d, Map.of());
        VcexException refused = assertThrows(VcexException.class, () -> closed.scores(images(pixels(1))));
        assertTrue(refused.getMessage().contains("after 2 attempt(s); last: cannot connect"), refused.getMessage());
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(400, "bad shape", "HTTP 400: bad shape for image 0 (not retried"),
                Arguments.of(401, "", "HTTP 401 for image 0 (not retried: the server refuses the credentials"),
                Arguments.of(404, "no such model", "check http.endpoint"),
                Arguments.of(413, "", "lower http.maxBatch"),
                Arguments.of(302, "", "redirects are not followed"));
    }

    @ParameterizedTest(name = "HTTP {0}")
    @MethodSource("refusals")
    void otherStatusesFailAtOnce(int status, String body, String expected) {
        server.behaviour = (i, r) -> Reply.status(status, body);
        HttpClassifier c = classifier(OutputKind.SOFTMAX, "\"retries\": 3");
        VcexException e = assertThrows(VcexException.class, () -> c.scores(images(pixels(1))));
        assertEquals(1, server.requests.size(), "not retried");
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("HTTP classifier 'remote' (http://127.0.0.1:"), e.getMessage());
    }

    @Test
    void requestsStartNoMoreOftenThanMaxRequestsPerSecond() {
        ObjectNode d = description(OutputKind.SOFTMAX, "\"maxBatch\": 1");
        ((ObjectNode) d.get("http")).put("maxRequestsPerSecond", 20);
        HttpClassifier c = classifier(d, Map.of());
        long start = System.nanoTime();
        c.scores(images(pixels(6)));
        long elapsed = millisSince(start);
        assertEquals(6, server.requests.size());
        assertTrue(elapsed >= 250, "6 requests at 20 per second span at least 5 / 20 s: " + elapsed + " ms");
        // on the server's side too, allowing for the first connection's set-up and scheduling jitter
        long span = TimeUnit.NANOSECONDS.toMillis(server.requests.get(5).nanos - server.requests.get(0).nanos);
        assertTrue(span >= 175, "the server saw 6 requests within " + span + " ms");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of(OutputKind.SOFTMAX, "", "the answer is empty"),
                Arguments.of(OutputKind.SOFTMAX, "scores: 1, 2", "not JSON"),
                Arguments.of(OutputKind.SOFTMAX, "[[1, 2, 3], [4, 5, 6]]", "the answer is a JSON array, not an object"),
                Arguments.of(OutputKind.SOFTMAX, "{\"logits\": [[1, 2, 3], [4, 5, 6]]}", "no \"scores\" key (keys: [logits])"),
                Arguments.of(OutputKind.SOFTMAX, "{\"scores\": \"[[1, 2, 3]]\"}", "\"scores\" is not an array of rows"),
                Arguments.of(OutputKind.SOFTMAX, "{\"scores\": [[1, 2, 3]]}", "\"scores\" has 1 row(s) for a request of 2 image(s)"),
                Arguments.of(OutputKind.SOFTMAX, "{\"scores\": [[1, 2, 3], 4]}", "scores[1] (image 1) is not an array of numbers"),
                Arguments.of(OutputKind.SOFTMAX, "{\"scores\": [[1, 2, 3], [4, 5]]}", "scores[1] (image 1) has 2 value(s)"),
                Arguments.of(OutputKind.SOFTMAX, "{\"scores\": [[1, \"2\", 3], [4, 5, 6]]}", "scores[0][1] is not a number: \"2\""),
                Arguments.of(OutputKind.SOFTMAX, "{\"scores\": [[1, 2, null], [4, 5, 6]]}", "scores[0][2] is not a number: null"),
                Arguments.of(OutputKind.SOFTMAX, "{\"scores\": [[1, 2, 3], [4, NaN, 6]]}", "scores[1][1] is NaN, not a finite number"),
                Arguments.of(OutputKind.SOFTMAX, "{\"scores\": [[1, 2, 3], [4, 5, -Infinity]]}", "scores[1][2] is -Infinity, not a finite number"),
                Arguments.of(OutputKind.SOFTMAX, "{\"scores\": [[1e39, 2, 3], [4, 5, 6]]}", "scores[0][0] is 1.0E39, not a finite number"),
                Arguments.of(OutputKind.PROBABILITIES, "{\"scores\": [[0.2, 0.3, 0.5], [0.5, 0.4, 0.2]]}",
                        "scores[1] (image 1) sums to 1.1, not 1 (within 0.001)"),
                Arguments.of(OutputKind.PROBABILITIES, "{\"scores\": [[1.2, -0.2, 0], [0.5, 0.3, 0.2]]}",
                        "scores[0][0] is 1.2, not a probability in [0, 1] (if the API answers logits, set outputKind to SOFTMAX)"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("malformed")
    void malformedAnswersAreReportedAtOnceAndPrecisely(OutputKind kind, String answer, String expected) {
        server.behaviour = (i, r) -> Reply.ok(answer);
        HttpClassifier c = classifier(kind, "\"retries\": 3");
        VcexException e = assertThrows(VcexException.class, () -> c.scores(images(pixels(2))));
        assertEquals(1, server.requests.size(), "a malformed answer is not retried");
        String m = e.getMessage();
        assertTrue(m.startsWith("HTTP classifier 'remote' (http://127.0.0.1:" + server.http.getAddress().getPort()
                + "/classify): the answer does not match the description: "), m);
        assertTrue(m.contains(expected), m);
        assertTrue(m.contains("3 number(s) per row (3 class names, outputKind " + kind + ")"), m);
    }

    @Test
    void probabilitiesThatSumToOneArePassedThrough() {
        server.behaviour = (i, r) -> Reply.ok("{\"scores\": [[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]]}");
        Scores s = classifier(OutputKind.PROBABILITIES, "").scores(images(pixels(2)));
        assertArrayEquals(new float[] {0.6f, 0.3f, 0.1f}, s.probabilities()[1], 0f);
        assertEquals(2, s.predicted(0));
    }

    @Test
    void imagesOfTheWrongShapeAreRefusedBeforeAnythingIsSent() {
        HttpClassifier c = classifier(OutputKind.SOFTMAX, "");
        VcexException e = assertThrows(VcexException.class, () -> c.scores(scope.zeros(new Shape(1, 1, 2, 3))));
        assertTrue(e.getMessage().contains("takes images of 3x2x3"), e.getMessage());
        assertTrue(server.requests.isEmpty());
    }

    @Test
    void aModelFolderOfFormatHttpLoadsAsABlackBoxOnly(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve(ModelDescription.FILE_NAME), description(OutputKind.SOFTMAX, "").toString());
        try (DescribedClassifier c = ModelFolder.loadAny(ctx, folder)) {
            HttpClassifier h = assertInstanceOf(HttpClassifier.class, c);
            assertFalse(c instanceof WhiteBoxClassifier);
            assertEquals(Map.of(ModelDescription.FILE_NAME, Hashing.sha256(folder.resolve(ModelDescription.FILE_NAME))),
                    h.info().fileSha256());
            BlackBoxClassifier box = c;
            float[] p = pixels(1);
            assertEquals(max(modelInput(p, 0)), box.scores(images(p)).raw()[0][2], 1e-5f);
        }
        VcexException e = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, folder));
        assertTrue(e.getMessage().contains("(format http) is a black box"), e.getMessage());
        assertTrue(e.getMessage().contains("DVCE"), e.getMessage());
    }

    @Test
    void theRateLimiterSpacesEvents() throws InterruptedException {
        RateLimiter r = new RateLimiter(50);
        long start = System.nanoTime();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            r.acquire();
            times.add(System.nanoTime());
        }
        assertTrue(millisSince(start) >= 80, "5 events at 50 per second span at least 80 ms");
        assertTrue(times.get(0) - start < TimeUnit.MILLISECONDS.toNanos(20), "the first is not delayed");
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0));
    }
}
