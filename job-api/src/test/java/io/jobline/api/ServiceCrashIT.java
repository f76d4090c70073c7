package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.ChildService;
import io.jobline.api.support.JobHistories;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.TopicReader;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobEvent;

/**
 * The whole service (broker, decider, workers, projections in one JVM, as the README runs it) SIGKILLed twice
 * while 60 demo jobs run, and started again each time on its data folder: a crash of the whole service is not a
 * failed attempt, whatever the job's max_attempts (demo's is 1). Every job completes with exactly one terminal
 * event, and none starts its first stage again once it has a checkpoint.
 */
class ServiceCrashIT {

    private static final int JOBS = 60;
    private static final int STAGES = 4;

    @TempDir
    Path dir;

    @Test
    void shouldCompleteEveryRunningJobAfterTheWholeServiceIsKilledTwice() throws Exception {
        try (ChildService service = new ChildService(dir, Map.of()).start()) {
            ServiceClient client = service.client();
            awaitReady(service);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                ids.add(client.submit("demo", "{\"stages\": " + STAGES + ", \"stage_ms\": 500}"));
            }
            // Kill mid-run: a few jobs done, four (the default concurrency) in the middle of their stages.
            killOnceCompleted(service, 6);
            service.start();
            awaitReady(service);
            killOnceCompleted(service, completed(client) + 4);
            service.start();
            awaitReady(service);

            try {
                await("every job finished").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions().until(() -> finished(client) == JOBS);
            } catch (ConditionTimeoutException e) {
                ids.stream().map(client::job).filter(job -> !job.get("status").asString().equals("completed"))
                        .forEach(job -> System.out.println("ServiceCrash: not completed: " + job));
                service.logTail(60).forEach(line -> System.out.println("  service: " + line));
                throw e;
            }

            Map<String, List<JobEvent>> byJob = TopicReader.events(service.bootstrapServers()).stream()
                    .collect(Collectors.groupingBy(JobEvent::getJobId, LinkedHashMap::new, Collectors.toList()));
            long failed = byJob.values().stream().flatMap(List::stream)
                    .filter(e -> JobHistories.isTerminal(e) && !(e.getPayload() instanceof JobCompleted)).count();
            JobHistories.Takeovers takeovers = JobHistories.Takeovers.of(byJob.values());
            System.out.printf("ServiceCrash: %d jobs, 2 kills of the whole service (%d starts), %d failed, %d attempts,"
                            + " %d jobs taken over after a kill, %d of them resumed after a checkpoint%n",
                    JOBS, service.starts(), failed, takeovers.attempts(), takeovers.restarted(),
                    takeovers.resumedAfterCheckpoint());
            for (String id : ids) {
                JobHistories.assertCompletedOnceWithoutRerunningACheckpointedStage(id, byJob.get(id));
            }
            assertThat(takeovers.restarted()).as("the kills interrupted running jobs").isPositive();
        }
    }

    private static void awaitReady(ChildService service) {
        try {
            await("service ready").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> service.client().get("/actuator/health/readiness").status() == 200);
        } catch (ConditionTimeoutException e) {
            service.logTail(60).forEach(line -> System.out.println("  service: " + line));
            throw e;
        }
    }

    private static void killOnceCompleted(ChildService service, int jobs) throws InterruptedException {
        await(jobs + " jobs completed").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions().until(() -> completed(service.client()) >= jobs);
        service.kill();
    }

    private static int completed(ServiceClient client) {
        return client.get("/api/jobs?status=completed&limit=1").json().get("count").asInt();
    }

    private static int finished(ServiceClient client) {
        return completed(client) + client.get("/api/jobs?status=failed&limit=1").json().get("count").asInt()
                + client.get("/api/jobs?status=cancelled&limit=1").json().get("count").asInt();
    }
}
