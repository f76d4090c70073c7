package io.jobline.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.jobline.api.JoblineApplication;
import io.jobline.processor.support.Json;
import tools.jackson.databind.JsonNode;

/**
 * Push latency: the whole service (embedded broker, processor, projections, API) in this JVM, demo jobs producing
 * about 1,000 events/s, and N WebSocket clients subscribed to every job. A message's latency is the time from the
 * event's timestamp (when the worker reported it) to the moment a client received it, so it includes the
 * decider, its exactly-once commit, the projection and the push. Side consumers time the stages on the way:
 * command visible on job-commands, event appended and committed on job-events, view written by the projection.
 *
 * <p>Arguments (all optional): {@code --clients=100 --jobs=150 --concurrency=15 --stages=20 --stage-ms=100
 * --commit-interval-ms=100}.
 */
public final class PushLatencyBenchmark {

    private PushLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int clients = Integer.parseInt(options.getOrDefault("clients", "100"));
        int jobs = Integer.parseInt(options.getOrDefault("jobs", "150"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "15"));
        int stages = Integer.parseInt(options.getOrDefault("stages", "20"));
        int stageMs = Integer.parseInt(options.getOrDefault("stage-ms", "100"));
        String commitMs = options.getOrDefault("commit-interval-ms", "100");

        Path data = Files.createTempDirectory("jobline-bench-");
        ConfigurableApplicationContext app = new SpringApplicationBuilder(JoblineApplication.class).run(
                "--server.port=0", "--jobline.data-dir=" + data, "--jobline.kafka.embedded-port=0",
                "--jobline.processor.concurrency=" + concurrency, "--jobline.kafka.commit-interval-ms=" + commitMs,
                "--jobline.live.queue-capacity=100000", "--logging.level.root=WARN", "--logging.level.io.jobline=WARN");
        String base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
        HttpClient http = HttpClient.newHttpClient();
        try {
            awaitHealthy(http, base);
            List<Recorder> recorders = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                recorders.add(Recorder.connect(http, base));
            }
            for (Recorder recorder : recorders) {
                recorder.subscribed.await(30, TimeUnit.SECONDS);
            }
            runJobs(http, base, Math.min(jobs, concurrency), stages, stageMs);
            recorders.forEach(Recorder::reset);
            String bootstrap = app.getBean(io.jobline.processor.system.KafkaSettings.class).bootstrapServers();
            TopicTimer commandsSeen = new TopicTimer(bootstrap, "job-commands", "read_uncommitted");
            TopicTimer eventsAppended = new TopicTimer(bootstrap, "job-events", "read_uncommitted");
            TopicTimer eventsCommitted = new TopicTimer(bootstrap, "job-events", "read_committed");
            TopicTimer projected = new TopicTimer(bootstrap, "jobline-projections-job-history-changelog", "read_uncommitted");

            long started = System.currentTimeMillis();
            List<String> ids = runJobs(http, base, jobs, stages, stageMs);
            long finished = System.currentTimeMillis();
            Thread.sleep(1000);

