package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.TopicReader;
import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobStarted;

/**
 * Two instances on one broker, A with 2 slots and B with 10: 12 long jobs submitted to A all start within seconds,
 * whichever instance decides their partition, as B's free slots take the offers A's full ones cannot.
 */
class DispatchAcrossInstancesIT {

    @TempDir
    Path dir;

    @Test
    void shouldStartEveryJobOnWhicheverInstanceHasAFreeSlot() {
        try (RunningService a = RunningService.start(dir.resolve("a"), Map.of("jobline.processor.concurrency", 2,
                "jobline.processor.worker-id", "worker-a"))) {
            String bootstrap = a.bean(KafkaSettings.class).bootstrapServers();
            try (RunningService b = RunningService.start(dir.resolve("b"), Map.of("jobline.processor.concurrency", 10,
                    "jobline.processor.worker-id", "worker-b", "jobline.kafka.bootstrap-servers", bootstrap,
                    "jobline.kafka.partitions", 3))) {
                ServiceClient client = a.client();
                // B's decider takes some partitions only once it joined: wait until both hold some.
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    ids.add(client.submit("demo", "{\"stages\": 1, \"stage_ms\": 60000}"));
                }

                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                        startedBy(bootstrap, ids).size() == 12);

                Map<String, String> workers = startedBy(bootstrap, ids);
                Map<String, Long> perWorker = workers.values().stream()
                        .collect(Collectors.groupingBy(w -> w, Collectors.counting()));
                System.out.println("Dispatch across instances: jobs started per worker " + perWorker);
                assertThat(perWorker.getOrDefault("worker-a", 0L)).isLessThanOrEqualTo(2);
                assertThat(perWorker.getOrDefault("worker-b", 0L)).isGreaterThanOrEqualTo(10);
                assertThat(Set.copyOf(workers.values())).containsOnly("worker-a", "worker-b");
            }
        }
    }

    /** The worker each job's first attempt started on, for the jobs that started. */
    private static Map<String, String> startedBy(String bootstrap, List<String> ids) {
        return TopicReader.events(bootstrap).stream()
                .filter(e -> ids.contains(e.getJobId()) && e.getPayload() instanceof JobStarted)
                .collect(Collectors.toMap(JobEvent::getJobId, e -> ((JobStarted) e.getPayload()).getWorkerId(), (x, y) -> x));
    }
}
