package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.ChildService;
import io.jobline.api.support.JobHistories;
import io.jobline.api.support.KafkaCluster;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.TopicReader;
import io.jobline.api.support.WsClient;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.ProgressReported;
import io.jobline.schemas.event.StageCompleted;
import io.jobline.schemas.event.StageStarted;
import tools.jackson.databind.JsonNode;

/**
 * The deployment of docker-compose.yml without Docker: a 3-broker KRaft cluster (replication 3, min.insync.replicas
 * 2) in this JVM and 3 service instances as child JVMs, each on its own port and data folder, advertising its URL.
 * Jobs submitted round-robin are read on every instance at every poll (right after another instance's 202 too) and
 * never answered 404; a WebSocket client per instance follows every job and, when its instance goes away, resumes
 * on another by sequence number without missing an update; one instance is SIGKILLed, one broker stopped and
 * started, one instance restarted gracefully, all mid-run: every job completes exactly once, and every instance
 * then counts, lists, pages and sums the same jobs. Racing Idempotency-Keys or dedup keys on two instances make one
 * job; an external worker takes a job from one instance and reports to another; a job's webhook deliveries are
 * listed by every instance, and the queues are the same on every instance.
 *
 * <p>Tagged "alone": the build runs it after the other classes, in a JVM of its own (job-api/pom.xml).
 */
@Tag("alone")
class ClusterIT {

    private static final int JOBS = 300;
    private static final int INSTANCES = 3;
    /** Jobs read on the next instance right after their 202. */
    private static final int READ_AT_ONCE = 30;
    private static final String DEMO = "{\"stages\": 3, \"stage_ms\": 400}";

    @TempDir
    Path dir;