            Map<String, Map<Long, Long>> eventTimes = new HashMap<>();
            long events = 0;
            for (String id : ids) {
                Map<Long, Long> times = new HashMap<>();
                for (JsonNode event : get(http, base + "/api/jobs/" + id + "/events").get("events")) {
                    times.put(event.get("sequence").asLong(), Instant.parse(event.get("timestamp").asString()).toEpochMilli());
                }
                events += times.size();
                eventTimes.put(id, times);
            }
            long[] latencies = recorders.stream().flatMapToLong(r -> r.latencies(eventTimes)).sorted().toArray();
            double seconds = (finished - started) / 1000.0;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("clients", clients);
            result.put("jobs", jobs);
            result.put("commit_interval_ms", Long.parseLong(commitMs));
            result.put("events", events);
            result.put("events_per_second", Math.round(events / seconds));
            result.put("messages_delivered", latencies.length);
            result.put("messages_expected", events * clients);
            result.put("latency_ms_p50", percentile(latencies, 50));
            result.put("latency_ms_p99", percentile(latencies, 99));
            result.put("latency_ms_p999", percentile(latencies, 99.9));
            result.put("latency_ms_max", latencies.length == 0 ? -1 : latencies[latencies.length - 1]);
            result.put("stage_command_visible_ms_p50_p99", commandsSeen.percentiles());
            result.put("stage_event_appended_ms_p50_p99", eventsAppended.percentiles());
            result.put("stage_event_committed_ms_p50_p99", eventsCommitted.percentiles());
            result.put("stage_projected_ms_p50_p99", projected.percentiles());
            projected.close();
            commandsSeen.close();
            eventsAppended.close();
            eventsCommitted.close();
            System.out.println(Json.write(result));
            recorders.forEach(Recorder::close);
        } finally {
            app.close();
        }
    }

    private static List<String> runJobs(HttpClient http, String base, int count, int stages, int stageMs) throws Exception {
        List<String> ids = new ArrayList<>();
        String body = "{\"type\":\"demo\",\"input\":{\"stages\":" + stages + ",\"stage_ms\":" + stageMs + "}}";
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/jobs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            ids.add(Json.parse(response.body()).get("job_id").asString());
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        for (String id : ids) {
            while (!get(http, base + "/api/jobs/" + id).get("status").asString().equals("completed")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Job " + id + " did not complete in time");
                }
                Thread.sleep(500);
            }
        }
        return ids;
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static void awaitHealthy(HttpClient http, String base) throws Exception {
        for (int i = 0; i < 600; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Service did not become healthy");
    }

    private static JsonNode get(HttpClient http, String url) throws Exception {
        return Json.parse(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        return options;
    }

    /**
     * Reads a topic as it is written and records, per record, the time from the record's timestamp (the worker's
     * report) to when this consumer saw it: where in the pipeline time goes.
     */
    private static final class TopicTimer implements AutoCloseable {
        private final Thread thread;
        private final java.util.List<Long> delays = java.util.Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running = true;

        TopicTimer(String bootstrap, String topic, String isolation) {
            Map<String, Object> config = new HashMap<>();
            config.put("bootstrap.servers", bootstrap);
            config.put("isolation.level", isolation);
            config.put("enable.auto.commit", false);
            config.put("fetch.max.wait.ms", 10);
            var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(config,
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            thread = new Thread(() -> {
                while (running) {
                    for (var record : consumer.poll(Duration.ofMillis(50))) {
                        delays.add(System.currentTimeMillis() - record.timestamp());
                    }
                }
                consumer.close();
            }, "timer-" + topic + "-" + isolation);
            thread.setDaemon(true);
            thread.start();
        }

        String percentiles() {
            long[] sorted;
            synchronized (delays) {
                sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            return percentile(sorted, 50) + " / " + percentile(sorted, 99);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(2000);
        }
    }

    /** One WebSocket client subscribed to every job; records (job, sequence, received at) of each update. */
    private static final class Recorder implements WebSocket.Listener {
        private final CountDownLatch subscribed = new CountDownLatch(1);
        private final StringBuilder partial = new StringBuilder();
        private final List<String> jobs = new ArrayList<>();
        private long[] seqs = new long[1 << 16];
        private long[] received = new long[1 << 16];
        private int[] jobIndexes = new int[1 << 16];
        private final Map<String, Integer> jobIndex = new HashMap<>();
        private int size;
        private WebSocket socket;

        static Recorder connect(HttpClient http, String base) {
            Recorder recorder = new Recorder();
            recorder.socket = http.newWebSocketBuilder().buildAsync(URI.create(base.replace("http", "ws") + "/ws"), recorder).join();
            recorder.socket.sendText("{\"subscribe\": \"*\"}", true).join();
            return recorder;
        }

        @Override
        public synchronized CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.currentTimeMillis();
                String message = partial.toString();
                partial.setLength(0);
                if (message.startsWith("{\"type\":\"subscribed\"")) {
                    subscribed.countDown();
                } else if (message.startsWith("{\"type\":\"job_")) {
                    record(message, now);
                }
            }
            webSocket.request(1);
            return null;
        }

        private void record(String message, long now) {
            int idAt = message.indexOf("\"job_id\":\"") + 10;
            String jobId = message.substring(idAt, message.indexOf('"', idAt));
            int seqAt = message.lastIndexOf("\"seq\":") + 6;
            int seqEnd = seqAt;
            while (seqEnd < message.length() && Character.isDigit(message.charAt(seqEnd))) {
                seqEnd++;
            }
            if (size == seqs.length) {
                seqs = Arrays.copyOf(seqs, size * 2);
                received = Arrays.copyOf(received, size * 2);
                jobIndexes = Arrays.copyOf(jobIndexes, size * 2);
            }
            jobIndexes[size] = jobIndex.computeIfAbsent(jobId, id -> {
                jobs.add(id);
                return jobs.size() - 1;
            });
            seqs[size] = Long.parseLong(message.substring(seqAt, seqEnd));
            received[size] = now;
            size++;
        }

        synchronized void reset() {
            size = 0;
        }

        synchronized java.util.stream.LongStream latencies(Map<String, Map<Long, Long>> eventTimes) {
            java.util.stream.LongStream.Builder out = java.util.stream.LongStream.builder();
            for (int i = 0; i < size; i++) {
                Map<Long, Long> times = eventTimes.get(jobs.get(jobIndexes[i]));
                Long at = times == null ? null : times.get(seqs[i]);
                if (at != null) {
                    out.add(received[i] - at);
                }
            }
            return out.build();
        }

        void close() {
            socket.abort();
        }
    }
}
