package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.SseClient;
import io.jobline.api.support.TopicReader;
import io.jobline.api.support.WsClient;
import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.topic.JobTopics;
import tools.jackson.databind.JsonNode;

/**
 * A job type whose schema marks a field {@code writeOnly}: its value is sealed before the submit is sent, so no
 * answer, stream (WebSocket and SSE), log line or Kafka record holds it in clear, and the worker that runs the job
 * gets it opened.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretInputIT {

    private static final String SECRET = "tok-SECRET-4711";

    @TempDir
    Path dir;

    @Test
    void shouldShowASecretToNobodyButTheWorkerThatRunsTheJob(CapturedOutput output) throws Exception {
        try (RunningService service = RunningService.start(dir, Map.of("jobline.processor.concurrency", 0));
             WsClient ws = new WsClient(service.client().baseUrl())) {
            ServiceClient client = service.client();
            assertThat(client.send("/api/job-types/publish", "PUT", "application/json", """
                    {"stages": ["upload"], "input_schema": {"type": "object", "required": ["video", "token"],
                      "properties": {"video": {"type": "string"}, "token": {"type": "string", "writeOnly": true}}}}
                    """).status()).isEqualTo(201);
            var dedupOnSecret = client.send("/api/job-types/leaky", "PUT", "application/json", """
                    {"stages": ["s"], "dedup_key": "/token",
                     "input_schema": {"properties": {"token": {"type": "string", "writeOnly": true}}}}""");
            assertThat(dedupOnSecret.status()).as("a dedup value is kept in clear").isEqualTo(400);
            assertThat(dedupOnSecret.json().get("detail").asString()).contains("secret");
            ws.send("{\"subscribe\": \"*\"}");

            String id = client.submit("publish", "{\"video\": \"a.mp4\", \"token\": \"" + SECRET + "\"}");
            SseClient sse = new SseClient(client.baseUrl() + "/api/jobs/" + id + "/stream", null);
            assertThat(sse.status()).isEqualTo(200);

            JsonNode job = client.job(id);
            assertThat(job.get("input").get("token").asString()).isEqualTo("***");
            assertThat(job.get("input").get("video").asString()).isEqualTo("a.mp4");
            var task = client.postJson("/api/workers/poll", "{\"worker_id\": \"w\", \"types\": [\"publish\"], \"wait_ms\": 20000}");
            assertThat(task.status()).isEqualTo(200);
            assertThat(task.json().get("input").get("token").asString()).as("the worker gets it in clear").isEqualTo(SECRET);
            assertThat(client.postJson("/api/jobs/" + id + "/attempts/1/complete", "{\"result\": {\"ok\": true}}").status())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> client.job(id).get("status").asString().equals("completed"));

            assertThat(client.job(id).toString()).doesNotContain(SECRET);
            assertThat(client.get("/api/jobs/" + id + "/events").text()).doesNotContain(SECRET).contains("***");
            assertThat(client.get("/api/jobs?type=publish").text()).doesNotContain(SECRET);
            List<JsonNode> pushed = ws.until(m -> m.toString().contains("\"completed\""),
                    Duration.ofSeconds(10));
            assertThat(pushed).isNotEmpty().allSatisfy(m -> assertThat(m.toString()).doesNotContain(SECRET));
            List<SseClient.Event> streamed;
            try (sse) {
                streamed = sse.until(e -> "completed".equals(e.data().path("status").path("status").asString()),
                        Duration.ofSeconds(10));
            }
            assertThat(streamed).as("the job's SSE stream").isNotEmpty()
                    .allSatisfy(e -> assertThat(e.data().toString()).doesNotContain(SECRET))
                    .anySatisfy(e -> assertThat(e.data().path("status").path("input").path("token").asString()).isEqualTo("***"));
            KafkaSettings kafka = service.bean(KafkaSettings.class);
            for (String topic : List.of(JobTopics.COMMANDS, JobTopics.EVENTS, "job-offers")) {
                List<ConsumerRecord<String, byte[]>> records = TopicReader.readAll(kafka, topic);
                assertThat(records).as(topic).isNotEmpty().noneMatch(r -> r.value() != null
                        && new String(r.value(), StandardCharsets.ISO_8859_1).contains(SECRET));
            }
        }
        assertThat(output.getAll()).as("the logs").doesNotContain(SECRET);
    }
}