    @Test
    void shouldAnswerForEveryJobOnEveryInstanceThroughCrashesRestartsAndABrokerOutage() throws Exception {
        String keys = "k1:" + Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'c');
        try (KafkaCluster kafka = KafkaCluster.start(dir.resolve("kafka"), 3)) {
            List<ChildService> instances = new ArrayList<>();
            try {
                for (int i = 0; i < INSTANCES; i++) {
                    // C1 only: three JVMs starting on two cores spend most of it compiling with C2 otherwise.
                    instances.add(new ChildService(dir.resolve("instance-" + i), settings(kafka.bootstrapServers(), keys),
                            "-Xmx512m", "-XX:TieredStopAtLevel=1").start());
                }
                ServiceClient[] clients = instances.stream().map(ChildService::client).toArray(ServiceClient[]::new);
                for (ChildService instance : instances) {
                    awaitReady(instance);
                }
                phase("3 instances ready");
                String first = clients[0].submit("noop", "{}");
                await("every instance answers for a job another one accepted").atMost(Duration.ofSeconds(60))
                        .ignoreExceptions().until(() -> java.util.Arrays.stream(clients).allMatch(c ->
                                "completed".equals(c.job(first).path("status").asString())));

                List<Follower> followers = new ArrayList<>();
                for (ServiceClient client : clients) {
                    followers.add(new Follower(client));
                }
                AtomicBoolean[] up = {new AtomicBoolean(true), new AtomicBoolean(true), new AtomicBoolean(true)};
                List<String> ids = new CopyOnWriteArrayList<>();
                Reads reads = new Reads(clients, up, ids);
                reads.start();
                try {
                    phase("followers subscribed");
                    // The first ones one at a time, each read at once on the next instance (read-your-writes)...
                    for (int i = 0; i < READ_AT_ONCE; i++) {
                        String id = clients[i % INSTANCES].submit("demo", DEMO);
                        ids.add(id);
                        ServiceClient.Response read = clients[(i + 1) % INSTANCES].get("/api/jobs/" + id);
                        assertThat(read.status()).as("job %d read on the next instance right after its 202: %s", i, read)
                                .isEqualTo(200);
                    }
                    // ...the rest by a client of each instance at once.
                    ExecutorService submitters = Executors.newFixedThreadPool(INSTANCES);
                    try {
                        List<Future<?>> sent = new ArrayList<>();
                        for (int c = 0; c < INSTANCES; c++) {
                            ServiceClient client = clients[c];
                            int share = (JOBS - READ_AT_ONCE) / INSTANCES;
                            sent.add(submitters.submit(() -> {
                                for (int i = 0; i < share; i++) {
                                    ids.add(client.submit("demo", DEMO));
                                }
                                return null;
                            }));
                        }
                        for (Future<?> f : sent) {
                            f.get(5, TimeUnit.MINUTES);
                        }
                    } finally {
                        submitters.shutdownNow();
                    }
                    phase(JOBS + " jobs submitted");
                    await().atMost(Duration.ofSeconds(120)).until(() -> completed(clients[0]) >= JOBS / 10);

                    phase("10 % of the jobs completed");
                    // Instance 2 dies and a broker goes away: instance 2's follower resumes on instance 0 at once.
                    up[2].set(false);
                    instances.get(2).kill();
                    followers.get(2).resume(clients[0], ids);
                    kafka.stop(1);
                    instances.get(2).start();
                    // Meanwhile instance 1 is restarted gracefully (a rolling restart), and the broker comes back.
                    up[1].set(false);
                    instances.get(1).stop();
                    instances.get(1).start();
                    kafka.start(1);
                    phase("instance 2 killed and started, a broker stopped and started, instance 1 stopped and started");
                    awaitReady(instances.get(2));
                    up[2].set(true);
                    // Instance 1's follower resumes on the instance that was killed.
                    followers.get(1).resume(clients[2], ids);
                    awaitReady(instances.get(1));
                    up[1].set(true);
                    phase("instances 1 and 2 ready again");

                    await("every job finished").atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
                            .ignoreExceptions().until(() -> completed(clients[0]) == JOBS);
                    phase("every job completed");
                } finally {
                    reads.stop();
                }
                System.out.printf("ClusterIT: %d reads of running jobs while an instance was killed, a broker stopped and an "
                        + "instance restarted: %d answered 503, %d answered 404%n", reads.done(), reads.unavailable(), reads.notFound());
                assertThat(reads.notFound()).as("404s for jobs that exist").isZero();
                assertThat(reads.done()).as("reads made during the run").isGreaterThan(JOBS);

                Map<String, List<JobEvent>> histories = TopicReader.events(kafka.bootstrapServers()).stream()
                        .filter(e -> ids.contains(e.getJobId()))
                        .collect(Collectors.groupingBy(JobEvent::getJobId));
                assertThat(histories).hasSize(JOBS);
                histories.forEach((id, events) -> assertThat(events.stream().filter(JobHistories::isTerminal).count())
                        .as("terminal events of %s", id).isEqualTo(1));

                // Every instance: every job completed; the same count, listing, pages and sums.
                int total = JOBS + 1;
                List<String> listed = null;
                for (ServiceClient client : clients) {
                    for (String id : ids) {
                        assertThat(client.job(id).get("status").asString()).as("%s on %s", id, client.baseUrl()).isEqualTo("completed");
                    }
                    JsonNode listing = client.get("/api/jobs?limit=500").json();
                    assertThat(listing.get("count").asLong()).as("count on %s", client.baseUrl()).isEqualTo(total);
                    List<String> here = ids(listing);
                    assertThat(here).containsAll(ids);
                    if (listed == null) {
                        listed = here;
                    }
                    assertThat(here).as("the listing's order on %s", client.baseUrl()).containsExactlyElementsOf(listed);
                    assertThat(paged(client, 40)).as("paging by cursor on %s", client.baseUrl()).containsExactlyElementsOf(listed);
                    assertThat(ids(client.get("/api/jobs?limit=5&offset=100").json())).containsExactlyElementsOf(listed.subList(100, 105));
                    JsonNode stats = client.get("/api/jobs/stats").json();
                    assertThat(stats.get("counts").get("completed").asLong()).as("stats on %s", client.baseUrl()).isEqualTo(total);
                }

                // Every follower was pushed every job's stage boundaries and its completion, in order, none twice.
                for (Follower follower : followers) {
                    follower.awaitEvery(ids, histories);
                    follower.close();
                }

                phase("every instance answered for every job, every follower had every update");
                for (ServiceClient client : clients) {
                    assertThat(client.get("/api/jobs/00000000-0000-0000-0000-000000000000").status())
                            .as("a job that does not exist, on %s", client.baseUrl()).isEqualTo(404);
                }
                racingIdempotencyKeys(clients[1], clients[2]);
                racingDedupKeys(clients[1], clients[2], clients[0]);
                externalWorkerAcrossInstances(clients[0], clients[1]);
                webhookDeliveriesOnEveryInstance(clients);
                queuesOnEveryInstance(clients);
            } catch (AssertionError | RuntimeException e) {
                for (ChildService instance : instances) {
                    System.out.println("---- " + instance.client().baseUrl() + "\n" + String.join("\n", instance.logTail(30))
                            + "\n---- its warnings of Jobline\n" + String.join("\n", instance.logLinesWith("WARN  i.j", 40)));
                }
                throw e;
            } finally {
                for (ChildService instance : instances) {
                    instance.close();
                }
            }
        }
    }

    /**
     * One Idempotency-Key sent to two instances at once, on a submit and on a batch: one job (one set of jobs); the
     * other answer is its replay (200; a batch whose items the two instances split between them is 202 on both), or
     * 422 when the request differs.
     */
    private static void racingIdempotencyKeys(ServiceClient one, ServiceClient other) throws Exception {
        ServiceClient[] both = {one, other};
        for (int race = 0; race < 4; race++) {
            boolean same = race % 2 == 0;
            boolean batch = race >= 2;
            String[] bodies = new String[2];
            for (int i = 0; i < 2; i++) {
                String input = same || i == 0 ? "{\"stages\": 1, \"stage_ms\": 0}" : "{\"stages\": 2, \"stage_ms\": 0}";
                String job = "{\"type\": \"demo\", \"input\": " + input + "}";
                bodies[i] = batch ? "{\"jobs\": [" + job + ", {\"type\": \"noop\"}]}" : job;
            }
            List<ServiceClient.Response> answers = race(both, batch ? "/api/jobs/batch" : "/api/jobs",
                    Map.of("Idempotency-Key", "race-" + race), bodies);
            if (same && batch) {
                // Its items live on different partitions, so each instance may win some: an instance that made any
                // item answers 202 (the items it did not make say so); both name the same jobs.
                assertThat(answers).extracting(ServiceClient.Response::status).as("race %d: %s", race, answers)
                        .contains(202).allMatch(status -> status == 200 || status == 202);
            } else {
                assertThat(answers).extracting(ServiceClient.Response::status).as("race %d: %s", race, answers)
                        .containsExactlyInAnyOrder(202, same ? 200 : 422);
            }
            if (same) {
                List<String> made = jobIds(answers.get(0).json(), batch);
                assertThat(made).hasSize(batch ? 2 : 1);
                assertThat(jobIds(answers.get(1).json(), batch)).as("race %d", race).isEqualTo(made);
            }
        }
    }

    /**
     * One dedup key submitted to two instances at once (the decider of the key's partition decides, whichever instance
     * took each): one job; the other answer is 409 naming it, and the third instance finds it at once.
     */
    private static void racingDedupKeys(ServiceClient one, ServiceClient other, ServiceClient third) throws Exception {
        ServiceClient[] both = {one, other};
        for (int race = 0; race < 4; race++) {
            String body = "{\"type\": \"demo\", \"input\": {\"stages\": 1, \"stage_ms\": 2000, \"dedup_key\": \"race-" + race + "\"}}";
            List<ServiceClient.Response> answers = race(both, "/api/jobs", Map.of(), new String[] {body, body});
            assertThat(answers).extracting(ServiceClient.Response::status).as("dedup race %d: %s", race, answers)
                    .containsExactlyInAnyOrder(202, 409);
            ServiceClient.Response made = answers.get(0).status() == 202 ? answers.get(0) : answers.get(1);
            ServiceClient.Response refused = answers.get(0).status() == 409 ? answers.get(0) : answers.get(1);
            String jobId = made.json().get("job_id").asString();
            assertThat(refused.json().get("job_id").asString()).as("dedup race %d", race).isEqualTo(jobId);
            assertThat(third.get("/api/jobs/" + jobId).status()).as("dedup race %d", race).isEqualTo(200);
        }
    }

    private static List<String> jobIds(JsonNode answer, boolean batch) {
        List<String> ids = new ArrayList<>();
        if (batch) {
            answer.get("jobs").forEach(j -> ids.add(j.get("job_id").asString()));
        } else {
            ids.add(answer.get("job_id").asString());
        }
        return ids;
    }

    private static void externalWorkerAcrossInstances(ServiceClient one, ServiceClient other) {
        assertThat(one.send("/api/job-types/clustered", "PUT", "application/json", "{\"stages\": [\"only\"]}").status()).isIn(200, 201);
        await().atMost(Duration.ofSeconds(10)).until(() -> other.get("/api/job-types/clustered").status() == 200);
        String external = other.submit("clustered", "{}");
        JsonNode task = one.postJson("/api/workers/poll",
                "{\"worker_id\": \"w-1\", \"types\": [\"clustered\"], \"wait_ms\": 20000}").json();
        assertThat(task.get("job_id").asString()).isEqualTo(external);
        String attempt = "/api/jobs/" + external + "/attempts/" + task.get("attempt").asInt();
        assertThat(other.postJson(attempt + "/heartbeat", "{\"progress\": 0.5}").status()).isEqualTo(200);
        ServiceClient.Response completed = other.postJson(attempt + "/complete", "{\"result\": {\"ok\": true}}");
        assertThat(completed.status()).as(completed.text()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "completed".equals(one.job(external).get("status").asString()));
    }

    private static void webhookDeliveriesOnEveryInstance(ServiceClient[] clients) throws Exception {
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
    }

    /** Jobs of a type no worker takes, submitted round-robin, are the same queues on every instance. */
    private static void queuesOnEveryInstance(ServiceClient[] clients) {
        assertThat(clients[0].send("/api/job-types/nobody-takes", "PUT", "application/json", "{\"stages\": [\"only\"]}")
                .status()).isIn(200, 201);
        for (ServiceClient client : clients) {
            await().atMost(Duration.ofSeconds(10)).until(() -> client.get("/api/job-types/nobody-takes").status() == 200);
        }
        for (int i = 0; i < 6; i++) {
            clients[i % clients.length].submit("nobody-takes", "{}", "{\"priority\": " + (i % 2 == 0 ? 10 : 0) + "}");
        }
        for (ServiceClient client : clients) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode queues = client.get("/api/jobs/queues").json().get("queues");
                Map<Integer, Long> pending = new java.util.TreeMap<>();
                queues.forEach(q -> {
                    if (q.get("type").asString().equals("nobody-takes")) {
                        pending.put(q.get("priority").asInt(), q.get("pending").asLong());
                    }
                });
                assertThat(pending).as("on %s: %s", client.baseUrl(), queues).isEqualTo(Map.of(0, 3L, 10, 3L));
            });
        }
    }

    /**
     * A WebSocket client following every job. When its instance goes away it connects to another, follows every job
     * again, and resumes each job it knows after the last sequence number it saw. On each connection a job's updates
     * come in order (a resumed job's current state may repeat the last one seen: a client drops what it has).
     */
    private static final class Follower implements AutoCloseable {

        /** Per connection, each job's sequence numbers as they came. */
        private final List<Map<String, List<Long>>> connections = new ArrayList<>();
        /**
         * Per connection, the jobs asked for again after an error: their replay starts from what the client had seen
         * when it asked, which may be older than an update of every job that came meanwhile.
         */
        private final List<Set<String>> askedAgain = new ArrayList<>();
        private final Map<String, Set<Long>> seen = new HashMap<>();
        private final Set<String> completed = new HashSet<>();
        private final Set<String> refused = new HashSet<>();
        private final Map<String, Long> resumedAfter = new HashMap<>();
        /** Jobs asked again whose replay has not ended yet (true once the subscription was confirmed). */
        private final Map<String, Boolean> awaiting = new HashMap<>();
        /** What came for each job (connection:type@seq), to say why a test failed. */
        private final Map<String, List<String>> trail = new HashMap<>();
        private WsClient ws;
        private boolean followsAll;

        private final String name;

        Follower(ServiceClient client) throws InterruptedException {
            this.name = "follower of " + client.baseUrl();
            connect(client, List.of());
        }

        /** Resumes {@code resumed} first, then follows every job (a job resumed is then not forgotten in between). */
        private void connect(ServiceClient client, List<String> resumed) throws InterruptedException {
            connections.add(new HashMap<>());
            askedAgain.add(new HashSet<>());
            ws = new WsClient(client.baseUrl());
            resumed.forEach(this::subscribe);
            ws.send("{\"subscribe\": \"*\"}");
            followsAll = false;
            await("subscribed to every job on " + client.baseUrl()).atMost(Duration.ofSeconds(60)).until(() -> {
                collect();
                return followsAll;
            });
        }

        void resume(ServiceClient client, List<String> ids) throws InterruptedException {
            collect();
            ws.close();
            resumedAfter.clear();
            connect(client, ids);
        }

        /**
         * Resumes a job after the last update seen before the connection was lost; asked again after an error, from
         * the same point (updates of every job that came meanwhile do not close the gap before them).
         */
        private void subscribe(String id) {
            trail.computeIfAbsent(id, k -> new ArrayList<>()).add(connections.size() + ":asked");
            long after = resumedAfter.computeIfAbsent(id, k -> seen.getOrDefault(id, Set.of()).stream()
                    .mapToLong(Long::longValue).max().orElse(0));
            ws.send("{\"subscribe\": \"" + id + "\", \"after\": " + after + "}");
        }

        private void collect() {
            Map<String, List<Long>> current = connections.get(connections.size() - 1);
            for (JsonNode m : ws.drain()) {
                String type = m.path("type").asString();
                String id = m.path("job_id").asString();
                if (!id.isEmpty()) {
                    trail.computeIfAbsent(id, k -> new ArrayList<>()).add((connections.size()) + ":" + type
                            + (m.has("seq") ? "@" + m.get("seq").asLong() : "") + ("error".equals(type) ? "(" + m.path("message").asString() + ")" : ""));
                } else if ("error".equals(type)) {
                    trail.computeIfAbsent("-", k -> new ArrayList<>()).add(m.toString());
                }
                if ("subscribed".equals(type) && "*".equals(id)) {
                    followsAll = true;
                } else if ("subscribed".equals(type) && awaiting.containsKey(id)) {
                    awaiting.put(id, true); // its replay and current state follow
                } else if ("error".equals(type) && !id.isEmpty()) {
                    awaiting.remove(id);
                    refused.add(id); // e.g. 503 while the job's partition moved: asked again below
                } else if (m.has("seq") && !id.isEmpty()) {
                    if ("job_status".equals(type) && Boolean.TRUE.equals(awaiting.get(id))) {
                        awaiting.remove(id); // the current state ends an asked-again job's replay
                    }
                    current.computeIfAbsent(id, k -> new ArrayList<>()).add(m.get("seq").asLong());
                    seen.computeIfAbsent(id, k -> new HashSet<>()).add(m.get("seq").asLong());
                    if ("job_status".equals(type) && "completed".equals(m.get("status").get("status").asString())) {
                        completed.add(id);
                    }
                }
            }
        }

        void awaitEvery(List<String> ids, Map<String, List<JobEvent>> histories) {
            try {
                await("every job's updates pushed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    collect();
                    List<String> again = List.copyOf(refused);
                    refused.clear();
                    askedAgain.get(askedAgain.size() - 1).addAll(again);
                    again.forEach(id -> awaiting.put(id, false));
                    again.forEach(this::subscribe);
                    return again.isEmpty() && awaiting.isEmpty() && completed.containsAll(ids);
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                List<String> missing = ids.stream().filter(id -> !completed.contains(id)).toList();
                throw new AssertionError(name + ": " + missing.size() + " jobs' completion not pushed on " + connections.size()
                        + " connection(s), e.g. " + missing.stream().limit(3).map(id -> id + " " + trail.get(id)).toList()
                        + "; errors without a job: " + trail.getOrDefault("-", List.of()), e);
            }
            for (int c = 0; c < connections.size(); c++) {
                Set<String> again = askedAgain.get(c);
                connections.get(c).forEach((id, seqs) -> {
                    if (!again.contains(id)) {
                        assertThat(seqs).as("updates of %s on one connection", id).isSorted();
                    }
                });
            }
            for (String id : ids) {
                List<Long> boundaries = histories.get(id).stream().filter(e -> e.getPayload() instanceof StageStarted
                        || e.getPayload() instanceof StageCompleted || e.getPayload() instanceof ProgressReported)
                        .map(JobEvent::getSequence).toList();
                assertThat(seen.get(id)).as("%s: stage boundaries and progress of %s (came: %s)", name, id, trail.get(id))
                        .containsAll(boundaries);
            }
        }

        @Override
        public void close() {
            ws.close();
        }
    }

    /** Reads of random jobs on every instance that is up, all through the run, counting 404s and 503s. */
    private static final class Reads {

        private final ServiceClient[] clients;
        private final AtomicBoolean[] up;
        private final List<String> ids;
        private final AtomicIntegerArray counts = new AtomicIntegerArray(3); // done, 503, 404
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::run, "cluster-reads");

        Reads(ServiceClient[] clients, AtomicBoolean[] up, List<String> ids) {
            this.clients = clients;
            this.up = up;
            this.ids = ids;
        }

        void start() {
            thread.start();
        }

        private void run() {
            while (running.get()) {
                if (ids.isEmpty()) {
                    Thread.onSpinWait();
                    continue;
                }
                String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                for (int i = 0; i < clients.length; i++) {
                    if (!up[i].get()) {
                        continue;
                    }
                    int status;
                    try {
                        status = clients[i].get("/api/jobs/" + id).status();
                    } catch (RuntimeException e) {
                        continue; // going down just now
                    }
                    counts.incrementAndGet(0);
                    if (status == 503) {
                        counts.incrementAndGet(1);
                    } else if (status == 404) {
                        counts.incrementAndGet(2);
                        System.out.println("404 for " + id + " on " + clients[i].baseUrl());
                    }
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }

        int done() {
            return counts.get(0);
        }

        int unavailable() {
            return counts.get(1);
        }

        int notFound() {
            return counts.get(2);
        }
    }

    private static final long STARTED = System.nanoTime();

    private static void phase(String what) {
        System.out.printf("ClusterIT +%.1f s: %s%n", (System.nanoTime() - STARTED) / 1e9, what);
    }

    private static void awaitReady(ChildService instance) {
        await("instance ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> instance.client().get("/actuator/health/readiness").status() == 200);
    }

    /** Demo jobs completed, as the instance's stats of the cluster count them. */
    private static long completed(ServiceClient client) {
        for (JsonNode type : client.get("/api/jobs/stats").json().path("types")) {
            if ("demo".equals(type.path("type").asString())) {
                return type.path("counts").path("completed").asLong();
            }
        }
        return 0;
    }

    /** {@code bodies[i]} posted to {@code path} of {@code clients[i]} at the same moment, with the same headers. */
    private static List<ServiceClient.Response> race(ServiceClient[] clients, String path, Map<String, String> headers,
                                                     String[] bodies) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ServiceClient.Response>> sent = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ServiceClient client = clients[i];
                String body = bodies[i];
                sent.add(pool.submit(() -> {
                    start.await();
                    return client.postJson(path, body, headers);
                }));
            }
            start.countDown();
            List<ServiceClient.Response> answers = new ArrayList<>();
            for (Future<ServiceClient.Response> answer : sent) {
                answers.add(answer.get(30, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, String> settings(String bootstrap, String keys) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("jobline.kafka.bootstrap-servers", bootstrap);
        settings.put("jobline.cluster.advertised-url", "http://127.0.0.1:{port}");
        settings.put("jobline.secrets.keys", keys);
        settings.put("jobline.kafka.partitions", "6");
        settings.put("jobline.kafka.session-timeout-ms", "6000");
        settings.put("jobline.webhooks.allowed-hosts", "127.0.0.1");
        return settings;
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
        for (int page = 0; page < 50; page++) {
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
