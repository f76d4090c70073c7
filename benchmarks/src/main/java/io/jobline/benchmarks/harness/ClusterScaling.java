package io.jobline.benchmarks.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.utils.Utils;

import io.jobline.core.support.Json;
import tools.jackson.databind.JsonNode;

/**
 * 1 to N instances of the service on one broker (the first instance's embedded one), each advertising its URL:
 * no-op jobs/s with the batches spread over the instances, and the latency of {@code GET /api/jobs/{id}} on an
 * instance whose projection holds the job's partition (local) and on one that asks the holder over HTTP (remote).
 */
final class ClusterScaling implements AutoCloseable {

    private static final int BATCH = 500;
    private static final int PARTITIONS = 6;

    private final List<ServiceProcess> instances = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Read latencies: on the instance holding the job's partition, and on the others. */
    record Reads(Samples local, Samples remote) {
    }

    /** Starts {@code size} instances with {@code env} on top of the cluster's settings; waits until they share the partitions. */
    static ClusterScaling start(java.nio.file.Path jar, Map<String, String> env, int size) throws Exception {
        ClusterScaling cluster = new ClusterScaling();
        Map<String, String> clustered = new HashMap<>(env);
        clustered.put("JOBLINE_ADVERTISED_URL", "http://127.0.0.1:{port}");
        clustered.put("JOBLINE_SECRETS_KEYS", "bench:" + Base64.getEncoder().encodeToString(new byte[32]));
        clustered.put("JOBLINE_PARTITIONS", Integer.toString(PARTITIONS));
        try {
            ServiceProcess first = ServiceProcess.start(jar, clustered);
            cluster.instances.add(first);
            clustered.put("KAFKA_BOOTSTRAP_SERVERS", first.bootstrapServers);
            for (int i = 1; i < size; i++) {
                cluster.instances.add(ServiceProcess.start(jar, clustered));
            }
            cluster.awaitPartitionsShared();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Waits until every partition has exactly one holder and every instance holds some. */
    private void awaitPartitionsShared() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            List<Set<Integer>> held = held();
            Set<Integer> all = new HashSet<>();
            int total = 0;
            for (Set<Integer> part : held) {
                all.addAll(part);
                total += part.size();
            }
            if (all.size() == PARTITIONS && total == PARTITIONS && held.stream().noneMatch(Set::isEmpty)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("The instances did not share the partitions within 3 minutes: " + held());
    }

    /** The partitions each instance's projection holds, from its health details. */
    private List<Set<Integer>> held() throws Exception {
        List<Set<Integer>> held = new ArrayList<>();
        for (ServiceProcess instance : instances) {
            Set<Integer> partitions = new HashSet<>();
            try {
                JsonNode health = Json.parse(get(instance, "/actuator/health/projections").body());
                health.path("details").path("partitions").forEach(p -> partitions.add(p.asInt()));
            } catch (Exception e) {
                // not answering yet
            }
            held.add(partitions);
        }
        return held;
    }

    /** Submits {@code jobs} no-op jobs in batches, round-robin over the instances, and times them to the last one ended. */
    double throughput(int jobs) throws Exception {
        long before = ended();
        String batch = "{\"jobs\": [" + String.join(",", java.util.Collections.nCopies(BATCH, ServiceLoad.NOOP)) + "]}";
        long start = System.nanoTime();
        ExecutorService submitters = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < jobs / BATCH; i++) {
                ServiceProcess to = instances.get(i % instances.size());
                sent.add(submitters.submit(() -> {
                    HttpResponse<String> answer = post(to, "/api/jobs/batch", batch);
                    if (answer.statusCode() != 202) {
                        throw new IllegalStateException("batch submit: " + answer.statusCode() + " " + answer.body());
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            submitters.shutdown();
        }
        long submitted = (long) (jobs / BATCH) * BATCH;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (ended() - before < submitted) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("jobs did not end within 5 minutes");
            }
            Thread.sleep(50);
        }
        return submitted / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * {@code jobs} no-op jobs, then {@code GET /api/jobs/{id}} of each on every instance, one at a time: the local
     * reads are those of the instance holding the job's partition, the remote ones the others'.
     */
    Reads reads(int jobs) throws Exception {
        List<String> ids = new ArrayList<>();
        String batch = "{\"jobs\": [" + String.join(",", java.util.Collections.nCopies(Math.min(jobs, BATCH), ServiceLoad.NOOP)) + "]}";
        while (ids.size() < jobs) {
            JsonNode accepted = Json.parse(post(instances.get(0), "/api/jobs/batch", batch).body());
            accepted.path("jobs").forEach(j -> ids.add(j.path("job_id").asString()));
        }
        Thread.sleep(2_000);
        List<Set<Integer>> held = held();
        Samples local = new Samples();
        Samples remote = new Samples();
        for (String id : ids) {
            int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            for (int i = 0; i < instances.size(); i++) {
                long start = System.nanoTime();
                HttpResponse<String> answer = get(instances.get(i), "/api/jobs/" + id);
                long took = System.nanoTime() - start;
                if (answer.statusCode() == 200) {
                    (held.get(i).contains(partition) ? local : remote).add(took);
                }
            }
        }
        return new Reads(local, remote);
    }

    /** Jobs ended in the whole cluster; asked again while a rebalance makes the stats answer 503. */
    private long ended() throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> stats = get(instances.get(0), "/api/jobs/stats");
            if (stats.statusCode() == 200) {
                JsonNode counts = Json.parse(stats.body()).path("counts");
                return counts.path("completed").asLong() + counts.path("failed").asLong();
            }
            if (attempt == 600) {
                throw new IllegalStateException("GET /api/jobs/stats: " + stats.statusCode() + " " + stats.body());
            }
            Thread.sleep(100);
        }
    }

    private HttpResponse<String> get(ServiceProcess instance, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(instance.baseUrl + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(ServiceProcess instance, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(instance.baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        for (int i = instances.size() - 1; i >= 0; i--) {
            instances.get(i).close(); // the first one, with the broker, last
        }
    }
}
