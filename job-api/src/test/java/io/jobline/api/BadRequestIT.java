package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jobline.api.support.RandomJson;
import io.jobline.api.support.ServiceClient.Response;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.SharedService;
import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.SubmitJob;
import io.jobline.schemas.topic.JobTopics;

/** Bad requests get a 4xx problem+json that says what is wrong, and nothing is appended. */
@ExtendWith(SharedService.class)
class BadRequestIT {

    private final ServiceClient client = SharedService.client();

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"type\": \"nope\"}|400|Unknown job type 'nope'",
            "{\"input\": {}}|400|'type' is required",
            "{\"type\": 5}|400|'type' is required",
            "{\"type\": \"demo\", \"input\": [1]}|400|'input' must be a JSON object",
            "{\"type\": \"demo\", \"input\": {\"stages\": 0}}|400|input/stages: must have a minimum value of 1",
            "{\"type\": \"demo\", \"input\": {\"stages\": \"x\"}}|400|input/stages: string found, integer expected",
            "{\"type\": \"demo\", \"input\": {\"colour\": \"red\"}}|400|property 'colour' is not defined",
            "{\"type\": \"csv-report\", \"input\": {\"header\": \"yes\"}}|400|input/header: string found, boolean expected",
            "{\"type\": \"demo\", \"options\": [1]}|400|'options' must be a JSON object",
            "{\"type\": \"demo\", \"options\": {\"retries\": 3}}|400|Unknown option 'retries'",
            "{\"type\": \"demo\", \"options\": {\"max_attempts\": 0}}|400|'max_attempts' must be an integer from 1 to 100",
            "{\"type\": \"demo\", \"options\": {\"heartbeat_timeout_ms\": 5}}|400|'heartbeat_timeout_ms' must be an integer from 100",
            "{\"type\": \"demo\", \"options\": {\"backoff_multiplier\": 0.5}}|400|'backoff_multiplier' must be a number from 1 to 10",
            "{\"type\": \"demo\", \"options\": {\"max_restarts\": -1}}|400|'max_restarts' must be an integer from 0 to 100",
            "{\"type\": \"demo\", \"options\": {\"max_restarts\": \"many\"}}|400|'max_restarts' must be an integer from 0 to 100",
            "{\"type\": \"\"}|400|'type' is required",
            "null|400|must be a JSON object",
            "`\"demo\"`|400|must be a JSON object",
            "{\"type\": \"demo\", \"extra\": 1}|400|Unknown field 'extra'",
            "{\"type\": \"demo\", \"notify\": \"https://example.com\"}|400|'notify' must be an object",
            "{\"type\": \"demo\", \"notify\": {}}|400|'notify.url' is required",
            "{\"type\": \"demo\", \"notify\": {\"url\": 5}}|400|'notify.url' is required",
            "{\"type\": \"demo\", \"notify\": {\"url\": \"http://127.0.0.1:9/x\"}}|400|internal address",
            "{\"type\": \"demo\", \"notify\": {\"url\": \"file:///etc/passwd\"}}|400|http:// or https://",
            "{\"type\": \"demo\", \"notify\": {\"url\": \"http://127.0.0.1/x\", \"secret\": 1}}|400|Unknown field 'notify.secret'",
            "{\"type\": \"demo\", \"notify\": {\"url\": \"http://127.0.0.1/x\", \"events\": \"terminal\"}}|400|'notify.events' must be an array",
            "{\"type\": \"csv-report\"}|400|exactly one uploaded CSV file",
            "{\"type\": \"demo\"|400|not valid JSON",
            "[]|400|must be a JSON object"})
    void shouldRejectABadSubmitWithAProblemAndAppendNothing(String body, int status, String detail) {
        Map<TopicPartition, Long> before = ends();

        Response response = client.postJson("/api/jobs", body);

        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
        assertThat(response.json().get("title").asString()).isNotBlank();
        assertThat(response.json().path("detail").asString()).contains(detail);
        assertThat(submitsSince(before)).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{}|400|webhook needs a 'url'",
            "null|400|must be a JSON object",
            "{\"url\": \"http://10.0.0.7/x\"}|400|internal address",
            "{\"url\": \"https://user:pw@example.com/x\"}|400|credentials",
            "{\"url\": \"http://8.8.8.8/x\", \"events\": [\"all\"]}|400|Unknown webhook event kind 'all'",
            "{\"url\": \"http://8.8.8.8/x\", \"job_types\": [\"a b\"]}|400|'job_types' must hold job type names",
            "{\"url\": [1]}|400|``",
            "{\"url\": |400|``"})
    void shouldRejectABadWebhookSubscriptionWithAProblem(String body, int status, String detail) {
        Response response = client.postJson("/api/webhooks", body);

        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
        assertThat(response.json().path("detail").asString()).contains(detail);
        assertThat(client.get("/api/webhooks").json().get("count").asInt()).isZero();
        assertThat(client.delete("/api/webhooks/whsub_unknown").status()).isEqualTo(404);
    }

    @Test
    void shouldRejectAnUnsupportedContentType() {
        Response response = client.post("/api/jobs", "text/plain", "type=demo");

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
    }

    /** Found by Schemathesis: a query string the container refuses (a parameter without a name) got Spring Boot's error JSON. */
    @Test
    void shouldAnswerAQueryStringTheContainerRefusesWithAProblem() {
        Response response = client.get("/api/jobs?=x");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
        assertThat(response.json().get("title").asString()).isEqualTo("Bad Request");
    }

    /** Found by Schemathesis: a multipart Content-Type without a boundary was a 500 on every endpoint with a body. */
    @ParameterizedTest
    @CsvSource({"POST,/api/jobs", "POST,/api/ws-tickets", "PUT,/api/job-types/x",
            "PUT,/api/jobs/e3e70682-c209-1cac-a29f-6fbed82c07cd/attempts/1/artifacts/a.txt"})
    void shouldAnswerAMultipartBodyWithoutBoundaryWithAProblem(String method, String path) {
        Map<TopicPartition, Long> before = ends();

        Response response = client.send(path, method, "multipart/form-data", "{}");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
        assertThat(response.json().get("detail").asString()).contains("multipart/form-data body cannot be read");
        assertThat(submitsSince(before)).isZero();
    }

    /** Found by Schemathesis: a URL the firewall refuses was answered with the container's error JSON, not a problem. */
    @ParameterizedTest
    @CsvSource({"/api/jobs/%3B%C2%87/result", "/api/jobs/a%25b/events", "/schema-registry/schemas/ids/%25"})
    void shouldAnswerARefusedUrlWithAProblem(String path) {
        Response response = client.get(path);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
        assertThat(response.json().get("detail").asString()).contains("URL is not allowed");
    }

    @Test
    void shouldRejectAMultipartSubmitWithoutTypeOrWithBadInputJson() {
        assertThat(client.postMultipart("/api/jobs", Map.of("input", "{}"), Map.of()).status()).isEqualTo(400);
        Response badJson = client.postMultipart("/api/jobs", Map.of("type", "demo", "input", "{oops"), Map.of());
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.json().get("detail").asString()).contains("not valid JSON");
        assertThat(client.postMultipart("/api/jobs", Map.of("type", "csv-report"), Map.of()).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @CsvSource({"/api/jobs/not-a-uuid", "/api/jobs/not-a-uuid/result", "/api/jobs/123/events"})
    void shouldAnswer400ForIdsThatAreNotUuids(String path) {
        Response response = client.get(path);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("not a UUID");
    }

    @Test
    void shouldAnswer404ForAnUnknownJobEverywhere() {
        String id = UUID.randomUUID().toString();
        for (Response response : new Response[] {client.get("/api/jobs/" + id), client.get("/api/jobs/" + id + "/result"),
                client.get("/api/jobs/" + id + "/events"), client.postJson("/api/jobs/" + id + "/cancel", ""),
                client.delete("/api/jobs/" + id), client.get("/api/jobs/" + id + "/artifacts/x.csv")}) {
            assertThat(response.status()).as(response.toString()).isEqualTo(404);
            assertThat(response.header("Content-Type")).contains("application/problem+json");
        }
    }

    @ParameterizedTest
    @CsvSource({"status=sleeping", "limit=0", "limit=5000", "offset=-1", "limit=abc", "offset=10001",
            "after=not-a-cursor", "after=0000000000000000001/../x"})
    void shouldRejectBadListParameters(String query) {
        Response response = client.get("/api/jobs?" + query);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POST|/api/jobs/not-a-uuid/cancel|400",
            "POST|/api/jobs/not-a-uuid/retry|400",
            "DELETE|/api/jobs/not-a-uuid|400",
            "GET|/api/jobs/not-a-uuid/stream|400",
            "POST|/api/jobs/00000000-0000-0000-0000-000000000000/retry|404",
            "GET|/api/jobs/00000000-0000-0000-0000-000000000000/stream|404",
            "GET|/api/jobs/00000000-0000-0000-0000-000000000000/events?after=-1|400",
            "GET|/api/jobs/00000000-0000-0000-0000-000000000000/events?limit=0|400",
            "GET|/api/jobs/00000000-0000-0000-0000-000000000000/events?limit=1001|400",
            "GET|/api/jobs/00000000-0000-0000-0000-000000000000/events|404",
            "POST|/api/jobs/batch|400",
            "POST|/api/jobs/cleanup?days=abc|400",
            "POST|/api/jobs/cleanup?days=-1|400",
            "POST|/api/jobs/cleanup|400",
            "GET|/api/nothing-here|404",
            "PUT|/api/jobs|405"})
    void shouldAnswerEveryOtherEndpointsBadRequestsWithAProblem(String method, String path, int status) {
        Map<TopicPartition, Long> before = ends();

        Response response = switch (method) {
            case "GET" -> client.get(path);
            case "DELETE" -> client.delete(path);
            case "PUT" -> client.send(path, "PUT", "application/json", "{}");
            default -> client.postJson(path, "");
        };

        assertThat(response.status()).as(method + " " + path + ": " + response).isEqualTo(status);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
        assertThat(commandsSince(before)).isEmpty();
    }

    @Test
    void shouldRejectAMalformedIdempotencyKey() {
        Response response = client.postJson("/api/jobs", "{\"type\": \"demo\"}", Map.of("Idempotency-Key", "has spaces in it"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("Idempotency-Key");
    }

    @Test
    void shouldAnswer413ToABodyOverTheLimitAndAppendNothing() {
        Map<TopicPartition, Long> before = ends();
        String big = "{\"type\": \"demo\", \"input\": {\"dedup_key\": \"" + "x".repeat(100_000) + "\"}}";

        Response declared = client.postJson("/api/jobs", big);
        Response chunked = client.postChunked("/api/jobs", "application/json", big);

        for (Response response : List.of(declared, chunked)) {
            assertThat(response.status()).as(response.toString()).isEqualTo(413);
            assertThat(response.header("Content-Type")).contains("application/problem+json");
        }
        assertThat(submitsSince(before)).isZero();
    }

    @Test
    void shouldAnswer413ToAnUploadOverTheLimitAndAppendNothing() {
        Map<TopicPartition, Long> before = ends();

        Response response = client.postMultipart("/api/jobs", Map.of("type", "csv-report"),
                Map.of("big.csv", "a,b\n1,2\n".repeat(40_000).getBytes(StandardCharsets.UTF_8)));

        assertThat(response.status()).as(response.toString()).isEqualTo(413);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
        assertThat(submitsSince(before)).isZero();
    }

    /**
     * Random JSON bodies, from a fixed seed: each is answered below 500, every 4xx is a problem, and exactly the
     * accepted ones appended a SubmitJob.
     */
    @Test
    void shouldNeverAnswer5xxToRandomJsonAndAppendOnlyWhatItAccepted() {
        Random random = new Random(20261123);
        Map<TopicPartition, Long> before = ends();
        int accepted = 0;
        for (int i = 0; i < 300; i++) {
            String body = RandomJson.submitLike(random);
            Response response = client.postJson("/api/jobs", body);
            assertThat(response.status()).as(body + " -> " + response).isLessThan(500);
            if (response.status() == 202) {
                accepted++;
                client.postJson("/api/jobs/" + response.json().get("job_id").asString() + "/cancel", "");
            } else {
                assertThat(response.status()).as(body + " -> " + response).isBetween(400, 499);
                assertThat(response.header("Content-Type")).as(body).contains("application/problem+json");
            }
        }
        System.out.println("Fuzz: 300 random bodies, " + accepted + " accepted, " + (300 - accepted) + " rejected, none 5xx");
        assertThat(submitsSince(before)).isEqualTo(accepted);
    }

    /** Where job-commands ends now: what a request appends goes after it. */
    private static Map<TopicPartition, Long> ends() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(JobTopics.COMMANDS).stream()
                    .map(p -> new TopicPartition(JobTopics.COMMANDS, p.partition())).toList();
            return consumer.endOffsets(partitions);
        }
    }

    /** The commands appended since {@code ends} (read from there, not from the topic's start). */
    private static List<JobCommand> commandsSince(Map<TopicPartition, Long> ends) {
        Deserializer<JobCommand> deserializer = SharedService.service().bean(JobTopics.class).commands().valueSerde().deserializer();
        List<JobCommand> commands = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(ends.keySet());
            ends.forEach(consumer::seek);
            Map<TopicPartition, Long> now = consumer.endOffsets(ends.keySet());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (now.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                assertThat(System.nanoTime()).as("read job-commands to its end").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(100)).forEach(r -> commands.add(deserializer.deserialize(JobTopics.COMMANDS, r.value())));
            }
        }
        return commands;
    }

    /** SubmitJob commands appended since {@code ends}. */
    private static long submitsSince(Map<TopicPartition, Long> ends) {
        return commandsSince(ends).stream().filter(c -> c.getPayload() instanceof SubmitJob).count();
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedService.service().bean(KafkaSettings.class).bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
