package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import io.jobline.api.support.OtlpReceiver;
import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.core.support.Json;

/**
 * With JSON logs on (JOBLINE_LOG_FORMAT), every line is one JSON object, and every line about a job, whoever wrote it
 * (the worker running a stage, the decider timing it out, the API serving it), carries the job's id in job_id, and
 * its attempt where there is one.
 */
@ExtendWith(OutputCaptureExtension.class)
class JobLogIT {

    @TempDir
    Path dir;

    @Test
    void shouldWriteJsonLinesWhereEveryLineAboutAJobCarriesItsId(CapturedOutput output) throws Exception {
        String failing;
        String trace = "6e0c63257de34c92bf9efcd03927272e";
        try (OtlpReceiver receiver = OtlpReceiver.start();
             RunningService service = RunningService.start(dir, Map.of("logging.structured.format.console", "logstash",
                     "otel.exporter.otlp.endpoint", receiver.endpoint(), "otel.exporter.otlp.protocol", "http/protobuf"))) {
            ServiceClient client = service.client();
            failing = client.postJson("/api/jobs", "{\"type\": \"demo\", \"input\": {\"stages\": 2, \"stage_ms\": 0, "
                    + "\"fail_at_stage\": 2}, \"options\": {\"max_attempts\": 2, \"backoff_ms\": 100}}",
                    Map.of("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")).json().get("job_id").asString();
            await().atMost(Duration.ofSeconds(60)).until(() -> client.job(failing).get("status").asString().equals("failed"));
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.getOut().split("\n")) {
            if (line.startsWith("{")) {
                lines.add(Json.parse(line));
            }
        }
        assertThat(lines).isNotEmpty();
        List<JsonNode> aboutTheJob = lines.stream().filter(line -> line.path("message").asString("").contains(failing)).toList();
        assertThat(aboutTheJob).as("the worker's line for each of the two attempts").hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(line -> assertThat(line.path("job_id").asString(null)).as(line.toString()).isEqualTo(failing));
        assertThat(aboutTheJob).extracting(line -> line.path("attempt").asString(""))
                .as("the attempt of each worker line").contains("1", "2");
        assertThat(aboutTheJob).as("with tracing on, the job's lines carry its trace").allSatisfy(line ->
                assertThat(line.path("trace_id").asString(null)).as(line.toString()).isEqualTo(trace));
        assertThat(lines).filteredOn(line -> !line.path("trace_id").isMissingNode())
                .allSatisfy(line -> assertThat(line.path("span_id").asString("")).hasSize(16));
    }
}
