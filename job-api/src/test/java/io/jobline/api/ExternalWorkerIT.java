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
import io.jobline.api.support.TopicReader;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobReleased;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.StageCompleted;
import tools.jackson.databind.JsonNode;

/**
 * External workers on the HTTP worker protocol, on a service whose in-process worker has no slots: every job runs
 * through long polls, and the attempt number fences every call.
 */
class ExternalWorkerIT {

    @TempDir
    static Path dir;
    private static RunningService service;
    private static ServiceClient client;

    @BeforeAll
    static void start() {
        service = RunningService.start(dir.resolve("service"), Map.of("jobline.processor.concurrency", 0));
        client = service.client();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void shouldRunAJobStageByStageAndResumeItOnAnotherWorkerAfterARelease() {
        String id = client.submit("demo", "{\"stages\": 2, \"stage_ms\": 10}");

        JsonNode first = poll("worker-1", "demo");
        assertThat(first.get("job_id").asString()).isEqualTo(id);
        assertThat(first.get("attempt").asInt()).isEqualTo(1);
        assertThat(first.get("first_stage").asInt()).isEqualTo(1);
        assertThat(first.get("stages").size()).isEqualTo(2);
        assertThat(first.get("lease_expires_at").isNull()).isFalse();
        String attempt1 = "/api/jobs/" + id + "/attempts/1";
        assertThat(client.postJson(attempt1 + "/heartbeat", "{\"stage\": 1, \"progress\": 0.5, \"message\": \"half\"}")
                .json().get("cancel_requested").asBoolean()).isFalse();
        assertThat(client.postJson(attempt1 + "/stages/1/complete", "{\"checkpoint\": {\"frames\": 12}}")
                .json().get("next_stage").asInt()).isEqualTo(2);
        assertThat(client.postJson(attempt1 + "/release", "{\"reason\": \"shutting down\"}").status()).isEqualTo(200);

        JsonNode second = poll("worker-2", "demo");
        assertThat(second.get("job_id").asString()).isEqualTo(id);
        assertThat(second.get("attempt").asInt()).isEqualTo(2);
        assertThat(second.get("first_stage").asInt()).as("resumes after the completed stage").isEqualTo(2);
        assertThat(second.get("checkpoint").get("frames").asInt()).isEqualTo(12);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.postJson(attempt1 + "/heartbeat", "{}").status() == 409);
        var stale = client.postJson(attempt1 + "/complete", "{\"result\": {\"from\": \"the old attempt\"}}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().get("reason").asString()).isEqualTo("superseded");

        String attempt2 = "/api/jobs/" + id + "/attempts/2";
        JsonNode target = client.postJson(attempt2 + "/artifacts/report.txt/upload-url", "{\"content_type\": \"text/plain\"}").json();
        assertThat(target.get("presigned").asBoolean()).as("the local store: upload through the service").isFalse();
        assertThat(target.get("url").asString()).isEqualTo(attempt2 + "/artifacts/report.txt");
        assertThat(client.send(target.get("url").asString(), target.get("method").asString(), "text/plain", "hello").status()).isEqualTo(201);
        assertThat(client.postJson(attempt2 + "/complete", "{\"result\": {\"score\": 0.9}}").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> client.job(id).get("status").asString().equals("completed"));
        JsonNode result = client.get("/api/jobs/" + id + "/result").json();
        assertThat(result.get("result").get("score").asDouble()).isEqualTo(0.9);
        assertThat(client.get("/api/jobs/" + id + "/artifacts/report.txt").text()).isEqualTo("hello");
        List<JobEvent> events = TopicReader.events(service, id);
        assertThat(events).filteredOn(e -> e.getPayload() instanceof JobStarted)
                .extracting(e -> ((JobStarted) e.getPayload()).getWorkerId()).containsExactly("worker-1", "worker-2");
        assertThat(events).filteredOn(e -> e.getPayload() instanceof JobReleased).hasSize(1);
        assertThat(events).filteredOn(e -> e.getPayload() instanceof JobCompleted).hasSize(1);
        assertThat(client.job(id).get("errors")).as("a release is not a failure").isEmpty();
    }

    @Test
    void shouldTellARunningWorkerAtItsNextHeartbeatThatItsJobWasCancelled() {
        String id = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 10}");
        JsonNode task = poll("worker-3", "demo");
        assertThat(task.get("job_id").asString()).isEqualTo(id);

        assertThat(client.post("/api/jobs/" + id + "/cancel", "application/json", "").status()).isEqualTo(202);

        String heartbeat = "/api/jobs/" + id + "/attempts/1/heartbeat";
        await().atMost(Duration.ofSeconds(10)).until(() ->
                client.postJson(heartbeat, "{\"stage\": 1}").json().get("cancel_requested").asBoolean());
        var late = client.postJson("/api/jobs/" + id + "/attempts/1/complete", "{}");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().get("reason").asString()).isEqualTo("cancelled");
    }

    /**
     * Offers are handed out in the order they were appended; each partition keeps only its best two jobs of a type on
     * offer, so a high-priority job waits behind at most those: not behind the whole queue.
     */
    @Test
    void shouldHandAHighPriorityJobToAnExternalWorkerAheadOfTheLowOnesQueuedBeforeIt() {
        for (int i = 0; i < 40; i++) {
            client.submit("noop", "{}", "{\"priority\": -10}");
        }
        String high = client.submit("noop", "{}", "{\"priority\": 50}");

        int partitions = 3; // RunningService's
        List<String> handedOut = new java.util.ArrayList<>();
        while (!handedOut.contains(high)) {
            assertThat(handedOut).as("the high-priority job is handed out within the offers already out").hasSizeLessThan(41);
            JsonNode task = poll("worker-prio", "noop");
            handedOut.add(task.get("job_id").asString());
            assertThat(client.postJson("/api/jobs/" + task.get("job_id").asString() + "/attempts/1/complete", "{}")
                    .status()).isEqualTo(200);
        }
        assertThat(handedOut.indexOf(high)).as("behind at most 2 offers per partition, of %s handed out", handedOut)
                .isLessThanOrEqualTo(2 * partitions);
    }

    @Test
    void shouldRunTheStagesAWorkerOfADynamicTypeDeclaresAsItGoes() {
        var declared = client.send("/api/job-types/ingest", "PUT", "application/json",
                "{\"stages\": [\"prepare\"], \"dynamic_stages\": true}");
        assertThat(declared.status()).as(declared.text()).isEqualTo(201);
        assertThat(client.get("/api/job-types/ingest").json().get("dynamic_stages").asBoolean()).isTrue();
        String id = client.submit("ingest", "{\"folder\": \"in\"}");
        JsonNode task = poll("ingest-worker", "ingest");
        assertThat(task.get("job_id").asString()).isEqualTo(id);
        assertThat(task.get("stages").valueStream().map(JsonNode::asString)).containsExactly("prepare");
        String attempt = "/api/jobs/" + id + "/attempts/1";

        var prepared = client.postJson(attempt + "/stages/1/complete",
                "{\"checkpoint\": {\"files\": 2}, \"next_stages\": [\"file-1\", \"file-2\"]}");
        assertThat(prepared.status()).as(prepared.text()).isEqualTo(200);
        assertThat(prepared.json().get("next_stage").asInt()).isEqualTo(2);
        // At once, before the job's view may show the new plan: the plan the worker declared answers it.
        assertThat(client.postJson(attempt + "/stages/2/complete", "{}").json().get("next_stage").asInt()).isEqualTo(3);
        assertThat(client.postJson(attempt + "/heartbeat", "{\"stage\": 3, \"progress\": 0.5}").status()).isEqualTo(200);
        assertThat(client.postJson(attempt + "/complete", "{\"result\": {\"files\": 2}}").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> client.job(id).get("status").asString().equals("completed"));
        JsonNode job = client.job(id);
        assertThat(job.get("stages_total").asInt()).isEqualTo(3);
        assertThat(job.get("progress").asInt()).isEqualTo(100);
        assertThat(job.get("stages").valueStream().map(s -> s.get("name").asString()))
                .containsExactly("prepare", "file-1", "file-2");
        assertThat(job.get("stages").valueStream().map(s -> s.get("completed_at").isNull())).containsOnly(false);
        assertThat(TopicReader.events(service, id)).filteredOn(e -> e.getPayload() instanceof StageCompleted)
                .extracting(e -> ((StageCompleted) e.getPayload()).getNextStages())
                .containsExactly(List.of("file-1", "file-2"), null, null);
    }

    @Test
    void shouldRefuseNextStagesForAJobWhosePlanIsFixedAndChangeNothing() {
        String id = client.submit("demo", "{\"stages\": 2, \"stage_ms\": 10}");
        assertThat(poll("worker-4", "demo").get("job_id").asString()).isEqualTo(id);
        String attempt = "/api/jobs/" + id + "/attempts/1";

        var refused = client.postJson(attempt + "/stages/1/complete", "{\"next_stages\": [\"extra\"]}");

        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.header("Content-Type")).contains("application/problem+json");
        assertThat(refused.json().get("detail").asString()).contains("dynamic stages");
        assertThat(client.postJson(attempt + "/stages/1/complete", "{}").json().get("next_stage").asInt())
                .as("stage 1 was not completed by the refused call").isEqualTo(2);
        assertThat(client.postJson(attempt + "/complete", "{}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.job(id).get("status").asString().equals("completed"));
        assertThat(client.job(id).get("stages").valueStream().map(s -> s.get("name").asString()))
                .containsExactly("stage-1", "stage-2");
    }

    @Test
    void shouldRefuseAPlanOfMoreThanAHundredStagesOrWithABlankName() {
        client.send("/api/job-types/split", "PUT", "application/json",
                "{\"stages\": [\"split\", \"merge\"], \"dynamic_stages\": true}");
        String id = client.submit("split", "{}");
        assertThat(poll("worker-5", "split").get("job_id").asString()).isEqualTo(id);
        String complete = "/api/jobs/" + id + "/attempts/1/stages/1/complete";

        String hundred = java.util.stream.IntStream.rangeClosed(1, 100).mapToObj(i -> "\"part-" + i + "\"")
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        var tooMany = client.postJson(complete, "{\"next_stages\": " + hundred + "}");
        assertThat(tooMany.status()).as(tooMany.text()).isEqualTo(400);
        assertThat(tooMany.json().get("detail").asString()).contains("at most 100 stages");
        assertThat(client.postJson(complete, "{\"next_stages\": [\"a\", \"\"]}").status()).isEqualTo(400);
        assertThat(client.postJson(complete, "{\"next_stages\": []}").json().get("next_stage").isNull())
                .as("an empty list ends the plan with this stage").isTrue();
        assertThat(client.postJson("/api/jobs/" + id + "/attempts/1/complete", "{}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.job(id).get("status").asString().equals("completed"));
        assertThat(client.job(id).get("stages_total").asInt()).isEqualTo(1);
    }

    @Test
    void shouldAnswerNoContentWhenNothingCameAndRefuseAMalformedPoll() {
        var nothing = client.postJson("/api/workers/poll", "{\"worker_id\": \"w\", \"types\": [\"no-such-type\"], \"wait_ms\": 300}");
        assertThat(nothing.status()).isEqualTo(204);

        var noTypes = client.postJson("/api/workers/poll", "{\"worker_id\": \"w\", \"types\": []}");
        assertThat(noTypes.status()).isEqualTo(400);
        assertThat(noTypes.header("Content-Type")).contains("application/problem+json");
        assertThat(client.postJson("/api/workers/poll", "{\"worker_id\": \"w\", \"types\": [\"demo\"], \"wait_ms\": 60000}")
                .status()).isEqualTo(400);
    }

    @Test
    void shouldRefuseACheckpointOrResultOverSixtyFourKibWith413AndChangeNothing() {
        declare("big-output", "{\"stages\": [\"only\"]}");
        String id = client.submit("big-output", "{}");
        assertThat(poll("big-worker-1", "big-output").get("job_id").asString()).isEqualTo(id);
        String attempt1 = "/api/jobs/" + id + "/attempts/1";
        String tooLarge = "{\"blob\": \"" + "x".repeat(64 * 1024) + "\"}";

        var checkpoint = client.postJson(attempt1 + "/stages/1/complete", "{\"checkpoint\": " + tooLarge + "}");
        assertThat(checkpoint.status()).as(checkpoint.text()).isEqualTo(413);
        assertThat(checkpoint.header("Content-Type")).contains("application/problem+json");
        assertThat(checkpoint.json().get("detail").asString()).contains("64 KiB", "artifact");
        assertThat(checkpoint.json().get("limit_bytes").asInt()).isEqualTo(64 * 1024);
        // Had the refused call completed stage 1, the next attempt would resume after it.
        assertThat(client.postJson(attempt1 + "/release", "{}").status()).isEqualTo(200);
        JsonNode second = poll("big-worker-2", "big-output");
        assertThat(second.get("attempt").asInt()).isEqualTo(2);
        assertThat(second.get("first_stage").asInt()).as("stage 1 was not completed by the refused call").isEqualTo(1);
        assertThat(second.get("checkpoint").isNull()).isTrue();
        String attempt2 = "/api/jobs/" + id + "/attempts/2";

        var result = client.postJson(attempt2 + "/complete", "{\"result\": " + tooLarge + "}");
        assertThat(result.status()).as(result.text()).isEqualTo(413);
        assertThat(result.header("Content-Type")).contains("application/problem+json");
        assertThat(result.json().get("detail").asString()).contains("result");
        assertThat(client.postJson(attempt2 + "/heartbeat", "{}").status()).as("still the current attempt").isEqualTo(200);
        String justUnder = "{\"blob\": \"" + "x".repeat(64 * 1024 - 20) + "\"}";
        var done = client.postJson(attempt2 + "/complete", "{\"result\": " + justUnder + "}");
        assertThat(done.status()).as("a result within the limit: %s", done).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> client.job(id).get("status").asString().equals("completed"));
        assertThat(client.get("/api/jobs/" + id + "/result").json().get("result").get("blob").asString())
                .hasSize(64 * 1024 - 20);
        List<JobEvent> events = TopicReader.events(service, id);
        assertThat(events).filteredOn(e -> e.getPayload() instanceof StageCompleted).hasSize(1);
        assertThat(events).filteredOn(e -> e.getPayload() instanceof JobCompleted).hasSize(1);
    }

    @Test
    void shouldRefuseAPollForMoreThanSixteenTypes() {
        List<String> sixteen = java.util.stream.IntStream.rangeClosed(1, 16).mapToObj(i -> "\"type-" + i + "\"").toList();
        var allowed = client.postJson("/api/workers/poll", "{\"worker_id\": \"w\", \"types\": " + sixteen + ", \"wait_ms\": 0}");
        assertThat(allowed.status()).as(allowed.text()).isEqualTo(204);

        List<String> seventeen = new java.util.ArrayList<>(sixteen);
        seventeen.add("\"type-17\"");
        var refused = client.postJson("/api/workers/poll", "{\"worker_id\": \"w\", \"types\": " + seventeen + ", \"wait_ms\": 0}");
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).contains("application/problem+json");
        assertThat(refused.json().get("detail").asString()).contains("1 to 16 job types");
    }

    @Test
    void shouldAnswer409TimedOutToTheCallsOfAnAttemptWhoseHeartbeatTimedOut() {
        declare("silent", "{\"stages\": [\"one\", \"two\"]}");
        String id = client.submit("silent", "{}",
                "{\"heartbeat_timeout_ms\": 1000, \"max_attempts\": 2, \"backoff_ms\": 60000, \"backoff_max_ms\": 60000}");
        JsonNode task = poll("silent-worker", "silent");
        assertThat(task.get("job_id").asString()).isEqualTo(id);
        assertThat(task.get("options").get("heartbeat_timeout_ms").asLong()).isEqualTo(1000);
        String attempt = "/api/jobs/" + id + "/attempts/1";

        // The worker goes silent: the decider ends the attempt once the lease passes, and retries after the backoff.
        await().atMost(Duration.ofSeconds(10)).until(() -> client.job(id).get("status").asString().equals("pending"));
        assertThat(client.job(id).get("errors").get(0).get("error").asString()).contains("no heartbeat");

        for (String call : List.of("/heartbeat", "/stages/1/complete", "/complete", "/release")) {
            var late = client.postJson(attempt + call, "{}");
            assertThat(late.status()).as(call + ": " + late.text()).isEqualTo(409);
            assertThat(late.header("Content-Type")).contains("application/problem+json");
            assertThat(late.json().get("reason").asString()).as(call).isEqualTo("timed_out");
            assertThat(late.json().get("job_status").asString()).isEqualTo("pending");
        }
        var fail = client.postJson(attempt + "/fail", "{\"error\": \"late\"}");
        assertThat(fail.status()).isEqualTo(409);
        assertThat(fail.json().get("reason").asString()).isEqualTo("timed_out");
        JsonNode job = client.job(id);
        assertThat(job.get("status").asString()).as("the late calls changed nothing").isEqualTo("pending");
        assertThat(job.get("errors")).hasSize(1);
        assertThat(job.get("stages").get(0).get("completed_at").isNull()).isTrue();
        assertThat(TopicReader.events(service, id)).noneMatch(e -> e.getPayload() instanceof StageCompleted
                || e.getPayload() instanceof JobCompleted || e.getPayload() instanceof JobReleased);
        assertThat(client.post("/api/jobs/" + id + "/cancel", "application/json", "").status()).isEqualTo(202);
    }

    @Test
    void shouldAnswer409TimedOutToTheCallsOfALastAttemptWhoseHeartbeatTimedOut() {
        declare("silent-once", "{\"stages\": [\"one\"]}");
        String id = client.submit("silent-once", "{}", "{\"heartbeat_timeout_ms\": 1000, \"max_attempts\": 1}");
        assertThat(poll("silent-once-worker", "silent-once").get("job_id").asString()).isEqualTo(id);

        await().atMost(Duration.ofSeconds(10)).until(() -> client.job(id).get("status").asString().equals("failed"));
        var late = client.postJson("/api/jobs/" + id + "/attempts/1/complete", "{}");
        assertThat(late.status()).as(late.text()).isEqualTo(409);
        assertThat(late.json().get("reason").asString()).as("not just finished: its worker was too late").isEqualTo("timed_out");
        assertThat(late.json().get("job_status").asString()).isEqualTo("failed");
        assertThat(late.json().get("detail").asString()).contains("no heartbeat");

        // A job its worker failed itself is finished for that worker's later calls.
        String failed = client.submit("silent-once", "{}", "{\"max_attempts\": 1}");
        assertThat(poll("silent-once-worker", "silent-once").get("job_id").asString()).isEqualTo(failed);
        assertThat(client.postJson("/api/jobs/" + failed + "/attempts/1/fail", "{\"error\": \"bad input\"}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.job(failed).get("status").asString().equals("failed"));
        assertThat(client.postJson("/api/jobs/" + failed + "/attempts/1/complete", "{}").json().get("reason").asString())
                .isEqualTo("finished");
    }

    /**
     * A worker learns of a cancel at the first heartbeat it sends after the cancel was accepted (the instance that
     * accepted it remembers it until the job's view shows it), whatever its heartbeat interval (here 1 s, a third of
     * the job's heartbeat_timeout_ms).
     */
    @Test
    void shouldTellAWorkerOfACancelAtItsNextHeartbeat() {
        declare("cancellable", "{\"stages\": [\"long\"]}");
        String id = client.submit("cancellable", "{}", "{\"heartbeat_timeout_ms\": 3000}");
        JsonNode task = poll("cancel-worker", "cancellable");
        assertThat(task.get("job_id").asString()).isEqualTo(id);
        assertThat(task.get("heartbeat_interval_ms").asLong()).as("a third of the heartbeat timeout").isEqualTo(1000);
        String heartbeat = "/api/jobs/" + id + "/attempts/1/heartbeat";
        assertThat(client.postJson(heartbeat, "{\"progress\": 0.1}").json().get("cancel_requested").asBoolean()).isFalse();

        assertThat(client.post("/api/jobs/" + id + "/cancel", "application/json", "").status()).isEqualTo(202);
        var next = client.postJson(heartbeat, "{\"progress\": 0.2}");

        assertThat(next.status()).as(next.text()).isEqualTo(200);
        assertThat(next.json().get("cancel_requested").asBoolean()).as("the heartbeat right after the 202").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.job(id).get("status").asString().equals("cancelled"));
    }

    private static void declare(String type, String body) {
        var declared = client.send("/api/job-types/" + type, "PUT", "application/json", body);
        assertThat(declared.status()).as(declared.text()).isIn(200, 201);
    }

    private static JsonNode poll(String workerId, String type) {
        var answer = client.postJson("/api/workers/poll",
                "{\"worker_id\": \"" + workerId + "\", \"types\": [\"" + type + "\"], \"wait_ms\": 20000}");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json();
    }
}
