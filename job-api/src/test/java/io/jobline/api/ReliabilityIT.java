package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.ServiceClient.Response;
import io.jobline.api.support.SharedService;
import io.jobline.api.support.TopicReader;
import io.jobline.schemas.command.SubmitJob;
import io.jobline.schemas.event.JobEvent;
import tools.jackson.databind.JsonNode;

/** Automatic retries, timeouts, idempotent submits, duplicate-run guard and retention, on the running service. */
@ExtendWith(SharedService.class)
class ReliabilityIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ServiceClient client = SharedService.client();

    @Test
    void shouldRetryARetryableFailureAfterABackoffResumingAfterTheLastCheckpointAndKeepEachError() {
        String id = submit("{\"stages\": 3, \"stage_ms\": 150, \"fail_at_stage\": 2, \"fail_attempts\": 2}",
                "{\"max_attempts\": 3, \"backoff_ms\": 1500, \"max_restarts\": 2}");

        JsonNode waiting = awaitJob(id, job -> job.get("status").asString().equals("pending") && !job.get("next_attempt_at").isNull());
        assertThat(waiting.get("errors")).hasSize(1);
        assertThat(waiting.get("max_attempts").asInt()).isEqualTo(3);
        JsonNode done = awaitJob(id, job -> job.get("status").asString().equals("completed"));

        assertThat(done.get("attempt").asInt()).isEqualTo(3);
        assertThat(done.get("next_attempt_at").isNull()).isTrue();
        assertThat(done.get("errors")).extracting(e -> e.get("attempt").asInt()).containsExactly(1, 2);
        assertThat(done.get("errors").get(0).get("error").asString()).contains("Demo failure in stage 2");
        List<JsonNode> events = events(id);
        assertThat(events).filteredOn(e -> e.get("type").asString().equals("AttemptFailed")).hasSize(2);
        assertThat(events).filteredOn(e -> e.get("type").asString().equals("JobStarted"))
                .extracting(e -> e.get("data").get("first_stage").asInt()).containsExactly(1, 2, 2);
        assertThat(events).filteredOn(e -> e.get("type").asString().equals("StageCompleted"))
                .extracting(e -> e.get("data").get("stage").asInt()).containsExactly(1, 2, 3);
    }

    @Test
    void shouldFailTheJobAfterItsLastAttemptWithEveryAttemptsError() {
        String id = submit("{\"stages\": 1, \"stage_ms\": 50, \"fail_at_stage\": 1}", "{\"max_attempts\": 2, \"backoff_ms\": 100}");

        JsonNode failed = awaitJob(id, job -> job.get("status").asString().equals("failed"));

        assertThat(failed.get("attempt").asInt()).isEqualTo(2);
        assertThat(failed.get("errors")).hasSize(2);
        assertThat(events(id)).filteredOn(e -> e.get("type").asString().equals("JobFailed")).hasSize(1);
    }

    @Test
    void shouldNotRetryAFatalError() {
        String id = submit("{\"stages\": 1, \"stage_ms\": 50, \"fail_at_stage\": 1, \"fatal\": true}", "{\"max_attempts\": 5, \"backoff_ms\": 100}");

        JsonNode failed = awaitJob(id, job -> job.get("status").asString().equals("failed"));

        assertThat(failed.get("attempt").asInt()).isEqualTo(1);
        assertThat(events(id)).noneMatch(e -> e.get("type").asString().equals("AttemptFailed"));
    }

    @Test
    void shouldReassignAnAttemptWhoseWorkerStopsReportingAndFenceTheHungOne() {
        String id = submit("{\"stages\": 2, \"stage_ms\": 200, \"hang_at_stage\": 1, \"hang_attempts\": 1}",
                "{\"max_attempts\": 2, \"backoff_ms\": 100, \"heartbeat_timeout_ms\": 1500}");

        JsonNode done = awaitJob(id, job -> job.get("status").asString().equals("completed"));

        assertThat(done.get("attempt").asInt()).isEqualTo(2);
        assertThat(done.get("errors").get(0).get("error").asString()).contains("no heartbeat for 1500 ms");
        assertThat(events(id)).filteredOn(e -> e.get("attempt").asInt() == 1)
                .noneMatch(e -> e.get("type").asString().equals("StageCompleted"));
    }

    @Test
    void shouldFailAStageThatRunsPastItsStageTimeout() {
        String id = submit("{\"stages\": 1, \"stage_ms\": 200, \"hang_at_stage\": 1}",
                "{\"stage_timeout_ms\": 1000, \"heartbeat_timeout_ms\": null}");

        JsonNode failed = awaitJob(id, job -> job.get("status").asString().equals("failed"));

        assertThat(failed.get("error").asString()).contains("Stage 1 (stage-1) timed out");
    }

    @Test
    void shouldAnswerAReplayedIdempotencyKeyWithTheSameJobAndADifferentBodyWith422() {
        String body = "{\"type\": \"demo\", \"input\": {\"stages\": 1, \"stage_ms\": 10}}";
        Map<String, String> key = Map.of("Idempotency-Key", "order-" + System.nanoTime());

        Response first = client.postJson("/api/jobs", body, key);
        Response again = client.postJson("/api/jobs", "{\"input\": {\"stage_ms\": 10, \"stages\": 1}, \"type\": \"demo\"}", key);
        Response different = client.postJson("/api/jobs", "{\"type\": \"demo\", \"input\": {\"stages\": 2}}", key);

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("job_id").asString()).isEqualTo(first.json().get("job_id").asString());
        assertThat(different.status()).as(different.toString()).isEqualTo(422);
        assertThat(different.header("Content-Type")).contains("application/problem+json");
        assertThat(different.json().get("job_id").asString()).isEqualTo(first.json().get("job_id").asString());
    }

    @Test
    void shouldCreateOneJobForConcurrentIdenticalRequestsWithTheSameKey() throws Exception {
        String body = "{\"type\": \"demo\", \"input\": {\"stages\": 1, \"stage_ms\": 10}}";
        String idempotencyKey = "race-" + System.nanoTime();
        long submitsBefore = submitCommands();
        int callers = 12;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            answers.add(pool.submit((Callable<Response>) () -> {
                go.await();
                return client.postJson("/api/jobs", body, Map.of("Idempotency-Key", idempotencyKey));
            }));
        }
        go.countDown();
        List<Response> responses = new ArrayList<>();
        for (Future<Response> answer : answers) {
            responses.add(answer.get());
        }
        pool.shutdown();

        assertThat(responses).extracting(Response::status).containsOnly(200, 202);
        assertThat(responses).filteredOn(r -> r.status() == 202).hasSize(1);
        assertThat(responses).extracting(r -> r.json().get("job_id").asString()).containsOnly(responses.get(0).json().get("job_id").asString());
        assertThat(submitCommands() - submitsBefore).as("SubmitJob commands appended").isEqualTo(1);
        String id = responses.get(0).json().get("job_id").asString();
        awaitJob(id, job -> job.get("status").asString().equals("completed"));
        assertThat(events(id)).filteredOn(e -> e.get("type").asString().equals("JobSubmitted")).hasSize(1);
    }

    @Test
    void shouldAnswerABatchSentAgainWithItsIdempotencyKeyWithTheSameJobsAndAppendNothingNew() {
        String body = "{\"jobs\": [{\"type\": \"noop\"}, {\"type\": \"demo\", \"input\": {\"stages\": 1, \"stage_ms\": 10}},"
                + " {\"type\": \"noop\", \"input\": {\"stages\": 2}}]}";
        Map<String, String> key = Map.of("Idempotency-Key", "batch-" + System.nanoTime());
        long submitsBefore = submitCommands();

        Response first = client.postJson("/api/jobs/batch", body, key);
        Response again = client.postJson("/api/jobs/batch", body, key);
        Response different = client.postJson("/api/jobs/batch", "{\"jobs\": [{\"type\": \"noop\"}]}", key);

        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(first.json().get("accepted").asInt()).isEqualTo(3);
        assertThat(first.json().get("jobs")).extracting(j -> j.get("status").asString()).containsOnly("pending");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("jobs")).extracting(j -> j.get("job_id").asString())
                .containsExactlyElementsOf(first.json().get("jobs").valueStream().map(j -> j.get("job_id").asString()).toList());
        assertThat(different.status()).as(different.toString()).isEqualTo(422);
        assertThat(submitCommands() - submitsBefore).as("SubmitJob commands appended").isEqualTo(3);
        first.json().get("jobs").forEach(j -> awaitJob(j.get("job_id").asString(), job -> job.get("status").asString().equals("completed")));
    }

    @Test
    void shouldAnswer409ToAnIdempotencyKeyWhoseJobWasDeletedAndAppendNothing() {
        String body = "{\"type\": \"noop\"}";
        Map<String, String> key = Map.of("Idempotency-Key", "deleted-" + System.nanoTime());
        String id = client.postJson("/api/jobs", body, key).json().get("job_id").asString();
        awaitJob(id, job -> job.get("status").asString().equals("completed"));
        assertThat(client.delete("/api/jobs/" + id).status()).isEqualTo(202);
        await().atMost(TIMEOUT).until(() -> client.get("/api/jobs/" + id).status() == 404);
        long submitsBefore = submitCommands();

        Response reused = client.postJson("/api/jobs", body, key);

        assertThat(reused.status()).as(reused.toString()).isEqualTo(409);
        assertThat(reused.header("Content-Type")).contains("application/problem+json");
        assertThat(reused.json().get("job_id").asString()).isEqualTo(id);
        assertThat(reused.json().get("detail").asString()).contains("was deleted", "send a new key");
        assertThat(submitCommands()).as("nothing appended").isEqualTo(submitsBefore);
    }

    @Test
    void shouldRefuseASecondRunWithTheSameDedupKeyWhileTheFirstIsActive() {
        String dedup = "nightly-" + System.nanoTime();
        String first = submit("{\"stages\": 1, \"stage_ms\": 20000, \"dedup_key\": \"" + dedup + "\"}", null);

        Response duplicate = client.postJson("/api/jobs", "{\"type\": \"demo\", \"input\": {\"stage_ms\": 5, \"dedup_key\": \"" + dedup + "\"}}");

        assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(409);
        assertThat(duplicate.json().get("job_id").asString()).isEqualTo(first);
        client.postJson("/api/jobs/" + first + "/cancel", "");
        awaitJob(first, job -> job.get("status").asString().equals("cancelled"));
        await().atMost(TIMEOUT).until(() -> client.postJson("/api/jobs",
                "{\"type\": \"demo\", \"input\": {\"stage_ms\": 5, \"dedup_key\": \"" + dedup + "\"}}").status() == 202);
    }

    @Test
    void shouldDeleteFinishedJobsOnCleanupThroughEvents() {
        String finished = submit("{\"stages\": 1, \"stage_ms\": 10}", null);
        awaitJob(finished, job -> job.get("status").asString().equals("completed"));
        String running = submit("{\"stages\": 1, \"stage_ms\": 20000}", null);

        Response cleanup = client.postJson("/api/jobs/cleanup?days=0", "");

        assertThat(cleanup.status()).as(cleanup.toString()).isEqualTo(200);
        assertThat(cleanup.json().get("job_ids")).extracting(JsonNode::asString).contains(finished).doesNotContain(running);
        await().atMost(TIMEOUT).until(() -> client.get("/api/jobs/" + finished).status() == 404);
        assertThat(client.get("/api/jobs/" + running).status()).isEqualTo(200);
        assertThat(readEvents(finished)).extracting(e -> e.getPayload().getClass().getSimpleName()).endsWith("JobDeleted");
        client.postJson("/api/jobs/" + running + "/cancel", "");
    }

    @Test
    void shouldListJobTypesWithTheirInputSchemaAndDefaultOptions() {
        JsonNode types = client.get("/api/job-types").json();

        JsonNode demo = types.valueStream().filter(t -> t.get("name").asString().equals("demo")).findFirst().orElseThrow();
        assertThat(demo.get("input_schema").get("properties").has("stages")).isTrue();
        assertThat(demo.get("default_options").get("max_attempts").asInt()).isEqualTo(1);
        assertThat(demo.get("default_options").get("heartbeat_timeout_ms").asLong()).isEqualTo(60_000);
        assertThat(demo.get("default_options").get("max_restarts").asInt()).isEqualTo(5);
    }

    private String submit(String input, String options) {
        String body = "{\"type\": \"demo\", \"input\": " + input + (options == null ? "" : ", \"options\": " + options) + "}";
        Response response = client.postJson("/api/jobs", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return response.json().get("job_id").asString();
    }

    private JsonNode awaitJob(String id, java.util.function.Predicate<JsonNode> condition) {
        JsonNode[] seen = new JsonNode[1];
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            seen[0] = client.job(id);
            return condition.test(seen[0]);
        });
        return seen[0];
    }

    private List<JsonNode> events(String id) {
        List<JsonNode> events = new ArrayList<>();
        client.get("/api/jobs/" + id + "/events").json().get("events").forEach(events::add);
        return events;
    }

    private static List<JobEvent> readEvents(String jobId) {
        return TopicReader.events(SharedService.service(), jobId);
    }

    private static long submitCommands() {
        return TopicReader.commands(SharedService.service()).stream().filter(c -> c.getPayload() instanceof SubmitJob).count();
    }
}
