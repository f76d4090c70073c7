package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.ServiceClient.Response;
import io.jobline.api.support.TopicReader;
import io.jobline.api.system.EmbeddedKafkaBroker;
import io.jobline.schemas.event.AttemptFailed;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobEvent;

/**
 * The broker stops mid-run and comes back on the same port and data: submits get a quick 503 meanwhile, reads keep
 * serving, and afterwards every job completes exactly once with nothing lost and nothing stuck, and no attempt
 * fails for the reports the outage held up, though it lasts longer than their heartbeat timeout.
 */
class BrokerOutageIT {

    @TempDir
    Path brokerDir;

    @TempDir
    Path serviceDir;

    @Test
    void shouldAnswer503DuringAnOutageKeepServingReadsAndResumeEverythingAfterwards() throws Exception {
        int port = freePort();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(brokerDir, port);
        try (RunningService service = RunningService.start(serviceDir, Map.of(
                "jobline.kafka.bootstrap-servers", broker.bootstrapServers(),
                "jobline.submit.ack-timeout", "2s"))) {
            ServiceClient client = service.client();
            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                // A heartbeat timeout shorter than the outage: reports held up by it must not fail the attempt.
                jobs.add(client.submit("demo", "{\"stages\": 3, \"stage_ms\": 900}", "{\"heartbeat_timeout_ms\": 2000}"));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> client.job(jobs.get(0)).get("status").asString().equals("running"));
            // The projection serves before the outage starts (the listing reads only its stores; a job's status may
            // also come from the jobs this process has just accepted).
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Response listing = client.get("/api/jobs?limit=20");
                return listing.status() == 200 && listing.json().get("jobs").valueStream()
                        .anyMatch(job -> job.get("job_id").asString().equals(jobs.get(0)));
            });

            broker.close();
            long start = System.nanoTime();
            Response during = client.postJson("/api/jobs", "{\"type\": \"demo\"}");
            long answeredMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(during.status()).as(during.toString()).isEqualTo(503);
            assertThat(during.header("Retry-After")).isNotBlank();
            assertThat(during.header("Content-Type")).contains("application/problem+json");
            assertThat(answeredMs).as("answered within the ack timeout, not hanging").isLessThan(10_000);
            await("reads keep serving throughout a 3 s outage").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> client.get("/api/jobs/" + jobs.get(0)).status() == 200
                            && client.get("/api/jobs?limit=20").status() == 200);

            broker = EmbeddedKafkaBroker.start(brokerDir, port);
            System.out.println("Broker outage: submit answered 503 in " + answeredMs + " ms; broker back after ~"
                    + (System.nanoTime() - start) / 1_000_000 + " ms");

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                    jobs.stream().allMatch(id -> client.job(id).get("status").asString().equals("completed")));
            await().atMost(Duration.ofSeconds(30)).until(() -> client.postJson("/api/jobs", "{\"type\": \"demo\", \"input\": {\"stage_ms\": 1}}").status() == 202);
            List<JobEvent> events = TopicReader.events(service);
            for (String id : jobs) {
                assertThat(events).filteredOn(e -> e.getJobId().equals(id) && e.getPayload() instanceof JobCompleted)
                        .as("terminal events of " + id).hasSize(1);
                assertThat(events).filteredOn(e -> e.getJobId().equals(id) && e.getPayload() instanceof AttemptFailed)
                        .as("attempts of " + id + " failed for the outage").isEmpty();
            }
        } finally {
            broker.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
