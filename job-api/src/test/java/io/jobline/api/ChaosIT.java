package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.ChildProcessor;
import io.jobline.api.support.JobHistories;
import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.TopicReader;
import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.event.JobEvent;

/**
 * 200 demo jobs while the processor, in a child JVM, is SIGKILLed and restarted 5 times at random moments: every
 * job completes with exactly one terminal event, and none starts its first stage again once it has a checkpoint.
 */
class ChaosIT {

    private static final int JOBS = 200;
    private static final int KILLS = 5;

    @TempDir
    Path dir;

    @Test
    void shouldCompleteEveryJobExactlyOnceThroughRepeatedProcessorKills() throws Exception {
        try (RunningService service = RunningService.start(dir.resolve("service"), Map.of("jobline.processor.enabled", false))) {
            ServiceClient client = service.client();
            KafkaSettings kafka = service.bean(KafkaSettings.class);
            try (ChildProcessor processor = new ChildProcessor(kafka.bootstrapServers(), dir.resolve("processor"),
                    dir.resolve("service").resolve("files"), kafka.partitions(), 25).start()) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < JOBS; i++) {
                    ids.add(client.submit("demo", "{\"stages\": 3, \"stage_ms\": 800}"));
                }
                Random random = new Random(42);
                for (int kill = 1; kill <= KILLS; kill++) {
                    // A random moment while this incarnation is working: after 1 to 40 more stages completed
                    // (about 30 complete per second at full speed).
                    int killAfter = completedStages(client) + 1 + random.nextInt(40);
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                            .until(() -> completedStages(client) >= killAfter);
                    processor.kill();
                    processor.start();
                }

                try {
                    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() ->
                            client.get("/api/jobs?status=completed&limit=1").json().get("count").asInt() == JOBS);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // Say which jobs did not complete, with their events and the processor's last words.
                    for (String id : ids) {
                        var job = client.job(id);
                        if (!job.get("status").asString().equals("completed")) {
                            System.out.println("Chaos: not completed: " + job);
                            TopicReader.events(service, id).forEach(ev -> System.out.println("  " + ev.getSequence() + " a"
                                    + ev.getAttempt() + " " + ev.getTimestamp() + " " + ev.getPayload()));
                        }
                    }
                    List<String> log = java.nio.file.Files.readAllLines(processor.log().toPath());
                    log.subList(Math.max(0, log.size() - 40), log.size()).forEach(l -> System.out.println("  processor: " + l));
                    throw e;
                }

                Map<String, List<JobEvent>> byJob = TopicReader.events(service).stream()
                        .collect(Collectors.groupingBy(JobEvent::getJobId, LinkedHashMap::new, Collectors.toList()));
                for (String id : ids) {
                    JobHistories.assertCompletedOnceWithoutRerunningACheckpointedStage(id, byJob.get(id));
                }
                JobHistories.Takeovers takeovers = JobHistories.Takeovers.of(byJob.values());
                System.out.printf("Chaos: %d jobs, %d processor kills (%d starts), %d completed with exactly one terminal "
                                + "event, %d attempts, %d jobs restarted, %d of them resumed after a checkpoint, "
                                + "0 first stages rerun after a checkpoint%n",
                        JOBS, KILLS, processor.starts(), JOBS, takeovers.attempts(), takeovers.restarted(),
                        takeovers.resumedAfterCheckpoint());
                assertThat(takeovers.restarted()).as("the kills interrupted running jobs").isPositive();
            }
        }
    }

    /** Stages completed so far over all jobs, from the stats: completed jobs count 3, others by their progress. */
    private static int completedStages(ServiceClient client) {
        int stages = 0;
        for (var job : client.get("/api/jobs?limit=1000").json().get("jobs")) {
            stages += job.get("progress").asInt() * 3 / 100;
        }
        return stages;
    }
}
