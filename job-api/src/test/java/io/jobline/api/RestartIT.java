package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import tools.jackson.databind.JsonNode;

/**
 * The embedded default stopped mid-job and started again on the same data folder (broker included): every job is
 * still there and the running one is resumed as a new attempt after its last completed stage.
 */
class RestartIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepEveryJobAndResumeTheRunningOneAfterARestart() {
        String finished;
        String running;
        try (RunningService service = RunningService.start(dataDir, Map.of())) {
            ServiceClient client = service.client();
            finished = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 0}");
            await().atMost(Duration.ofSeconds(60)).until(() -> status(client, finished).equals("completed"));
            running = client.submit("demo", "{\"stages\": 4, \"stage_ms\": 1500}");
            await().atMost(Duration.ofSeconds(60)).until(() -> client.job(running).get("stages").get(1).get("completed_at").isNull()
                    && !client.job(running).get("stages").get(0).get("completed_at").isNull());
        }

        try (RunningService service = RunningService.start(dataDir, Map.of())) {
            ServiceClient client = service.client();
            await().atMost(Duration.ofSeconds(60)).until(() -> client.get("/api/jobs/" + finished).status() == 200);
            assertThat(status(client, finished)).isEqualTo("completed");

            await().atMost(Duration.ofSeconds(60)).until(() -> status(client, running).equals("completed"));
            JsonNode job = client.job(running);
            assertThat(job.get("attempt").asInt()).isEqualTo(2);
            List<Integer> startedStagesOfAttempt2 = new ArrayList<>();
            client.get("/api/jobs/" + running + "/events").json().get("events").forEach(e -> {
                if (e.get("attempt").asInt() == 2 && e.get("type").asString().equals("StageStarted")) {
                    startedStagesOfAttempt2.add(e.get("data").get("stage").asInt());
                }
            });
            assertThat(startedStagesOfAttempt2).as("attempt 2 resumes after the completed stage 1").startsWith(2).doesNotContain(1);
            assertThat(client.get("/api/jobs?limit=10").json().get("count").asInt()).isEqualTo(2);
        }
    }

    private static String status(ServiceClient client, String id) {
        return client.job(id).get("status").asString();
    }
}
