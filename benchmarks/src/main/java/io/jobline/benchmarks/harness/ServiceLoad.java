package io.jobline.benchmarks.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.jobline.core.support.Json;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.StageStarted;
import io.jobline.schemas.registry.SchemaRegistry;
import io.jobline.schemas.topic.JobTopics;
import tools.jackson.databind.JsonNode;

/** Load on the running service over its public API, measured from outside. */
final class ServiceLoad {

    static final String NOOP = "{\"type\": \"noop\"}";
    private static final int BATCH = 500;

    private static final int LOAD_CONNECTIONS = 64;

    private final ServiceProcess service;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final HttpLoad load;

    ServiceLoad(ServiceProcess service) {
        this.service = service;
        URI base = URI.create(service.baseUrl);
        this.load = new HttpLoad(base.getHost(), base.getPort(), LOAD_CONNECTIONS);
    }

    /** One bulk run: jobs/s until the projection shows every job ended, and how many completed and failed. */
    record Throughput(double jobsPerSecond, long completed, long failed) {
    }

    /**
     * Submits {@code jobs} no-op jobs in batches (all at once: the submitters do not wait for jobs to finish) and
     * waits until the projection shows every one of them ended, completed or failed.
     */
    Throughput throughput(int jobs) throws Exception {
        Counts before = counts();
        String batch = "{\"jobs\": [" + String.join(",", java.util.Collections.nCopies(BATCH, NOOP)) + "]}";
        long start = System.nanoTime();
        ExecutorService submitters = Executors.newFixedThreadPool(2);
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < jobs / BATCH; i++) {
            sent.add(submitters.submit(() -> {
                HttpResponse<String> response = post("/api/jobs/batch", batch);
                if (response.statusCode() != 202) {
                    throw new IllegalStateException("batch submit: " + response.statusCode() + " " + response.body());
                }
                return null;
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        submitters.shutdown();
        long submitted = (long) (jobs / BATCH) * BATCH;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        Counts now = counts();
        while (now.ended() - before.ended() < submitted) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("jobs did not end within 5 minutes: " + (now.ended() - before.ended())
                        + " of " + submitted);
            }
            Thread.sleep(50);
            now = counts();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long failed = now.failed() - before.failed();
        if (failed > 0) {
            System.out.printf("  %d of %d jobs failed; first: %s%n", failed, submitted,
                    get("/api/jobs?status=failed&limit=1").body());
        }
        return new Throughput(submitted / seconds, now.completed() - before.completed(), failed);
    }

    /** POST /api/jobs latency at a fixed rate, from each request's scheduled time to its answer. */
    Samples submitLatency(double perSecond, double seconds) throws Exception {
        Samples samples = new Samples();
        AtomicInteger refused = new AtomicInteger();
        int failed = load.post("/api/jobs", NOOP, perSecond, seconds, (scheduled, sent, answer) -> {
            if (answer.status() == 202) {
                samples.add(System.nanoTime() - scheduled);
            } else {
                refused.incrementAndGet();
            }
        });
        if (failed + refused.get() > 0) {
            System.out.printf("  submit at %.0f/s: %d connection failures, %d answers other than 202%n", perSecond,
                    failed, refused.get());
        }
        return samples;
    }

    /** Long-poll pickup: {@code pollers} external workers on the HTTP protocol, jobs submitted at a fixed rate. */
    ExternalWorkers.Result externalPickup(int pollers, double perSecond, double seconds) throws Exception {
        ExternalWorkers workers = new ExternalWorkers(service.baseUrl);
        workers.declare();
        return workers.pickup(load, pollers, perSecond, seconds);
    }

    /** Latencies of one pickup-and-lag run. */
    record Latencies(Samples pickup, Samples startVisible, Samples projectionLag) {
    }

    /**
     * Single no-op submits at a fixed rate. Pickup: from sending the submit to the worker starting the first stage
     * (the StageStarted event's time, which is when the worker asked). Start visible: until a read_committed
     * consumer sees JobStarted. Projection lag: from a consumer seeing JobCompleted to GET /api/jobs/{id} showing
     * it completed.
     */
    Latencies pickupAndLag(double perSecond, double seconds) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> stageStartedAt = new ConcurrentHashMap<>();
        Map<String, Long> startSeenAt = new ConcurrentHashMap<>();
        Samples lag = new Samples();
        ExecutorService pollers = Executors.newFixedThreadPool(4);
        AtomicBoolean running = new AtomicBoolean(true);
        long wallToNano = System.nanoTime() - System.currentTimeMillis() * 1_000_000;
        Thread consumerThread = eventConsumer(running, (event, seenNanos) -> {
            Object payload = event.getPayload();
            if (payload instanceof StageStarted s && s.getStage() == 1 && event.getAttempt() == 1) {
                stageStartedAt.put(event.getJobId(), event.getTimestamp().toEpochMilli() * 1_000_000 + wallToNano);
            } else if (payload instanceof JobStarted) {
                startSeenAt.putIfAbsent(event.getJobId(), seenNanos);
            } else if (payload instanceof JobCompleted) {
                String id = event.getJobId();
                pollers.submit(() -> {
                    long deadline = seenNanos + TimeUnit.SECONDS.toNanos(10);
                    while (System.nanoTime() < deadline) {
                        HttpResponse<String> job = get("/api/jobs/" + id);
                        if (job.statusCode() == 200 && job.body().contains("\"status\":\"completed\"")) {
                            lag.add(System.nanoTime() - seenNanos);
                            return null;
                        }
                        Thread.sleep(1);
                    }
                    return null;
                });
            }
        });
        Thread.sleep(500);
        load.post("/api/jobs", NOOP, perSecond, seconds, (scheduled, sent, answer) -> {
            if (answer.status() == 202) {
                sentAt.put(Json.parse(answer.body()).get("job_id").asString(), sent);
            }
        });
        Thread.sleep(3_000);
        running.set(false);
        consumerThread.join(5_000);
        pollers.shutdown();
        pollers.awaitTermination(15, TimeUnit.SECONDS);
        Samples pickup = new Samples();
        Samples startVisible = new Samples();
        sentAt.forEach((id, sent) -> {
            Long stage = stageStartedAt.get(id);
            if (stage != null) {
                pickup.add(Math.max(0, stage - sent));
            }
            Long seen = startSeenAt.get(id);
            if (seen != null) {
                startVisible.add(seen - sent);
            }
        });
        return new Latencies(pickup, startVisible, lag);
    }

    interface EventHandler {
        void on(JobEvent event, long seenNanos);
    }

    /** A read_committed consumer of the event topic from its end, telling {@code handler} when it sees each event. */
    Thread eventConsumer(AtomicBoolean running, EventHandler handler) {
        JobTopics topics = new JobTopics(SchemaRegistry.forUrl(null));
        Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", service.bootstrapServers,
                "isolation.level", "read_committed", "enable.auto.commit", false, "fetch.max.wait.ms", 5));
        KafkaConsumer<String, JobEvent> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                topics.events().valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(JobTopics.EVENTS).stream()
                .map(p -> new TopicPartition(JobTopics.EVENTS, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        Thread thread = new Thread(() -> {
            try (consumer) {
                while (running.get()) {
                    for (var record : consumer.poll(Duration.ofMillis(20))) {
                        handler.on(record.value(), System.nanoTime());
                    }
                }
            }
        }, "bench-events");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    long completed() throws Exception {
        return counts().completed();
    }

    /** Completed and failed jobs, as the stats projection counts them. */
    record Counts(long completed, long failed) {
        long ended() {
            return completed + failed;
        }
    }

    Counts counts() throws Exception {
        JsonNode counts = Json.parse(get("/api/jobs/stats").body()).path("counts");
        return new Counts(counts.path("completed").asLong(), counts.path("failed").asLong());
    }

    long retainedJobs() throws Exception {
        return Json.parse(get("/api/jobs/stats").body()).path("total").asLong();
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(request(path, json), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(service.baseUrl + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String json) {
        return HttpRequest.newBuilder(URI.create(service.baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }
}
