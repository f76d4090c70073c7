package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import tools.jackson.databind.JsonNode;

/**
 * The worker registry on a real broker: the in-process worker and an external worker announced on the workers topic,
 * folded back and listed by {@code GET /api/workers}; an external worker that stops calling becomes lost. Short
 * registry times (1 s heartbeats, lost after 3 s) keep it quick.
 */
class WorkerRegistryIT {

    @TempDir
    static Path dir;
    private static RunningService service;
    private static ServiceClient client;

    @BeforeAll
    static void start() {
        service = RunningService.start(dir.resolve("service"), Map.of("jobline.processor.concurrency", 2,
                "jobline.processor.worker-id", "registry-it-runner",
                "jobline.workers.registry.heartbeat-interval", "1s",
                "jobline.workers.registry.lost-after", "3s"));
        client = service.client();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void shouldListAnExternalWorkerWithItsTypeAndJobBesideTheInProcessWorkerAndCallItLostOnceItStopsCalling() {
        // A declared type runs only in external workers: the in-process runner has no code for it.
        var declared = client.send("/api/job-types/transcode", "PUT", "application/json", "{\"stages\": [\"fetch\", \"encode\"]}");
        assertThat(declared.status()).as(declared.text()).isIn(200, 201);
        String id = client.submit("transcode", "{}");
        var polled = client.postJson("/api/workers/poll", "{\"worker_id\": \"gpu-box-1/4711\", \"types\": [\"transcode\"], \"wait_ms\": 20000}");
        assertThat(polled.status()).as(polled.text()).isEqualTo(200);
        assertThat(polled.json().get("job_id").asString()).isEqualTo(id);
        String attempt = "/api/jobs/" + id + "/attempts/1";

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(client.postJson(attempt + "/heartbeat", "{\"stage\": 1}").status()).isEqualTo(200);
            JsonNode external = worker("gpu-box-1/4711");
            assertThat(external).as("listed: " + client.get("/api/workers").text()).isNotNull();
            assertThat(external.get("kind").asString()).isEqualTo("external");
            assertThat(external.get("status").asString()).isEqualTo("active");
            assertThat(external.get("types").valueStream().map(JsonNode::asString).toList()).containsExactly("transcode");
            assertThat(external.get("slots_in_use").asInt()).isEqualTo(1);
            assertThat(external.get("jobs")).singleElement().satisfies(job -> {
                assertThat(job.get("job_id").asString()).isEqualTo(id);
                assertThat(job.get("attempt").asInt()).isEqualTo(1);
            });
        });

        JsonNode runner = worker("registry-it-runner");
        assertThat(runner.get("kind").asString()).isEqualTo("in-process");
        assertThat(runner.get("status").asString()).isEqualTo("idle");
        assertThat(runner.get("slots_total").asInt()).isEqualTo(2);
        assertThat(runner.get("slots_in_use").asInt()).isZero();
        assertThat(runner.get("types").valueStream().map(JsonNode::asString).toList()).contains("demo", "noop").doesNotContain("transcode");
        assertThat(runner.get("instances")).hasSize(1);
        assertThat(runner.get("last_seen_at").asString()).isNotBlank();

        // The worker stops calling (it died holding its attempt): lost after 3 s, its job still shown as it left it.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(worker("gpu-box-1/4711").get("status").asString()).isEqualTo("lost"));
        assertThat(worker("gpu-box-1/4711").get("jobs").get(0).get("job_id").asString()).isEqualTo(id);
        assertThat(worker("registry-it-runner").get("status").asString()).as("its instance still announces it").isEqualTo("idle");
    }

    @Test
    void shouldShowTheInProcessWorkersRunningJobAndItsSlotsInUse() {
        String id = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 4000}");

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode runner = worker("registry-it-runner");
            assertThat(runner.get("status").asString()).isEqualTo("active");
            assertThat(runner.get("slots_in_use").asInt()).isEqualTo(1);
            assertThat(runner.get("jobs").valueStream().map(j -> j.get("job_id").asString()).toList()).containsExactly(id);
        });
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(worker("registry-it-runner").get("slots_in_use").asInt()).isZero());
    }

    private static JsonNode worker(String workerId) {
        var answer = client.get("/api/workers");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        List<JsonNode> found = answer.json().get("workers").valueStream()
                .filter(w -> w.get("worker_id").asString().equals(workerId)).toList();
        return found.isEmpty() ? null : found.get(0);
    }
}
