package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jobline.api.access.ApiKeyTokens;
import io.jobline.api.support.RawConnection;
import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.ServiceClient.Response;
import io.jobline.api.support.SseClient;
import io.jobline.api.support.TopicReader;
import io.jobline.api.support.WsClient;
import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.event.JobDeleted;
import io.jobline.schemas.topic.JobTopics;
import tools.jackson.databind.JsonNode;

/**
 * Owners and keys on a service of its own, started with JOBLINE_ADMIN_KEY (so every request needs a key from the
 * start): two owners, alice and bob, never see each other's jobs on any endpoint (404, not 403), an admin sees all;
 * no key is 401, a key without the scope 403; WebSocket and SSE streams of every job carry the caller's jobs only;
 * a revoked key is refused on the next request, an expired one once it expires; api-keys holds hashes, never keys.
 */
class AccessIT {

    private static final String ADMIN_KEY = "access-it-admin-key-0123456789-abcdefghij";
    private static final String QUICK_DEMO = "{\"type\": \"demo\", \"input\": {\"stages\": 1, \"stage_ms\": 10}}";
    private static final String SLOW_DEMO = "{\"type\": \"demo\", \"input\": {\"stages\": 3, \"stage_ms\": 60000}}";
    private static final String DECLARED = "access-it-type";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static RunningService service;
    private static ServiceClient anonymous;
    private static ServiceClient admin;
    private static ServiceClient alice;
    private static ServiceClient aliceReader;
    private static ServiceClient bob;
    private static String aliceKey;
    private static String bobKey;
    private static ServiceClient worker;
    private static ServiceClient otherWorker;
    private static final List<String> tokens = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Files.createTempDirectory("jobline-access-"), Map.of("jobline.access.admin-key", ADMIN_KEY,
                "jobline.webhooks.allowed-hosts", "hooks.example.test"));
        anonymous = service.client();
        admin = anonymous.withKey(ADMIN_KEY);
        assertThat(admin.send("/api/job-types/" + DECLARED, "PUT", "application/json", "{\"stages\": [\"only\"]}").status()).isEqualTo(201);
        aliceKey = key("{\"owner\": \"alice\", \"scopes\": [\"jobs:read\", \"jobs:write\"]}");
        alice = anonymous.withKey(aliceKey);
        aliceReader = anonymous.withKey(key("{\"owner\": \"alice\", \"scopes\": [\"jobs:read\"]}"));
        bobKey = key("{\"owner\": \"bob\", \"scopes\": [\"jobs:read\", \"jobs:write\"]}");
        bob = anonymous.withKey(bobKey);
        worker = anonymous.withKey(key("{\"owner\": \"gpu-box\", \"scopes\": [\"worker\"], \"types\": [\"csv-report\", \"" + DECLARED + "\"]}"));
        otherWorker = anonymous.withKey(key("{\"owner\": \"cpu-box\", \"scopes\": [\"worker\"], \"types\": [\"" + DECLARED + "\"]}"));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void shouldKeepEveryOwnersJobsFromEveryOtherOwnerOnEveryEndpoint() throws Exception {
        String report = aliceCsvReport();
        String slow = submit(alice, SLOW_DEMO);
        String bobs = submit(bob, QUICK_DEMO);
        await().atMost(WAIT).until(() -> status(alice, report).equals("completed") && status(bob, bobs).equals("completed"));
        String a = "/api/jobs/" + report;
        String s = "/api/jobs/" + slow;

        Response subscribed = alice.postJson("/api/webhooks", "{\"url\": \"https://hooks.example.test/alice\"}");
        assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(201);
        String hook = "/api/webhooks/" + subscribed.json().get("id").asString();

        SoftAssertions rows = new SoftAssertions();
        row(rows, "alice reads her job", alice, "GET", a, 200);
        row(rows, "alice's deliveries", alice, "GET", a + "/deliveries", 200);
        row(rows, "bob on alice's deliveries", bob, "GET", a + "/deliveries", 404);
        row(rows, "a reader key lists webhooks", aliceReader, "GET", "/api/webhooks", 403);
        row(rows, "a worker key reads a webhook secret", worker, "GET", "/api/webhooks/secret", 403);
        row(rows, "bob deletes alice's webhook", bob, "DELETE", hook, 404);
        row(rows, "bob reads alice's job", bob, "GET", a, 404);
        row(rows, "an admin reads alice's job", admin, "GET", a, 200);
        row(rows, "alice's reader key reads her job", aliceReader, "GET", a, 200);
        row(rows, "alice's result", alice, "GET", a + "/result", 200);
        row(rows, "bob on alice's result", bob, "GET", a + "/result", 404);
        row(rows, "alice's events", alice, "GET", a + "/events", 200);
        row(rows, "bob on alice's events", bob, "GET", a + "/events", 404);
        row(rows, "alice's uploaded file", alice, "GET", a + "/artifacts/sales.csv", 200);
        row(rows, "alice's report", alice, "GET", a + "/artifacts/report.json", 200);
        row(rows, "bob on alice's file", bob, "GET", a + "/artifacts/sales.csv", 404);
        row(rows, "a worker of csv-report on its file", worker, "GET", a + "/artifacts/sales.csv", 200);
        row(rows, "a worker of other types on its file", otherWorker, "GET", a + "/artifacts/sales.csv", 404);
        row(rows, "bob cancels alice's job", bob, "POST", s + "/cancel", 404);
        row(rows, "alice's reader key cancels", aliceReader, "POST", s + "/cancel", 403);
        row(rows, "alice cancels her job", alice, "POST", s + "/cancel", 202);
        await().atMost(WAIT).until(() -> status(alice, slow).equals("cancelled"));
        row(rows, "bob retries alice's job", bob, "POST", s + "/retry", 404);
        row(rows, "alice retries her job", alice, "POST", s + "/retry", 202);
        await().atMost(WAIT).until(() -> alice.get(s + "/events").text().contains("JobRetried"));
        JsonNode history = alice.get(s + "/events").json().get("events");
        rows.assertThat(by(history, "JobCancelled")).as("who cancelled, in the job's events").isEqualTo("alice");
        rows.assertThat(by(history, "JobRetried")).as("who retried, in the job's events").isEqualTo("alice");
        row(rows, "bob deletes alice's job", bob, "DELETE", s, 404);
        row(rows, "alice's reader key deletes", aliceReader, "DELETE", s, 403);
        row(rows, "an admin deletes alice's job", admin, "DELETE", s, 202);
        row(rows, "bob's own job", bob, "GET", "/api/jobs/" + bobs, 200);
        row(rows, "alice on bob's job", alice, "GET", "/api/jobs/" + bobs, 404);

        row(rows, "no key", anonymous, "GET", "/api/jobs", 401);
        row(rows, "no key submits", anonymous, "POST", "/api/jobs", 401);
        row(rows, "no key on a job", anonymous, "GET", a, 401);
        row(rows, "no key opens a WebSocket", anonymous, "GET", "/ws", 401);
        row(rows, "a made-up key", anonymous.withKey("jl_0123456789abcdef_" + "A".repeat(43)), "GET", "/api/jobs", 401);
        row(rows, "health needs no key", anonymous, "GET", "/actuator/health", 200);
        row(rows, "a reader key submits", aliceReader, "POST", "/api/jobs", 403);
        row(rows, "a worker key lists jobs", worker, "GET", "/api/jobs", 403);
        row(rows, "alice cleans up", alice, "POST", "/api/jobs/cleanup?days=30", 403);
        row(rows, "an admin cleans up", admin, "POST", "/api/jobs/cleanup?days=30", 200);
        row(rows, "alice lists keys", alice, "GET", "/api/keys", 403);
        row(rows, "alice reads metrics", alice, "GET", "/actuator/metrics", 403);
        row(rows, "an admin reads metrics", admin, "GET", "/actuator/metrics", 200);
        row(rows, "no key scrapes metrics", anonymous, "GET", "/actuator/prometheus", 401);
        row(rows, "alice scrapes metrics", alice, "GET", "/actuator/prometheus", 403);
        row(rows, "a worker key scrapes metrics", worker, "GET", "/actuator/prometheus", 403);
        row(rows, "an admin scrapes metrics", admin, "GET", "/actuator/prometheus", 200);
        row(rows, "alice lists job types", alice, "GET", "/api/job-types", 200);
        row(rows, "alice declares a job type", alice, "PUT", "/api/job-types/mine", 403);
        row(rows, "alice deletes a job type", alice, "DELETE", "/api/job-types/" + DECLARED, 403);
        row(rows, "alice polls for work", alice, "POST", "/api/workers/poll", 403);
        row(rows, "alice reports on an attempt", alice, "POST", a + "/attempts/1/heartbeat", 403);
        row(rows, "a worker reports on another type's attempt", otherWorker, "POST", a + "/attempts/1/heartbeat", 403);
        rows.assertThat(poll(otherWorker, "demo").status()).as("a worker polls for a type not its own").isEqualTo(403);
        rows.assertThat(poll(otherWorker, DECLARED).status()).as("a worker polls for its type").isEqualTo(204);
        rows.assertThat(stream(bobKey, a + "/stream")).as("bob follows alice's job (SSE)").isEqualTo(404);
        rows.assertThat(stream(aliceKey, a + "/stream")).as("alice follows her job (SSE)").isEqualTo(200);
        rows.assertThat(stream(aliceKey, a + "/stream", Map.of("Origin", "https://evil.example")))
                .as("alice's key on her job's SSE stream, from a foreign page").isEqualTo(403);
        rows.assertThat(stream(aliceKey, "/api/jobs/stream", Map.of("Origin", "https://evil.example")))
                .as("alice's key on her every-job SSE stream, from a foreign page").isEqualTo(403);
        rows.assertThat(stream(aliceKey, "/api/jobs/stream", Map.of("Origin", anonymous.baseUrl())))
                .as("the service's own page").isEqualTo(200);
        try (RawConnection socket = RawConnection.webSocket(anonymous.baseUrl(), "127.0.0.1", 13,
                Map.of("Origin", "https://evil.example", "Authorization", "Bearer " + aliceKey))) {
            rows.assertThat(socket.status()).as("alice's key on a WebSocket from a foreign page").isEqualTo(403);
        }
        rows.assertAll();
        await().atMost(WAIT).until(() -> TopicReader.events(service, slow).stream().anyMatch(e -> e.getPayload() instanceof JobDeleted));
        assertThat(TopicReader.events(service, slow)).filteredOn(e -> e.getPayload() instanceof JobDeleted).singleElement()
                .satisfies(e -> assertThat(((JobDeleted) e.getPayload()).getBy()).as("who deleted it").isEqualTo("admin"));

        assertThat(bob.get("/api/webhooks").json().get("count").asInt()).as("bob lists webhooks").isZero();
        assertThat(admin.get("/api/webhooks").json().get("webhooks")).as("an admin lists everyone's")
                .extracting(w -> w.get("owner").asString()).contains("alice");
        assertThat(alice.get("/api/webhooks/secret").json().get("secret").asString())
                .isNotEqualTo(bob.get("/api/webhooks/secret").json().get("secret").asString());
        assertThat(alice.delete(hook).status()).as("alice deletes her webhook").isEqualTo(204);

        assertThat(ids(alice.get("/api/jobs"))).contains(report).doesNotContain(bobs);
        List<String> bobsJobs = ids(bob.get("/api/jobs"));
        assertThat(bobsJobs).contains(bobs).doesNotContain(report);
        assertThat(bob.get("/api/jobs?owner=alice").json().get("count").asInt()).as("bob asks for alice's listing").isZero();
        assertThat(ids(admin.get("/api/jobs?owner=alice"))).contains(report).doesNotContain(bobs);
        JsonNode bobsStats = bob.get("/api/jobs/stats").json();
        assertThat(bobsStats.get("total").asInt()).as("bob's stats count bob's jobs").isEqualTo(bobsJobs.size());
        assertThat(bobsStats.get("types").toString()).doesNotContain("csv-report");
        assertThat(admin.get("/api/jobs/stats").json().get("total").asInt()).isGreaterThan(bobsJobs.size());
    }

    @Test
    void shouldShowHealthDetailsToAdminsOnlyAndTheStatusToAnyone() {
        assertThat(anonymous.get("/actuator/health").json().has("components")).isFalse();
        assertThat(alice.get("/actuator/health").json().has("components")).as("an owner's key").isFalse();
        assertThat(admin.get("/actuator/health").json().has("components")).isTrue();
        assertThat(alice.get("/actuator/metrics").status()).isEqualTo(403);
    }

    @Test
    void shouldPushEveryJobToWebSocketAndSseClientsOfItsOwnerAndAdminsOnly() throws Exception {
        String ticket = alice.post("/api/ws-tickets").json().get("ticket").asString();
        try (WsClient alices = new WsClient(anonymous.baseUrl(), "?ticket=" + ticket, Map.of());
             WsClient bobs = new WsClient(anonymous.baseUrl(), "", Map.of("Authorization", "Bearer " + bobKey));
             WsClient admins = new WsClient(anonymous.baseUrl(), "", Map.of("Authorization", "Bearer " + ADMIN_KEY));
             SseClient bobsStream = new SseClient(anonymous.baseUrl() + "/api/jobs/stream", null,
                     Map.of("Authorization", "Bearer " + bobKey))) {
            assertThat(anonymous.get("/ws?ticket=" + ticket).status()).as("a ticket is good once").isEqualTo(401);
            assertThat(bobsStream.status()).isEqualTo(200);
            for (WsClient client : List.of(alices, bobs, admins)) {
                client.send("{\"subscribe\": \"*\"}");
                client.next(m -> WsClient.type(m, "subscribed"), WAIT);
            }

            String hers = submit(alice, QUICK_DEMO);
            admins.next(m -> completed(m, hers), WAIT);
            String his = submit(bob, QUICK_DEMO);
            // Anything of hers bob's clients got would have come before his job's updates: one thread fans out both.
            assertThat(bobs.until(m -> completed(m, his), WAIT)).as("bob's every-job socket")
                    .noneMatch(m -> m.toString().contains(hers));
            assertThat(bobsStream.until(e -> his.equals(e.data().path("job_id").asString()) && "completed".equals(
                    e.data().path("status").path("status").asString()), WAIT)).as("bob's every-job SSE stream")
                    .noneMatch(e -> e.data().toString().contains(hers));
            bobs.send("{\"subscribe\": \"" + hers + "\"}");
            assertThat(bobs.next(m -> WsClient.type(m, "error"), WAIT).get("message").asString()).contains("Unknown job");
            alices.next(m -> completed(m, hers), WAIT);
        }
    }

    @Test
    void shouldRefuseARevokedKeyOnTheNextRequestAndCloseItsStreams() throws Exception {
        JsonNode made = admin.postJson("/api/keys", "{\"owner\": \"carol\", \"scopes\": [\"jobs:read\"]}").json();
        ServiceClient carol = anonymous.withKey(made.get("key").asString());
        assertThat(carol.get("/api/jobs").status()).isEqualTo(200);
        try (WsClient socket = new WsClient(anonymous.baseUrl(), "", Map.of("Authorization", "Bearer " + made.get("key").asString()))) {
            assertThat(admin.delete("/api/keys/" + made.get("id").asString()).status()).isEqualTo(204);

            for (int i = 0; i < 20; i++) {
                Response refused = carol.get("/api/jobs");
                assertThat(refused.status()).isEqualTo(401);
                assertThat(refused.json().get("detail").asString()).contains("unknown or was revoked");
            }
            assertThat(socket.closed().get(30, TimeUnit.SECONDS)).as("the revoked key's WebSocket is closed").isNotNull();
        }
        assertThat(admin.delete("/api/keys/" + made.get("id").asString()).status()).isEqualTo(404);
        assertThat(admin.get("/api/keys").text()).doesNotContain(made.get("id").asString());
    }

    @Test
    void shouldRefuseAKeyOnceItExpires() {
        assertThat(admin.postJson("/api/keys", "{\"owner\": \"dave\", \"scopes\": [\"jobs:read\"], \"expires_at\": \""
                + Instant.now().minusSeconds(1) + "\"}").status()).isEqualTo(400);
        JsonNode made = admin.postJson("/api/keys", "{\"owner\": \"dave\", \"scopes\": [\"jobs:read\"], \"expires_at\": \""
                + Instant.now().plusSeconds(3) + "\"}").json();
        ServiceClient dave = anonymous.withKey(made.get("key").asString());
        assertThat(dave.get("/api/jobs").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> dave.get("/api/jobs").status() == 401);
        assertThat(dave.get("/api/jobs").json().get("detail").asString()).contains("expired");
    }

    @Test
    void shouldStoreOnlyTheHashOfEveryKeyOnACompactedTopic() throws Exception {
        KafkaSettings kafka = service.bean(KafkaSettings.class);
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readAll(kafka, JobTopics.API_KEYS);
        List<String> stored = records.stream().map(r -> new String(r.value(), StandardCharsets.ISO_8859_1)).toList();

        assertThat(tokens).hasSizeGreaterThanOrEqualTo(5);
        for (String token : tokens) {
            String secret = token.substring("jl_".length() + 16 + 1); // jl_<16 hex>_<43 characters, '_' among them>
            assertThat(stored).as("records of api-keys").noneMatch(r -> r.contains(secret));
            assertThat(stored).anyMatch(r -> r.contains(ApiKeyTokens.sha256(token)));
            assertThat(admin.get("/api/keys").text()).doesNotContain(secret);
        }
        try (Admin kafkaAdmin = Admin.create(kafka.clientConfig())) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, JobTopics.API_KEYS);
            assertThat(kafkaAdmin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    }

    private static String key(String body) {
        Response made = admin.postJson("/api/keys", body);
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        String token = made.json().get("key").asString();
        tokens.add(token);
        return token;
    }

    private static String aliceCsvReport() {
        Response accepted = alice.postMultipart("/api/jobs", Map.of("type", "csv-report"),
                Map.of("sales.csv", "region,amount\nnorth,10\nsouth,20\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        return accepted.json().get("job_id").asString();
    }

    private static String submit(ServiceClient client, String body) {
        Response accepted = client.postJson("/api/jobs", body);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        return accepted.json().get("job_id").asString();
    }

    private static String status(ServiceClient client, String jobId) {
        return client.get("/api/jobs/" + jobId).json().path("status").asString();
    }

    private static void row(SoftAssertions rows, String what, ServiceClient client, String method, String path, int expected) {
        Response response = switch (method) {
            case "GET" -> client.get(path);
            case "DELETE" -> client.delete(path);
            case "PUT" -> client.send(path, "PUT", "application/json", "{\"stages\": [\"one\"]}");
            default -> path.equals("/api/jobs") ? client.postJson(path, QUICK_DEMO)
                    : path.endsWith("/heartbeat") ? client.postJson(path, "{}") : client.post(path);
        };
        rows.assertThat(response.status()).as("%s: %s %s answered %s", what, method, path, response).isEqualTo(expected);
        if (expected >= 400) {
            rows.assertThat(response.header("Content-Type")).as("%s: problem+json", what).startsWith("application/problem+json");
        }
    }

    private static Response poll(ServiceClient client, String type) {
        return client.postJson("/api/workers/poll", "{\"worker_id\": \"w-1\", \"types\": [\"" + type + "\"], \"wait_ms\": 0}");
    }

    private static int stream(String key, String path) {
        return stream(key, path, Map.of());
    }

    private static int stream(String key, String path, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Authorization", "Bearer " + key);
        try (SseClient sse = new SseClient(anonymous.baseUrl() + path, null, all)) {
            return sse.status();
        }
    }

    /** The {@code by} of the one event of that type in a page of events. */
    private static String by(JsonNode events, String type) {
        List<String> by = new ArrayList<>();
        for (JsonNode event : events) {
            if (type.equals(event.path("type").asString())) {
                by.add(event.path("data").path("by").asString());
            }
        }
        assertThat(by).as(type + " events").hasSize(1);
        return by.get(0);
    }

    private static List<String> ids(Response listing) {
        assertThat(listing.status()).as(listing.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode job : listing.json().get("jobs")) {
            ids.add(job.get("job_id").asString());
        }
        return ids;
    }

    private static boolean completed(JsonNode message, String jobId) {
        return WsClient.type(message, "job_status") && jobId.equals(message.path("job_id").asString())
                && "completed".equals(message.path("status").path("status").asString());
    }
}
