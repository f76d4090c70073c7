package io.jobline.benchmarks.harness;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.jobline.core.support.Json;
import tools.jackson.databind.JsonNode;

/**
 * N WebSocket clients, each subscribed to every job ({@code {"subscribe": "*"}}, the worst case: every client gets
 * every update), recording when each update arrived. The clients share one selector thread
 * ({@link WebSocketClients}), so the load generator takes little of the machine the service runs on. A message's
 * latency is from its event's timestamp (when the worker reported) to its arrival: the decider, its commit, the
 * projection and the push.
 */
final class PushClients implements AutoCloseable {

    /**
     * One run: latencies of every delivered message, and how many were expected. The latency is split at the moment
     * a read_committed consumer of the event topic sees the event: {@code toVisible} (the decider and its commit)
     * and {@code visibleToClient} (the projection and the push).
     */
    record Result(Samples latencies, Samples toVisible, Samples visibleToClient, long delivered, long expected,
                  double eventsPerSecond) {
    }

    private final List<Client> clients = new ArrayList<>();
    private final WebSocketClients sockets;

    PushClients(ServiceProcess service, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            clients.add(new Client());
        }
        sockets = new WebSocketClients(URI.create(service.baseUrl.replace("http", "ws") + "/ws"),
                List.copyOf(clients));
        sockets.sendToAll("{\"subscribe\": \"*\"}");
        for (Client client : clients) {
            if (!client.subscribed.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a push client was not subscribed within 30 s");
            }
        }
    }

    /** Runs {@code jobs} demo jobs at once and measures every client's updates about them. */
    Result run(ServiceLoad load, int jobs, int stages, int stageMs) throws Exception {
        clients.forEach(Client::reset);
        Map<String, Long> visibleAt = new ConcurrentHashMap<>();
        AtomicBoolean consuming = new AtomicBoolean(true);
        long nanoToWall = System.currentTimeMillis() * 1_000_000 - System.nanoTime();
        Thread consumer = load.eventConsumer(consuming, (event, seenNanos) ->
                visibleAt.put(event.getJobId() + "/" + event.getSequence(), (seenNanos + nanoToWall) / 1_000_000));
        String body = "{\"type\": \"demo\", \"input\": {\"stages\": " + stages + ", \"stage_ms\": " + stageMs + "}}";
        List<String> ids = new ArrayList<>();
        long start = System.currentTimeMillis();
        for (int i = 0; i < jobs; i++) {
            ids.add(Json.parse(load.post("/api/jobs", body).body()).get("job_id").asString());
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        for (String id : ids) {
            while (!load.get("/api/jobs/" + id).body().contains("\"status\":\"completed\"")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("push load: job " + id + " did not complete in 3 minutes");
                }
                Thread.sleep(100);
            }
        }
        double seconds = (System.currentTimeMillis() - start) / 1000.0;
        Thread.sleep(2_000);
        consuming.set(false);
        consumer.join(5_000);
        Map<String, Map<Long, Long>> eventTimes = new HashMap<>();
        long events = 0;
        for (String id : ids) {
            Map<Long, Long> times = new HashMap<>();
            for (JsonNode event : Json.parse(load.get("/api/jobs/" + id + "/events").body()).get("events")) {
                times.put(event.get("sequence").asLong(), Instant.parse(event.get("timestamp").asString()).toEpochMilli());
            }
            events += times.size();
            eventTimes.put(id, times);
        }
        Samples latencies = new Samples();
        Samples visibleToClient = new Samples();
        long delivered = 0;
        for (Client client : clients) {
            delivered += client.latencies(eventTimes, visibleAt, latencies, visibleToClient);
        }
        Samples toVisible = new Samples();
        eventTimes.forEach((id, times) -> times.forEach((seq, at) -> {
            Long visible = visibleAt.get(id + "/" + seq);
            if (visible != null) {
                toVisible.add(Math.max(0, visible - at) * 1_000_000);
            }
        }));
        return new Result(latencies, toVisible, visibleToClient, delivered, events * clients.size(), events / seconds);
    }

    @Override
    public void close() {
        sockets.close();
    }

    private static final class Client implements WebSocketClients.Handler {
        private final CountDownLatch subscribed = new CountDownLatch(1);
        private final List<String> jobs = new ArrayList<>();
        private final Map<String, Integer> jobIndex = new HashMap<>();
        private long[] seqs = new long[1 << 12];
        private long[] received = new long[1 << 12];
        private int[] jobIndexes = new int[1 << 12];
        private int size;

        @Override
        public synchronized void onText(String message, long now) {
            if (message.startsWith("{\"type\":\"subscribed\"")) {
                subscribed.countDown();
            } else if (message.startsWith("{\"type\":\"job_")) {
                record(message, now);
            }
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

        /**
         * Adds the latency of each message about these jobs, from its event's timestamp and from the event being
         * visible to a read_committed consumer; returns how many there were.
         */
        synchronized long latencies(Map<String, Map<Long, Long>> eventTimes, Map<String, Long> visibleAt,
                                    Samples fromEvent, Samples fromVisible) {
            long count = 0;
            for (int i = 0; i < size; i++) {
                String job = jobs.get(jobIndexes[i]);
                Map<Long, Long> times = eventTimes.get(job);
                Long at = times == null ? null : times.get(seqs[i]);
                if (at != null) {
                    fromEvent.add(Math.max(0, received[i] - at) * 1_000_000);
                    count++;
                }
                Long visible = visibleAt.get(job + "/" + seqs[i]);
                if (visible != null) {
                    fromVisible.add(Math.max(0, received[i] - visible) * 1_000_000);
                }
            }
            return count;
        }
    }
}
