package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.ServiceClient.Response;
import io.jobline.api.support.SharedService;
import tools.jackson.databind.JsonNode;

/** Jobs through their whole lifecycle over HTTP, on the service running on a real in-process broker. */
@ExtendWith(SharedService.class)
class JobLifecycleIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ServiceClient client = SharedService.client();

    @Test
    void shouldRunASubmittedJobToCompletionWithProgressRisingTo100() {
        Response accepted = client.postJson("/api/jobs", "{\"type\": \"demo\", \"input\": {\"stages\": 3, \"stage_ms\": 600}}");

        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.json().get("job_id").asString();
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(accepted.json().get("status").asString()).isEqualTo("pending");
        assertThat(accepted.header("Location")).isEqualTo("/api/jobs/" + id);

        Response first = client.get("/api/jobs/" + id);
        assertThat(first.status()).as("GET right after the 202").isEqualTo(200);
        assertThat(first.json().get("status").asString()).isIn("pending", "running");

        List<Integer> progress = new ArrayList<>();
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode job = client.job(id);
            progress.add(job.get("progress").asInt());
            return job.get("status").asString().equals("completed");
        });

        assertThat(progress).isSorted().last().isEqualTo(100);
        assertThat(progress.stream().filter(p -> p > 0 && p < 100).distinct().count()).as("progress seen between 0 and 100: " + progress)
                .isGreaterThanOrEqualTo(3);
        JsonNode job = client.job(id);
        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(job.get("owner").asString()).as("protected mode: a client on this machine is the admin \"local\"").isEqualTo("local");
        assertThat(job.get("started_at").isNull()).isFalse();
        assertThat(job.get("completed_at").isNull()).isFalse();
        assertThat(job.get("elapsed_seconds").asDouble()).isGreaterThan(1.5);
        assertThat(job.get("estimated_seconds_remaining").asDouble()).isZero();

        Response result = client.get("/api/jobs/" + id + "/result");
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.json().get("result").get("stages_completed").asInt()).isEqualTo(3);
    }

    @Test
    void shouldKeepTheWholeEventHistoryInOrder() {
        String id = client.submit("demo", "{\"stages\": 2, \"stage_ms\": 100}");
        awaitStatus(id, "completed");

        JsonNode history = client.get("/api/jobs/" + id + "/events").json();
        JsonNode firstTwo = client.get("/api/jobs/" + id + "/events?limit=2").json();
        JsonNode rest = client.get("/api/jobs/" + id + "/events?after=" + firstTwo.get("next_after").asLong() + "&limit=1000").json();
        assertThat(firstTwo.get("events").valueStream().map(e -> e.get("type").asString()))
                .containsExactly("JobSubmitted", "JobStarted");
        assertThat(rest.get("count").asInt()).isEqualTo(history.get("count").asInt() - 2);
        assertThat(rest.get("next_after").isNull()).as("the last page").isTrue();

        List<String> types = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        history.get("events").forEach(e -> {
            types.add(e.get("type").asString());
            sequences.add(e.get("sequence").asLong());
        });
        assertThat(types).startsWith("JobSubmitted", "JobStarted", "StageStarted").endsWith("StageCompleted", "JobCompleted");
        assertThat(types).contains("ProgressReported");
        for (int i = 0; i < sequences.size(); i++) {
            assertThat(sequences.get(i)).isEqualTo(i + 1L);
        }
        assertThat(history.get("count").asInt()).isEqualTo(types.size());
    }

    @Test
    void shouldFailAJobWithTheStageError() {
        String id = client.submit("demo", "{\"stages\": 3, \"stage_ms\": 100, \"fail_at_stage\": 2}");

        awaitStatus(id, "failed");

        JsonNode job = client.job(id);
        assertThat(job.get("error").asString()).contains("stage 2 of 3");
        Response result = client.get("/api/jobs/" + id + "/result");
        assertThat(result.status()).isEqualTo(409);
        assertThat(result.header("Content-Type")).contains("application/problem+json");
        assertThat(result.json().get("error").asString()).contains("stage 2 of 3");
    }

    @Test
    void shouldCancelARunningJobWhichThenStopsWorking() {
        String id = client.submit("demo", "{\"stages\": 5, \"stage_ms\": 2000}");
        awaitStatus(id, "running");
        assertThat(client.get("/api/jobs/" + id + "/result").status()).isEqualTo(202);

        Response cancel = client.postJson("/api/jobs/" + id + "/cancel", "");

        assertThat(cancel.status()).isEqualTo(202);
        awaitStatus(id, "cancelled");
        int eventsAtCancel = client.get("/api/jobs/" + id + "/events").json().get("count").asInt();
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() ->
                client.get("/api/jobs/" + id + "/events").json().get("count").asInt() == eventsAtCancel);
        JsonNode events = client.get("/api/jobs/" + id + "/events").json().get("events");
        assertThat(events.get(events.size() - 1).get("type").asString()).isEqualTo("JobCancelled");
        assertThat(client.get("/api/jobs/" + id + "/result").status()).isEqualTo(409);
        assertThat(client.postJson("/api/jobs/" + id + "/cancel", "").status()).isEqualTo(409);
    }

    @Test
    void shouldCancelAPendingJob() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(client.submit("demo", "{\"stages\": 1, \"stage_ms\": 3000}"));
        }
        String last = ids.get(ids.size() - 1);
        assertThat(client.job(last).get("status").asString()).isEqualTo("pending");

        assertThat(client.postJson("/api/jobs/" + last + "/cancel", "").status()).isEqualTo(202);

        awaitStatus(last, "cancelled");
        assertThat(client.job(last).get("attempt").asInt()).isZero();
        ids.forEach(id -> client.postJson("/api/jobs/" + id + "/cancel", ""));
    }

    @Test
    void shouldRetryACancelledJobAsANewAttemptThatResumesAfterItsCompletedStages() {
        String id = client.submit("demo", "{\"stages\": 3, \"stage_ms\": 700}");
        await().atMost(TIMEOUT).until(() -> !client.job(id).get("stages").get(0).get("completed_at").isNull());
        client.postJson("/api/jobs/" + id + "/cancel", "");
        awaitStatus(id, "cancelled");
        assertThat(client.postJson("/api/jobs/" + id + "/retry", "").status()).isEqualTo(202);

        awaitStatus(id, "completed");

        assertThat(client.job(id).get("attempt").asInt()).isEqualTo(2);
        List<String> types = client.get("/api/jobs/" + id + "/events").json().get("events").findValuesAsString("type");
        assertThat(types).containsSubsequence("JobCancelled", "JobRetried", "JobStarted", "JobCompleted");
        JsonNode secondStart = null;
        for (JsonNode event : client.get("/api/jobs/" + id + "/events").json().get("events")) {
            if (event.get("type").asString().equals("JobStarted") && event.get("attempt").asInt() == 2) {
                secondStart = event;
            }
        }
        assertThat(secondStart.get("data").get("first_stage").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(client.postJson("/api/jobs/" + id + "/retry", "").status()).as("a completed job").isEqualTo(409);
    }

    @Test
    void shouldDeleteAJobFromLookupAndListing() {
        String id = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 0}");
        awaitStatus(id, "completed");

        assertThat(client.delete("/api/jobs/" + id).status()).isEqualTo(202);

        await().atMost(TIMEOUT).until(() -> client.get("/api/jobs/" + id).status() == 404);
        assertThat(client.get("/api/jobs/" + id).header("Content-Type")).contains("application/problem+json");
        assertThat(client.get("/api/jobs/" + id + "/events").status()).isEqualTo(404);
        assertThat(client.get("/api/jobs?limit=1000").json().get("jobs").findValuesAsString("job_id")).doesNotContain(id);
        assertThat(client.delete("/api/jobs/" + id).status()).isEqualTo(404);
    }

    @Test
    void shouldListJobsNewestFirstWithFiltersAndPaging() {
        String failed = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 0, \"fail_at_stage\": 1}");
        String done = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 0}");
        awaitStatus(failed, "failed");
        awaitStatus(done, "completed");

        JsonNode all = client.get("/api/jobs?limit=1000").json();
        List<String> ids = all.get("jobs").findValuesAsString("job_id");
        assertThat(ids.indexOf(done)).isLessThan(ids.indexOf(failed));
        assertThat(all.get("count").asInt()).isEqualTo(ids.size());
        // The jobs of every partition, merged newest first.
        assertThat(all.get("jobs").findValuesAsString("created_at").stream().map(Instant::parse).toList())
                .isSortedAccordingTo(Comparator.reverseOrder());

        assertThat(client.get("/api/jobs?status=failed&limit=1000").json().get("jobs").findValuesAsString("status"))
                .containsOnly("failed").hasSizeGreaterThanOrEqualTo(1);
        assertThat(client.get("/api/jobs?status=failed&limit=1000").json().get("jobs").findValuesAsString("job_id")).contains(failed);
        assertThat(client.get("/api/jobs?type=csv-report&status=completed&limit=1000").json().get("jobs").findValuesAsString("job_id"))
                .doesNotContain(done);
        assertThat(client.get("/api/jobs?owner=local&limit=1000").json().get("count").asInt()).isEqualTo(all.get("count").asInt());
        assertThat(client.get("/api/jobs?owner=nobody").json().get("count").asInt()).isZero();

        JsonNode page = client.get("/api/jobs?limit=1&offset=1").json();
        assertThat(page.get("jobs")).hasSize(1);
        assertThat(page.get("jobs").get(0).get("job_id").asString()).isEqualTo(ids.get(1));
        assertThat(page.get("count").asInt()).isEqualTo(all.get("count").asInt());

        // Page by cursor: every job once, newest first, whatever page size.
        List<String> walked = new ArrayList<>();
        List<Instant> created = new ArrayList<>();
        String after = null;
        do {
            JsonNode next = client.get("/api/jobs?limit=7" + (after == null ? "" : "&after=" + after)).json();
            walked.addAll(next.get("jobs").findValuesAsString("job_id"));
            next.get("jobs").findValuesAsString("created_at").forEach(t -> created.add(Instant.parse(t)));
            after = next.get("next_after").isNull() ? null : next.get("next_after").asString();
        } while (after != null);
        assertThat(walked).doesNotHaveDuplicates().containsAll(ids);
        assertThat(created).isSortedAccordingTo(Comparator.reverseOrder());
    }

    private void awaitStatus(String id, String status) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> client.job(id).get("status").asString().equals(status));
    }
}
