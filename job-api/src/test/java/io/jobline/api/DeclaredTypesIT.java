package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.TopicReader;
import io.jobline.core.lifecycle.EventStatus;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobReleased;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.JobSubmitted;
import tools.jackson.databind.JsonNode;

/** Job types declared at runtime: versions, refusals, and a concurrency limit that holds across two instances. */
class DeclaredTypesIT {

    private static final String GPU = "{\"stages\": [\"render\"], \"concurrency_limit\": 2,"
            + " \"input_schema\": {\"type\": \"object\", \"required\": [\"scene\"]}, \"options\": {\"heartbeat_timeout_ms\": 30000}}";

    @TempDir
    Path dir;

    /** One instance without in-process slots, for the tests that need no second one. */
    @TempDir
    static Path sharedDir;
    private static RunningService single;

    @BeforeAll
    static void start() {
        single = RunningService.start(sharedDir.resolve("s"), Map.of("jobline.processor.concurrency", 0));
    }

    @AfterAll
    static void stop() {
        single.close();
    }

    @Test
    void shouldDeclareVersionAndDeleteATypeAndRefuseWhatCannotBe() {
        ServiceClient client = single.client();
        var created = client.send("/api/job-types/compare-videos", "PUT", "application/json",
                "{\"stages\": [\"download\", \"compare\"], \"dedup_key\": \"/video_id\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("version").asInt()).isEqualTo(1);
        assertThat(client.send("/api/job-types/compare-videos", "PUT", "application/json",
                "{\"stages\": [\"download\", \"compare\"], \"dedup_key\": \"/video_id\"}").json().get("version").asInt())
                .as("the same body changes nothing").isEqualTo(1);
        var changed = client.send("/api/job-types/compare-videos", "PUT", "application/json",
                "{\"stages\": [\"download\", \"analyze\", \"compare\"], \"dedup_key\": \"/video_id\"}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("version").asInt()).isEqualTo(2);
        assertThat(changed.json().get("dynamic_stages").asBoolean()).as("by default a fixed plan").isFalse();
        var dynamic = client.send("/api/job-types/compare-videos", "PUT", "application/json",
                "{\"stages\": [\"download\", \"analyze\", \"compare\"], \"dedup_key\": \"/video_id\", \"dynamic_stages\": true}");
        assertThat(dynamic.json().get("version").asInt()).as("a change of its own").isEqualTo(3);
        assertThat(client.get("/api/job-types/compare-videos").json().get("dynamic_stages").asBoolean()).isTrue();
        assertThat(client.get("/api/job-types").json().valueStream().map(t -> t.get("name").asString()))
                .contains("demo", "compare-videos");

        String id = client.submit("compare-videos", "{\"video_id\": \"v1\"}");
        JsonNode job = client.job(id);
        assertThat(job.get("stages_total").asInt()).isEqualTo(3);
        var duplicate = client.postJson("/api/jobs", "{\"type\": \"compare-videos\", \"input\": {\"video_id\": \"v1\"}}");
        assertThat(duplicate.status()).as("the dedup key is the input's video_id").isEqualTo(409);

        await().atMost(Duration.ofSeconds(10)).until(() ->
                client.get("/api/jobs?type=compare-videos").json().get("count").asInt() == 1);
        var inUse = client.delete("/api/job-types/compare-videos");
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.json().get("detail").asString()).contains("1 pending or running");
        assertThat(client.send("/api/job-types/demo", "PUT", "application/json", "{\"stages\": [\"x\"]}").status())
                .as("a built-in type").isEqualTo(409);
        assertThat(client.send("/api/job-types/Bad%20Name", "PUT", "application/json", "{\"stages\": [\"x\"]}").status())
                .isEqualTo(400);
        assertThat(client.send("/api/job-types/no-stages", "PUT", "application/json", "{\"stages\": []}").status())
                .isEqualTo(400);
        assertThat(client.send("/api/job-types/bad-limit", "PUT", "application/json",
                "{\"stages\": [\"x\"], \"concurrency_limit\": 0}").status()).isEqualTo(400);

        assertThat(client.post("/api/jobs/" + id + "/cancel", "application/json", "").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.delete("/api/job-types/compare-videos").status() == 204);
        assertThat(client.get("/api/job-types/compare-videos").status()).isEqualTo(404);
        assertThat(client.postJson("/api/jobs", "{\"type\": \"compare-videos\", \"input\": {}}").status()).isEqualTo(400);
    }

    /**
     * A job keeps the version of its type it was submitted with: its plan and its policy, in the attempt that runs when
     * the type changes and in a later one; a job submitted after the change gets the new version.
     */
    @Test
    void shouldRunAJobWithTheVersionOfItsTypeItWasSubmittedWithWhenTheTypeChangesWhileItRuns() {
        ServiceClient client = single.client();
        var v1 = client.send("/api/job-types/pinned", "PUT", "application/json",
                "{\"stages\": [\"a\"], \"options\": {\"max_attempts\": 2}}");
        assertThat(v1.status()).as(v1.text()).isEqualTo(201);
        assertThat(v1.json().get("version").asInt()).isEqualTo(1);
        String old = client.submit("pinned", "{}");
        JsonNode task = poll(client, "pinned-worker-1");
        assertThat(task.get("job_id").asString()).isEqualTo(old);
        assertThat(task.get("type_version").asInt()).isEqualTo(1);
        String attempt1 = "/api/jobs/" + old + "/attempts/1";
        assertThat(client.postJson(attempt1 + "/heartbeat", "{\"progress\": 0.5}").status()).isEqualTo(200);

        var v2 = client.send("/api/job-types/pinned", "PUT", "application/json",
                "{\"stages\": [\"a\", \"b\"], \"options\": {\"max_attempts\": 5}}");
        assertThat(v2.status()).as(v2.text()).isEqualTo(200);
        assertThat(v2.json().get("version").asInt()).isEqualTo(2);

        JsonNode running = client.job(old);
        assertThat(running.get("type_version").asInt()).isEqualTo(1);
        assertThat(running.get("stages").valueStream().map(s -> s.get("name").asString())).containsExactly("a");
        assertThat(running.get("max_attempts").asInt()).isEqualTo(2);
        // A new attempt of the job after the change still gets version 1: its plan and policy.
        assertThat(client.postJson(attempt1 + "/release", "{}").status()).isEqualTo(200);
        JsonNode again = poll(client, "pinned-worker-2");
        assertThat(again.get("job_id").asString()).isEqualTo(old);
        assertThat(again.get("attempt").asInt()).isEqualTo(2);
        assertThat(again.get("type_version").asInt()).isEqualTo(1);
        assertThat(again.get("stages").valueStream().map(JsonNode::asString)).containsExactly("a");
        assertThat(again.get("options").get("max_attempts").asInt()).isEqualTo(2);
        String attempt2 = "/api/jobs/" + old + "/attempts/2";
        assertThat(client.postJson(attempt2 + "/stages/1/complete", "{}").json().get("next_stage").isNull())
                .as("a was the last stage of version 1").isTrue();
        assertThat(client.postJson(attempt2 + "/complete", "{\"result\": {\"version\": 1}}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.job(old).get("status").asString().equals("completed"));
        JsonNode done = client.job(old);
        assertThat(done.get("type_version").asInt()).isEqualTo(1);
        assertThat(done.get("stages_total").asInt()).isEqualTo(1);
        assertThat(done.get("progress").asInt()).isEqualTo(100);

        String next = client.submit("pinned", "{}");
        JsonNode submittedAfter = client.job(next);
        assertThat(submittedAfter.get("type_version").asInt()).isEqualTo(2);
        assertThat(submittedAfter.get("stages").valueStream().map(s -> s.get("name").asString())).containsExactly("a", "b");
        JsonNode nextTask = poll(client, "pinned-worker-3");
        assertThat(nextTask.get("job_id").asString()).isEqualTo(next);
        assertThat(nextTask.get("type_version").asInt()).isEqualTo(2);
        assertThat(nextTask.get("stages").valueStream().map(JsonNode::asString)).containsExactly("a", "b");
        assertThat(nextTask.get("options").get("max_attempts").asInt()).isEqualTo(5);
        assertThat(client.postJson("/api/jobs/" + next + "/attempts/1/stages/1/complete", "{}").json()
                .get("next_stage").asInt()).isEqualTo(2);
        assertThat(client.postJson("/api/jobs/" + next + "/attempts/1/complete", "{}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.job(next).get("status").asString().equals("completed"));
        assertThat(client.job(next).get("stages").valueStream().map(s -> s.get("completed_at").isNull())).containsOnly(false);
        assertThat(client.get("/api/job-types").json().valueStream().filter(t -> t.get("name").asString().equals("pinned")))
                .singleElement().satisfies(t -> assertThat(t.get("version").asInt()).isEqualTo(2));
    }

    private static JsonNode poll(ServiceClient client, String workerId) {
        var answer = client.postJson("/api/workers/poll",
                "{\"worker_id\": \"" + workerId + "\", \"types\": [\"pinned\"], \"wait_ms\": 20000}");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void shouldNeverRunMoreThanTheTypesLimitAcrossTwoInstances() throws Exception {
        try (RunningService a = RunningService.start(dir.resolve("a"), Map.of("jobline.processor.concurrency", 0))) {
            String bootstrap = a.bean(KafkaSettings.class).bootstrapServers();
            try (RunningService b = RunningService.start(dir.resolve("b"), Map.of("jobline.processor.concurrency", 0,
                    "jobline.kafka.bootstrap-servers", bootstrap, "jobline.kafka.partitions", 3))) {
                assertThat(a.client().send("/api/job-types/gpu", "PUT", "application/json", GPU).status()).isEqualTo(201);
                await().atMost(Duration.ofSeconds(10)).until(() -> b.client().get("/api/job-types/gpu").status() == 200);
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    ServiceClient client = i % 2 == 0 ? a.client() : b.client();
                    ids.add(client.submit("gpu", "{\"scene\": " + i + "}"));
                }
                // Five workers wait on both instances; each runs the job it gets until the test completes it.
                ExecutorService pollers = Executors.newFixedThreadPool(5);
                ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
                List<CompletableFuture<Void>> workers = new ArrayList<>();
                try {
                    for (int w = 0; w < 5; w++) {
                        ServiceClient client = w % 2 == 0 ? a.client() : b.client();
                        String workerId = "gpu-worker-" + w;
                        workers.add(CompletableFuture.runAsync(() -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                var answer = client.postJson("/api/workers/poll",
                                        "{\"worker_id\": \"" + workerId + "\", \"types\": [\"gpu\"], \"wait_ms\": 2000}");
                                if (answer.status() == 200) {
                                    held.add(new Held(answer.json(), client));
                                } else if (answer.status() != 204) {
                                    return;
                                }
                            }
                        }, pollers));
                    }
                    int completed = 0;
                    while (completed < ids.size()) {
                        await().atMost(Duration.ofSeconds(60)).until(() -> !held.isEmpty());
                        Held job = held.poll();
                        String attempt = "/api/jobs/" + job.task().get("job_id").asString() + "/attempts/" + job.task().get("attempt").asInt();
                        // Each worker talks to the instance that gave it the job (until any instance answers for any job).
                        var done = job.from().postJson(attempt + "/complete", "{\"result\": {\"ok\": true}}");
                        assertThat(done.status()).as(done.text()).isEqualTo(200);
                        completed++;
                    }
                } finally {
                    pollers.shutdownNow();
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> TopicReader.events(bootstrap).stream()
                        .filter(e -> ids.contains(e.getJobId()) && e.getPayload() instanceof JobCompleted).count() == ids.size());

                List<JobEvent> events = TopicReader.events(bootstrap).stream().filter(e -> ids.contains(e.getJobId())).toList();
                int mostAtOnce = mostRunningAtOnce(events);
                System.out.println("Concurrency limit 2 across two instances: at most " + mostAtOnce + " running at once");
                assertThat(mostAtOnce).isEqualTo(2);
                long releases = events.stream().filter(e -> e.getPayload() instanceof JobReleased).count();
                assertThat(events).as("a job granted to a poll that had ended is released, then started again")
                        .filteredOn(e -> e.getPayload() instanceof JobStarted).hasSize(6 + (int) releases);
                assertThat(events).filteredOn(e -> e.getPayload() instanceof JobCompleted).hasSize(6);
            }
        }
    }

    /** A job a worker got, and the instance that handed it out. */
    private record Held(JsonNode task, ServiceClient from) {
    }

    /** The most jobs running at the same time, replaying the events in the order of their timestamps. */
    private static int mostRunningAtOnce(List<JobEvent> events) {
        Map<String, JobStatus> status = new java.util.HashMap<>();
        int running = 0;
        int most = 0;
        for (JobEvent event : events.stream().sorted(Comparator.comparing(JobEvent::getTimestamp)
                .thenComparing(e -> e.getPayload() instanceof JobStarted ? 1 : 0)).toList()) {
            JobStatus before = status.get(event.getJobId());
            JobStatus after = event.getPayload() instanceof JobSubmitted ? JobStatus.PENDING : EventStatus.of(event.getPayload());
            status.put(event.getJobId(), after);
            running += (after == JobStatus.RUNNING ? 1 : 0) - (before == JobStatus.RUNNING ? 1 : 0);
            most = Math.max(most, running);
        }
        return most;
    }
}
