package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.ChildProcessor;
import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.TopicReader;
import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobFailed;
import io.jobline.schemas.event.JobStarted;

/**
 * A job whose processor dies every time it runs (SIGKILL here, as an out-of-memory kill would) is taken over as a
 * new attempt up to its {@code max_restarts}, and then fails instead of being restarted forever.
 */
class RestartLimitIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldFailAJobWhoseWorkerIsLostMoreOftenThanItsMaxRestartsWithoutProgress() throws Exception {
        try (RunningService service = RunningService.start(dir.resolve("service"), Map.of("jobline.processor.enabled", false))) {
            ServiceClient client = service.client();
            KafkaSettings kafka = service.bean(KafkaSettings.class);
            try (ChildProcessor processor = new ChildProcessor(kafka.bootstrapServers(), dir.resolve("processor"),
                    dir.resolve("service").resolve("files"), kafka.partitions(), 2).start()) {
                String id = client.submit("demo", "{\"stages\": 2, \"stage_ms\": 600000}", "{\"max_restarts\": 1}");

                for (int attempt = 1; attempt <= 2; attempt++) {
                    int running = attempt;
                    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                        var job = client.job(id);
                        return job.get("status").asString().equals("running") && job.get("attempt").asInt() == running;
                    });
                    processor.kill();
                    processor.start();
                }

                await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                        .until(() -> client.job(id).get("status").asString().equals("failed"));
                assertThat(client.job(id).get("error").asString())
                        .contains("lost 2 times in a row").contains("max_restarts 1");
                List<JobEvent> events = TopicReader.events(service, id);
                assertThat(events).filteredOn(e -> e.getPayload() instanceof JobStarted).hasSize(2);
                assertThat(events).filteredOn(e -> e.getPayload() instanceof JobFailed || e.getPayload() instanceof JobCompleted)
                        .singleElement().matches(e -> e.getPayload() instanceof JobFailed f && !f.getRetryable());
            }
        }
    }
}
