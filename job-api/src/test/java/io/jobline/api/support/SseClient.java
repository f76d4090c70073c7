package io.jobline.api.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.jobline.core.support.Json;
import tools.jackson.databind.JsonNode;

/** An EventSource-like client: reads Server-Sent Events (id, event, data) from a stream in the background. */
public final class SseClient implements AutoCloseable {

    /** One event as the client saw it. */
    public record Event(String id, String name, JsonNode data) {
    }

    private static final Event END = new Event(null, null, null);

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private final int status;

    public SseClient(String url, String lastEventId) {
        this(url, lastEventId, java.util.Map.of());
    }

    /** With more request headers (an Authorization). */
    public SseClient(String url, String lastEventId, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> r = response.join();
        status = r.statusCode();
        Thread reader = new Thread(() -> read(r.body()), "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public int status() {
        return status;
    }

    public Event next(Predicate<Event> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("No matching server-sent event within " + timeout);
            }
            if (event == END) {
                events.add(END);
                throw new AssertionError("The server ended the stream before a matching event");
            }
            if (matching.test(event)) {
                return event;
            }
        }
    }

    /** Every event until one matches {@code last} (included). */
    public java.util.List<Event> until(Predicate<Event> last, Duration timeout) throws InterruptedException {
        java.util.List<Event> seen = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null || event == END) {
                throw new AssertionError("No matching server-sent event within " + timeout + "; got " + seen.size());
            }
            seen.add(event);
            if (last.test(event)) {
                return seen;
            }
        }
    }

    private void read(Stream<String> lines) {
        String[] current = new String[3];
        StringBuilder data = new StringBuilder();
        try {
            lines.forEach(line -> {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(current[0], current[1], Json.parse(data.toString())));
                    }
                    current[0] = null;
                    current[1] = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    current[0] = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    current[1] = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            });
        } catch (RuntimeException e) {
            // stream closed
        }
        events.add(END);
    }

    @Override
    public void close() {
        response.cancel(true);
        response.thenAccept(r -> r.body().close());
    }
}
