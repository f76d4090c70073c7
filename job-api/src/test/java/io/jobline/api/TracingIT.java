package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import io.jobline.api.support.OtlpReceiver;
import io.jobline.api.support.OtlpReceiver.ReceivedSpan;
import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.core.tracing.JobTracing;

/**
 * With an OTLP endpoint configured, a job's work is one trace, the one its submit came with (W3C traceparent):
 * the submit request, each decision, the in-process attempt and its stages, the job's webhook; and for an external worker, the task it
 * is handed names the trace, and its reports, sent with it, join it.
 */
class TracingIT {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @TempDir
    Path dir;

    @Test
    void shouldTraceAJobFromItsSubmitThroughEveryDecisionAndStageAndAnExternalWorkersReports() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start();
             WebhookIT.Receiver hooks = new WebhookIT.Receiver();
             RunningService service = RunningService.start(dir, Map.of(
                     "otel.exporter.otlp.endpoint", receiver.endpoint(),
                     "otel.exporter.otlp.protocol", "http/protobuf",
                     "otel.bsp.schedule.delay", "100",
                     "jobline.webhooks.allowed-hosts", "127.0.0.1"))) {
            ServiceClient client = service.client();
            Map<String, String> traced = Map.of("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01");

            String id = client.postJson("/api/jobs", "{\"type\": \"demo\", \"input\": {\"stages\": 2, \"stage_ms\": 0}, "
                    + "\"notify\": {\"url\": \"" + hooks.url("/ok") + "\"}}", traced).json().get("job_id").asString();
            await().atMost(Duration.ofSeconds(60)).until(() -> client.job(id).get("status").asString().equals("completed"));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(names(receiver.trace(TRACE)))
                    .contains("POST /api/jobs", "decide SubmitJob", "decide StartJob", "run demo", "decide CompleteJob",
                            "webhook job.completed")
                    .anyMatch(name -> name.startsWith("stage ")));
            List<ReceivedSpan> spans = receiver.trace(TRACE);
            ReceivedSpan submit = only(spans, "POST /api/jobs");
            assertThat(submit.parentSpanId()).as("the caller's span").isEqualTo(CALLER_SPAN);
            assertThat(only(spans, "decide SubmitJob").parentSpanId()).isEqualTo(submit.spanId());
            Set<String> ids = spans.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
            ids.add(CALLER_SPAN);
            assertThat(spans).as("one tree: every parent is a span of the trace").allSatisfy(span ->
                    assertThat(ids).contains(span.parentSpanId()));
            // The webhook's receiver is handed the trace too, as the webhook span's child.
            ReceivedSpan webhook = only(spans, "webhook job.completed");
            assertThat(hooks.at("/ok")).singleElement().satisfies(hook -> assertThat(hook.headers().get("traceparent"))
                    .isEqualTo("00-" + TRACE + "-" + webhook.spanId() + "-01"));

            // An external worker: the task names the trace, and a report sent with it joins it.
            assertThat(client.send("/api/job-types/traced", "PUT", "application/json", "{\"stages\": [\"only\"]}").status())
                    .isEqualTo(201);
            String other = "0af7651916cd43dd8448eb211c80319c";
            String external = client.postJson("/api/jobs", "{\"type\": \"traced\", \"input\": {}}",
                    Map.of("traceparent", "00-" + other + "-b7ad6b7169203331-01")).json().get("job_id").asString();
            JsonNode task = client.postJson("/api/workers/poll", "{\"worker_id\": \"w\", \"types\": [\"traced\"], \"wait_ms\": 20000}").json();
            assertThat(task.get("job_id").asString()).isEqualTo(external);
            String handedOut = task.get("traceparent").asString();
            assertThat(handedOut).contains(other);
            assertThat(client.postJson("/api/jobs/" + external + "/attempts/1/complete", "{\"result\": {}}",
                    Map.of("traceparent", handedOut)).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(names(receiver.trace(other)))
                    .contains("POST /api/jobs", "decide SubmitJob", "decide StartJob",
                            "POST /api/jobs/{id}/attempts/{attempt}/complete", "decide CompleteJob"));
        }
        assertThat(JobTracing.enabled()).as("off again once the service stopped").isFalse();
    }

    private static List<String> names(List<ReceivedSpan> spans) {
        return spans.stream().map(ReceivedSpan::name).toList();
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans, String name) {
        return spans.stream().filter(span -> span.name().equals(name)).findFirst().orElseThrow();
    }
}
