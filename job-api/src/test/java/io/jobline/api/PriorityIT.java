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
import io.jobline.api.support.TopicReader;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobStarted;

/** One slot, busy; 50 low-priority jobs wait, then a high-priority one comes: it is the next to start. */
class PriorityIT {

    @TempDir
    Path dir;

    @Test
    void shouldStartAHighPriorityJobNextAheadOfFiftyLowOnesThatCameFirst() {
        try (RunningService service = RunningService.start(dir, Map.of("jobline.processor.concurrency", 1))) {
            ServiceClient client = service.client();
            // Busy until every other job is waiting, however slow this machine is: then cancelled, to free the slot.
            String busy = client.submit("demo", "{\"stages\": 1, \"stage_ms\": 120000}");
            await().atMost(Duration.ofSeconds(20)).until(() -> client.job(busy).get("status").asString().equals("running"));
            List<String> low = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                low.add(client.submit("noop", "{}", "{\"priority\": -10}"));
            }
            String high = client.submit("noop", "{}", "{\"priority\": 50}");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    client.get("/api/jobs?type=noop&status=pending&limit=1").json().get("count").asInt() == 51);
            assertThat(client.post("/api/jobs/" + busy + "/cancel").status()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(60)).until(() ->
                    client.get("/api/jobs?type=noop&status=completed&limit=1").json().get("count").asInt() == 51);

            List<String> startOrder = TopicReader.events(service).stream()
                    .filter(e -> e.getPayload() instanceof JobStarted)
                    .sorted(java.util.Comparator.comparing(JobEvent::getTimestamp))
                    .map(JobEvent::getJobId).toList();
            assertThat(startOrder.get(0)).isEqualTo(busy);
            assertThat(startOrder.get(1)).as("the next start after the busy one").isEqualTo(high);
            assertThat(startOrder.subList(2, startOrder.size())).containsExactlyInAnyOrderElementsOf(low);
        }
    }
}
