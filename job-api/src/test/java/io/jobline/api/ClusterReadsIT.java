package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.cluster.Peers;
import io.jobline.api.support.ChildService;
import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.WsClient;
import io.jobline.core.system.KafkaSettings;
import tools.jackson.databind.JsonNode;

/**
 * Two instances on one broker (B in a child JVM), each advertising its URL: every job is answered by both, whichever holds its
 * partition, also right after the other one accepted it (never a 404 for a job that exists); listings, their
 * cursors and the stats are the cluster's, the same on both; a follower of every job on either instance is pushed
 * every job's updates; an external worker's calls and a job's webhook deliveries work on either; racing
 * Idempotency-Keys make one job; and with B SIGKILLed mid-run and restarted, A never answers 404 and every job
 * completes exactly once.
 */
class ClusterReadsIT {

    private static final int JOBS = 30;

    @TempDir
    Path dir;

    @Test
    void shouldAnswerForEveryJobOnEveryInstance() throws Exception {
        String keys = "k1:" + Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'c');
        int portA = freePort();
        try (RunningService a = RunningService.start(dir.resolve("a"), settings(portA, keys, Map.of()))) {
            String bootstrap = a.bean(KafkaSettings.class).bootstrapServers();
            Map<String, String> childSettings = new LinkedHashMap<>();
            settings(0, keys, Map.of("jobline.kafka.bootstrap-servers", bootstrap)).forEach((k, v) -> childSettings.put(k, String.valueOf(v)));
            childSettings.remove("server.port");
            childSettings.put("jobline.cluster.advertised-url", "http://127.0.0.1:{port}");
            try (ChildService b = new ChildService(dir.resolve("b"), childSettings).start()) {
                await("each instance knows the other").atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() ->
                        !a.bean(Peers.class).others().isEmpty()
                                && b.client().get("/actuator/health/readiness").status() == 200);
                ServiceClient[] clients = {a.client(), b.client()};
                List<WsClient> followers = new ArrayList<>();
                for (ServiceClient client : clients) {
                    WsClient ws = new WsClient(client.baseUrl());
                    followers.add(ws);
                    ws.send("{\"subscribe\": \"*\"}");
                    assertThat(ws.next(m -> "subscribed".equals(m.path("type").asString()), Duration.ofSeconds(10)))
                            .as("subscribed to every job").isNotNull();
                }

                List<String> ids = new ArrayList<>();
                for (int i = 0; i < JOBS; i++) {
                    ServiceClient submitTo = clients[i % 2];
                    ServiceClient other = clients[(i + 1) % 2];
                    String id = submitTo.submit("demo", "{\"stages\": 1, \"stage_ms\": 0}");
                    ServiceClient.Response read = other.get("/api/jobs/" + id);
                    assertThat(read.status()).as("job %d read on the other instance right after its 202: %s", i, read)
                            .isEqualTo(200);
                    ids.add(id);
                }

                await("every job completed").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> ids.stream().allMatch(id -> "completed".equals(clients[0].job(id).get("status").asString())));
                for (String id : ids) {
                    for (ServiceClient client : clients) {
                        assertThat(client.job(id).get("status").asString()).isEqualTo("completed");
                        ServiceClient.Response answer = client.get("/api/jobs/" + id + "/events");
                        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
                        JsonNode events = answer.json();
                        assertThat(events.get("count").asInt()).as("events of %s", id).isGreaterThanOrEqualTo(4);
                        assertThat(events.get("events").get(0).get("type").asString()).isEqualTo("JobSubmitted");
                    }
                }

                // Each instance pushed every job's updates, in order, to its follower of every job.
                for (WsClient ws : followers) {
                    Map<String, List<JsonNode>> byJob = new LinkedHashMap<>();
                    await("every job's end pushed").atMost(Duration.ofSeconds(30)).until(() -> {
                        ws.drain().stream().filter(m -> m.has("job_id") && m.has("seq"))
                                .forEach(m -> byJob.computeIfAbsent(m.get("job_id").asString(), k -> new ArrayList<>()).add(m));
                        return ids.stream().allMatch(id -> byJob.getOrDefault(id, List.of()).stream().anyMatch(m ->
                                "job_status".equals(m.get("type").asString())
                                        && "completed".equals(m.get("status").get("status").asString())));
                    });
                    for (String id : ids) {
                        List<Long> seqs = byJob.get(id).stream().map(m -> m.get("seq").asLong()).toList();
                        assertThat(seqs).as("updates of %s", id).isSorted().doesNotHaveDuplicates();
                    }
                    ws.close();
                }

