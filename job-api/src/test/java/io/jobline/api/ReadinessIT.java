package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.ChildService;
import io.jobline.api.support.ServiceClient;

/**
 * The service started again on a log full of jobs, after a graceful stop and after SIGKILL: from the first byte its
 * port answers, no existing job is ever answered 404. Readiness says OUT_OF_SERVICE (503) until reads are correct,
 * while a job the projection may still lack is answered 503 with Retry-After; once ready, every job is there with
 * its status, and only a job that does not exist is 404.
 */
class ReadinessIT {

    private static final int JOBS = 150;

    @TempDir
    Path dir;

    @Test
    void shouldAnswerNo404ForAnExistingJobAndBeReadyOnlyOnceReadsAreCorrectAfterARestart() throws Exception {
        try (ChildService service = new ChildService(dir, Map.of("jobline.kafka.partitions", "6")).start()) {
            ServiceClient client = service.client();
            await("ready").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> client.get("/actuator/health/readiness").status() == 200);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                ids.add(client.submit("noop", "{}"));
            }
            await("all completed").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> client.get("/api/jobs?status=completed&limit=1").json().get("count").asInt() == JOBS);

            service.stop();
            service.start();
            pollWhileStarting(client, ids, "after a graceful stop");

            service.kill();
            service.start();
            pollWhileStarting(client, ids, "after SIGKILL");
        }
    }

    /**
     * Every 10 ms from the first byte the port answers: readiness, one of the jobs in turn, and a job that does not
     * exist. At the first ready answer every job is read back.
     */
    private static void pollWhileStarting(ServiceClient client, List<String> ids, String when) {
        String unknown = UUID.randomUUID().toString();
        Map<String, Integer> answers = new TreeMap<>();
        AtomicInteger polls = new AtomicInteger();
        await("ready " + when).atMost(Duration.ofMinutes(2)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    try {
                        int job = client.get("/api/jobs/" + ids.get(polls.getAndIncrement() % ids.size())).status();
                        answers.merge("job " + job, 1, Integer::sum);
                        assertThat(job).as("an existing job while starting " + when + "; answers so far: " + answers).isIn(200, 503);
                        int missing = client.get("/api/jobs/" + unknown).status();
                        answers.merge("unknown job " + missing, 1, Integer::sum);
                        boolean ready = client.get("/actuator/health/readiness").status() == 200;
                        answers.merge("readiness " + (ready ? 200 : 503), 1, Integer::sum);
                        if (!ready) {
                            assertThat(missing).as("a job the projection lacks before it is ready " + when).isEqualTo(503);
                        }
                        return ready;
                    } catch (UncheckedIOException notListeningYet) {
                        answers.merge("no connection", 1, Integer::sum);
                        return false;
                    }
                });
        for (String id : ids) {
            var answer = client.get("/api/jobs/" + id);
            assertThat(answer.status()).as("job " + id + " once ready " + when).isEqualTo(200);
            assertThat(answer.json().get("status").asString()).as("job " + id + " once ready " + when).isEqualTo("completed");
        }
        assertThat(client.get("/api/jobs/" + unknown).status()).as("a job that does not exist, once ready").isEqualTo(404);
        assertThat(client.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(client.get("/api/jobs?status=completed&limit=1").json().get("count").asInt()).isEqualTo(ids.size());
        System.out.printf("Readiness %s: %d polls every 10 ms until ready: %s%n", when, polls.get(), answers);
    }
}
