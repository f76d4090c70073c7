package io.jobline.benchmarks.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.jobline.core.support.Json;
import tools.jackson.databind.JsonNode;

/**
 * Workers outside the service on the HTTP worker protocol, run by the harness: each long-polls for a one-stage
 * declared type and completes what it gets at once. Pickup: from sending the submit to the poll answering with
 * the job.
 */
final class ExternalWorkers {

    static final String TYPE = "bench-external";

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    ExternalWorkers(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Declares the type (one stage, no limit); again is harmless. */
    void declare() throws Exception {
        HttpResponse<String> answer = send("PUT", "/api/job-types/" + TYPE, "{\"stages\": [\"run\"]}");
        if (answer.statusCode() != 200 && answer.statusCode() != 201) {
            throw new IllegalStateException("Declaring " + TYPE + " answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    /**
     * {@code pollers} workers wait while jobs are submitted at {@code perSecond} for {@code seconds}; the pickup of
     * each job, and how many jobs per second they completed.
     */
    Result pickup(HttpLoad load, int pollers, double perSecond, double seconds) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> handedAt = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService workers = Executors.newFixedThreadPool(pollers);
        List<java.util.concurrent.Future<?>> loops = new ArrayList<>();
        for (int w = 0; w < pollers; w++) {
            String workerId = "bench-worker-" + w;
            loops.add(workers.submit(() -> {
                while (running.get()) {
                    HttpResponse<String> answer = send("POST", "/api/workers/poll",
                            "{\"worker_id\": \"" + workerId + "\", \"types\": [\"" + TYPE + "\"], \"wait_ms\": 1000}");
                    if (answer.statusCode() == 200) {
                        long handed = System.nanoTime();
                        JsonNode task = Json.parse(answer.body());
                        String id = task.get("job_id").asString();
                        handedAt.put(id, handed);
                        send("POST", "/api/jobs/" + id + "/attempts/" + task.get("attempt").asInt() + "/complete", "{}");
                    }
                }
                return null;
            }));
        }
        Thread.sleep(2_000); // every poller's share consumer has joined its group
        load.post("/api/jobs", "{\"type\": \"" + TYPE + "\"}", perSecond, seconds, (scheduled, sent, answer) -> {
            if (answer.status() == 202) {
                sentAt.put(Json.parse(answer.body()).get("job_id").asString(), sent);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (handedAt.size() < sentAt.size() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        running.set(false);
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
        Samples pickup = new Samples();
        sentAt.forEach((id, sent) -> {
            Long handed = handedAt.get(id);
            if (handed != null) {
                pickup.add(Math.max(0, handed - sent));
            }
        });
        return new Result(pickup, sentAt.size() - handedAt.size());
    }

    /** Pickup latencies, and submitted jobs never handed out. */
    record Result(Samples pickup, int missed) {
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
