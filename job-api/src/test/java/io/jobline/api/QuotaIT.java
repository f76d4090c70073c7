package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.TopicReader;
import io.jobline.schemas.command.SubmitJob;

/** An owner's submit rate and active jobs are limited: past them, 429 with when to try again, and nothing appended. */
class QuotaIT {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseTheEleventhSubmitInASecondAndJobsPastTheActiveLimitAppendingNothingForThem() {
        try (RunningService service = RunningService.start(dir, Map.of("jobline.processor.concurrency", 0,
                "jobline.quotas.submits-per-second", 10, "jobline.quotas.active-jobs", 12))) {
            ServiceClient client = service.client();
            String ten = "{\"jobs\": [" + String.join(",", java.util.Collections.nCopies(10, "{\"type\": \"noop\"}")) + "]}";
            assertThat(client.postJson("/api/jobs/batch", ten).status()).isEqualTo(202);

            var eleventh = client.postJson("/api/jobs", "{\"type\": \"noop\"}");

            assertThat(eleventh.status()).isEqualTo(429);
            assertThat(eleventh.header("Content-Type")).contains("application/problem+json");
            assertThat(eleventh.header("Retry-After")).isEqualTo("1");
            assertThat(eleventh.header("RateLimit-Limit")).isEqualTo("10");
            assertThat(eleventh.header("RateLimit-Remaining")).isEqualTo("0");

            await().pollDelay(Duration.ofMillis(1100)).atMost(Duration.ofSeconds(10)).until(() ->
                    client.postJson("/api/jobs/batch", "{\"jobs\": [{\"type\": \"noop\"}, {\"type\": \"noop\"}]}").status() == 202);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    client.get("/api/jobs?status=pending&limit=1").json().get("count").asInt() == 12);
            var pastActive = client.postJson("/api/jobs", "{\"type\": \"noop\"}");
            assertThat(pastActive.status()).isEqualTo(429);
            assertThat(pastActive.json().get("detail").asString()).contains("12 jobs pending or running");

            assertThat(TopicReader.commands(service)).filteredOn(c -> c.getPayload() instanceof SubmitJob).hasSize(12);
        }
    }
}
