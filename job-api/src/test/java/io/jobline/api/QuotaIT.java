package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
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

    @Test
    void shouldLimitAKeyWithItsOwnRateApartFromTheOtherKeysOfItsOwner() {
        String adminKey = "quota-it-admin-key-0123456789-abcdefghij";
        try (RunningService service = RunningService.start(dir, Map.of("jobline.processor.concurrency", 0,
                "jobline.access.admin-key", adminKey, "jobline.quotas.submits-per-second", 4))) {
            ServiceClient admin = service.client().withKey(adminKey);
            assertThat(admin.postJson("/api/keys", "{\"owner\": \"alice\", \"scopes\": [\"jobs:write\"], "
                    + "\"quotas\": {\"submits_per_second\": -1}}").status()).isEqualTo(400);
            var made = admin.postJson("/api/keys", "{\"owner\": \"alice\", \"scopes\": [\"jobs:write\"], "
                    + "\"quotas\": {\"submits_per_second\": 2}}");
            assertThat(made.status()).as(made.toString()).isEqualTo(201);
            assertThat(made.json().get("quotas").get("submits_per_second").asInt()).isEqualTo(2);
            ServiceClient limited = service.client().withKey(made.json().get("key").asString());
            ServiceClient other = service.client().withKey(admin.postJson("/api/keys",
                    "{\"owner\": \"alice\", \"scopes\": [\"jobs:write\"]}").json().get("key").asString());
            var listed = admin.get("/api/keys").json().get("keys");
            assertThat(listed).filteredOn(k -> k.get("id").asString().equals(made.json().get("id").asString()))
                    .singleElement().satisfies(k -> {
                        assertThat(k.get("quotas").get("submits_per_second").asInt()).isEqualTo(2);
                        assertThat(k.get("quotas").get("active_jobs").isNull()).isTrue();
                    });
            assertThat(listed).filteredOn(k -> !k.get("id").asString().equals(made.json().get("id").asString()))
                    .singleElement().satisfies(k -> assertThat(k.get("quotas").isNull()).isTrue());

            assertThat(limited.postJson("/api/jobs/batch", "{\"jobs\": [{\"type\": \"noop\"}, {\"type\": \"noop\"}]}")
                    .status()).isEqualTo(202);
            var third = limited.postJson("/api/jobs", "{\"type\": \"noop\"}");

            assertThat(third.status()).as(third.toString()).isEqualTo(429);
            assertThat(third.header("Retry-After")).isEqualTo("1");
            assertThat(third.header("RateLimit-Limit")).isEqualTo("2");
            assertThat(third.json().get("detail").asString()).contains("of owner 'alice' may submit 2 jobs a second");
            // The owner's 4 a second are the other key's: the limited key's 2 are counted apart.
            var four = other.postJson("/api/jobs/batch", "{\"jobs\": ["
                    + String.join(",", java.util.Collections.nCopies(4, "{\"type\": \"noop\"}")) + "]}");
            assertThat(four.status()).as(four.toString()).isEqualTo(202);
            var fifth = other.postJson("/api/jobs", "{\"type\": \"noop\"}");
            assertThat(fifth.status()).isEqualTo(429);
            assertThat(fifth.header("RateLimit-Limit")).isEqualTo("4");

            assertThat(TopicReader.commands(service)).filteredOn(c -> c.getPayload() instanceof SubmitJob).hasSize(6);
        }
    }

    @Test
    void shouldRefuseAnUploadPastTheBytesTheOwnersJobsHoldWith413AndTakeItOnceAJobIsDeleted() {
        try (RunningService service = RunningService.start(dir, Map.of("jobline.processor.concurrency", 0,
                "jobline.quotas.upload-bytes", "2KB"))) {
            ServiceClient client = service.client();
            String first = submitCsv(client, 1500).json().get("job_id").asString();
            // Listed: the projections have folded it (a GET could answer from the just-accepted jobs).
            await().atMost(Duration.ofSeconds(20)).until(() -> client.get("/api/jobs?limit=1").json().get("count").asInt() == 1);

            var past = submitCsv(client, 1000);

            assertThat(past.status()).as(past.toString()).isEqualTo(413);
            assertThat(past.header("Content-Type")).contains("application/problem+json");
            assertThat(past.json().get("detail").asString()).contains("holds 1500 bytes", "may hold 2048");
            assertThat(submitCsv(client, 500).status()).as("1500 + 500 fit in 2048").isEqualTo(202);
            assertThat(TopicReader.commands(service)).filteredOn(c -> c.getPayload() instanceof SubmitJob).hasSize(2);

            assertThat(client.delete("/api/jobs/" + first).status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> submitCsv(client, 1000).status() == 202);
        }
    }

    private static ServiceClient.Response submitCsv(ServiceClient client, int bytes) {
        return client.postMultipart("/api/jobs", Map.of("type", "csv-report"),
                Map.of("data.csv", ("a\n" + "1\n".repeat(bytes)).substring(0, bytes).getBytes(StandardCharsets.UTF_8)));
    }
}
