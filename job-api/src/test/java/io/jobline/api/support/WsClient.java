package io.jobline.api.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.jobline.core.support.Json;
import tools.jackson.databind.JsonNode;

/** A WebSocket client of /ws that collects every message; {@link #stopReading()} makes it a stalled client. */
public final class WsClient implements AutoCloseable {

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private volatile boolean reading = true;

    public WsClient(String httpBaseUrl) {
        this(httpBaseUrl, "", java.util.Map.of());
    }

    /**
     * Connects to /ws with {@code query} (like "?ticket=...", or "") and more handshake headers; a refused handshake
     * throws (CompletionException).
     */
    public WsClient(String httpBaseUrl, String query, java.util.Map<String, String> headers) {
        URI uri = URI.create(httpBaseUrl.replaceFirst("^http", "ws") + "/ws" + query);
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(uri, new Listener()).join();
    }

    public void send(String json) {
        socket.sendText(json, true).join();
    }

    /** The next message that matches, skipping others; fails after the timeout. */
    public JsonNode next(Predicate<JsonNode> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> skipped = new ArrayList<>();
        while (true) {
            JsonNode message = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("No matching WebSocket message within " + timeout + "; skipped "
                        + skipped.size() + ": " + skipped.subList(Math.max(0, skipped.size() - 5), skipped.size()));
            }
            skipped.add(message.toString().substring(0, Math.min(200, message.toString().length())));
            if (matching.test(message)) {
                return message;
            }
        }
    }

    public JsonNode next(Duration timeout) throws InterruptedException {
        return next(m -> true, timeout);
    }

    /** Every message until one matches {@code last} (included). */
    public List<JsonNode> until(Predicate<JsonNode> last, Duration timeout) throws InterruptedException {
        List<JsonNode> messages = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode message = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("Stream ended before the expected message; got " + messages);
            }
            messages.add(message);
            if (last.test(message)) {
                return messages;
            }
        }
    }

    public List<JsonNode> drain() {
        List<JsonNode> messages = new ArrayList<>();
        received.drainTo(messages);
        return messages;
    }

    public void stopReading() {
        reading = false;
    }

    public CompletableFuture<Integer> closed() {
        return closed;
    }

    @Override
    public void close() {
        socket.abort();
    }

    public static boolean type(JsonNode message, String type) {
        return type.equals(message.path("type").asString());
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(Json.parse(partial.toString()));
                partial.setLength(0);
            }
            if (reading) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