                for (ServiceClient client : clients) {
                    JsonNode listing = client.get("/api/jobs?limit=100").json();
                    assertThat(listing.get("count").asLong()).isEqualTo(JOBS);
                    assertThat(ids(listing)).containsExactlyInAnyOrderElementsOf(ids);
                    assertThat(paged(client, 7)).as("paging by cursor through both instances' jobs")
                            .containsExactlyElementsOf(ids(listing));
                    assertThat(client.get("/api/jobs?limit=5&offset=10").json().get("jobs")).extracting(j -> j.get("job_id").asString())
                            .containsExactlyElementsOf(ids(listing).subList(10, 15));
                    JsonNode stats = client.get("/api/jobs/stats").json();
                    assertThat(stats.get("counts").get("completed").asLong()).isEqualTo(JOBS);
                }
                // A job's webhook deliveries are listed by either instance, whichever holds them.
                try (WebhookIT.Receiver receiver = new WebhookIT.Receiver()) {
                    String notified = clients[0].postJson("/api/jobs", "{\"type\": \"noop\", \"input\": {}, \"notify\": {\"url\": \""
                            + receiver.url("/ok") + "\"}}").json().get("job_id").asString();
                    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/ok").size() == 1);
                    for (ServiceClient client : clients) {
                        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                            JsonNode deliveries = client.get("/api/jobs/" + notified + "/deliveries").json();
                            assertThat(deliveries.get("count").asInt()).as(deliveries.toString()).isEqualTo(1);
                            assertThat(deliveries.get("deliveries").get(0).get("id").asString())
                                    .isEqualTo(receiver.at("/ok").get(0).headers().get("webhook-id"));
                            assertThat(deliveries.get("deliveries").get(0).get("status").asString()).isEqualTo("delivered");
                        });
                    }
                }

                // An external worker takes a job from one instance and reports on it to the other.
                assertThat(clients[0].send("/api/job-types/clustered", "PUT", "application/json", "{\"stages\": [\"only\"]}")
                        .status()).isIn(200, 201);
                await().atMost(Duration.ofSeconds(10)).until(() -> clients[1].get("/api/job-types/clustered").status() == 200);
                String external = clients[1].submit("clustered", "{}");
                JsonNode task = clients[0].postJson("/api/workers/poll",
                        "{\"worker_id\": \"w-1\", \"types\": [\"clustered\"], \"wait_ms\": 20000}").json();
                assertThat(task.get("job_id").asString()).isEqualTo(external);
                String attempt = "/api/jobs/" + external + "/attempts/" + task.get("attempt").asInt();
                assertThat(clients[1].postJson(attempt + "/heartbeat", "{\"progress\": 0.5}").status()).isEqualTo(200);
                ServiceClient.Response completed = clients[1].postJson(attempt + "/complete", "{\"result\": {\"ok\": true}}");
                assertThat(completed.status()).as(completed.text()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(20)).until(() -> "completed".equals(clients[0].job(external).get("status").asString()));

                // One Idempotency-Key sent to both instances at once: one job; the other answer is the replay (200) of it,
                // or 422 when its request differs.
                for (int race = 0; race < 4; race++) {
                    boolean same = race % 2 == 0;
                    List<ServiceClient.Response> answers = race(clients, "race-" + race, same);
                    assertThat(answers).extracting(ServiceClient.Response::status).as("race %d: %s", race, answers)
                            .containsExactlyInAnyOrder(202, same ? 200 : 422);
                    String winner = answers.stream().filter(r -> r.status() == 202).findFirst().orElseThrow()
                            .json().get("job_id").asString();
                    if (same) {
                        assertThat(answers).allSatisfy(r -> assertThat(r.json().get("job_id").asString()).isEqualTo(winner));
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> clients[0].get("/api/jobs/" + winner + "/events").status() == 200
                            && clients[0].get("/api/jobs/" + winner + "/events").json().get("events").get(0) != null);
                    assertThat(clients[1].get("/api/jobs/" + winner + "/events").json().get("events").valueStream()
                            .filter(e -> e.get("type").asString().equals("JobSubmitted")).count()).isEqualTo(1);
                }
                assertThat(clients[0].get("/api/jobs/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
                assertThat(clients[1].get("/api/jobs/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);

                // B is SIGKILLed while jobs run on both: A never answers 404 for a job that exists (503 while B's
                // partitions have no holder), and after B's restart every job has completed exactly once.
                List<String> more = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    more.add(clients[i % 2].submit("demo", "{\"stages\": 3, \"stage_ms\": 300}"));
                }
                java.util.concurrent.atomic.AtomicInteger notFound = new java.util.concurrent.atomic.AtomicInteger();
                java.util.concurrent.atomic.AtomicInteger unavailable = new java.util.concurrent.atomic.AtomicInteger();
                java.util.concurrent.atomic.AtomicBoolean polling = new java.util.concurrent.atomic.AtomicBoolean(true);
                Thread poller = new Thread(() -> {
                    while (polling.get()) {
                        for (String id : more) {
                            int status = clients[0].get("/api/jobs/" + id).status();
                            if (status == 404) {
                                notFound.incrementAndGet();
                            } else if (status == 503) {
                                unavailable.incrementAndGet();
                            }
                        }
                    }
                });
                poller.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> more.stream().anyMatch(id ->
                        "completed".equals(clients[0].get("/api/jobs/" + id).json().path("status").asString())));
                b.kill();
                Thread.sleep(8_000); // past the session timeout: B's partitions move to A
                b.start();
                await("B back").atMost(Duration.ofSeconds(90)).ignoreExceptions()
                        .until(() -> b.client().get("/actuator/health/readiness").status() == 200);
                try {
                    await("every job finished").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                            .ignoreExceptions().until(() -> more.stream().allMatch(id ->
                                    "completed".equals(clients[0].job(id).get("status").asString())));
                } finally {
                    polling.set(false);
                    poller.join(10_000);
                }
                System.out.printf("Cluster failover: reads of %d jobs on A while B was killed and restarted: %d answered "
                        + "503, %d answered 404%n", more.size(), unavailable.get(), notFound.get());
                assertThat(notFound.get()).as("404s for jobs that exist").isZero();
                Map<String, Long> terminal = io.jobline.api.support.TopicReader.events(bootstrap).stream()
                        .filter(e -> more.contains(e.getJobId()) && io.jobline.api.support.JobHistories.isTerminal(e))
                        .collect(java.util.stream.Collectors.groupingBy(e -> e.getJobId(), java.util.stream.Collectors.counting()));
                assertThat(terminal).as("one terminal event per job").hasSize(more.size()).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
                for (String id : more) {
                    assertThat(b.client().job(id).get("status").asString()).as("B after its restart").isEqualTo("completed");
                }
            }
        }
    }

    /** The same keyed submit sent to both instances at the same moment (the second's input differs unless {@code same}). */
    private static List<ServiceClient.Response> race(ServiceClient[] clients, String key, boolean same) throws Exception {
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<ServiceClient.Response>> sent = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ServiceClient client = clients[i];
                String input = same || i == 0 ? "{\"stages\": 1, \"stage_ms\": 0}" : "{\"stages\": 2, \"stage_ms\": 0}";
                sent.add(pool.submit(() -> {
                    start.await();
                    return client.postJson("/api/jobs", "{\"type\": \"demo\", \"input\": " + input + "}",
                            Map.of("Idempotency-Key", key));
                }));
            }
            start.countDown();
            List<ServiceClient.Response> answers = new ArrayList<>();
            for (var answer : sent) {
                answers.add(answer.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, Object> settings(int port, String keys, Map<String, Object> more) {
        Map<String, Object> settings = new LinkedHashMap<>(more);
        settings.put("server.port", port);
        settings.put("jobline.cluster.advertised-url", "http://127.0.0.1:" + port);
        settings.put("jobline.secrets.keys", keys);
        settings.put("jobline.kafka.partitions", 6);
        settings.put("jobline.webhooks.allowed-hosts", "127.0.0.1");
        settings.put("jobline.kafka.session-timeout-ms", 6000);
        return settings;
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> ids(JsonNode listing) {
        List<String> ids = new ArrayList<>();
        listing.get("jobs").forEach(job -> ids.add(job.get("job_id").asString()));
        return ids;
    }

    private static List<String> paged(ServiceClient client, int limit) {
        List<String> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String after = null;
        for (int page = 0; page < 20; page++) {
            JsonNode listing = client.get("/api/jobs?limit=" + limit + (after == null ? "" : "&after=" + after)).json();
            for (String id : ids(listing)) {
                assertThat(seen.add(id)).as("%s listed twice", id).isTrue();
                all.add(id);
            }
            after = listing.get("next_after").isNull() ? null : listing.get("next_after").asString();
            if (after == null) {
                break;
            }
        }
        return all;
    }
}
