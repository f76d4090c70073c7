package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.api.support.ChildProcessor;
import io.jobline.api.support.RunningService;
import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.TopicReader;
import io.jobline.core.command.JobCommands;
import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.topic.JobTopics;

/**
 * A worker paused (SIGSTOP) past its heartbeat timeout while running a job; the job moves to another worker as a
 * new attempt; the paused worker is resumed and goes on reporting its old attempt: nothing it sends changes the job.
 * And a cancel sent while the worker is paused reaches it once it is back.
 */
class ZombieIT {

    private static final int SESSION_TIMEOUT_MS = 6_000;

    @TempDir
    Path dir;

    @Test
    void shouldKeepAResumedZombieWorkerFromChangingAJobThatWasReassigned() throws Exception {
        Path files = dir.resolve("service").resolve("files");
        try (RunningService service = RunningService.start(dir.resolve("service"), Map.of("jobline.processor.enabled", false))) {
            ServiceClient client = service.client();
            KafkaSettings kafka = service.bean(KafkaSettings.class);
            try (ChildProcessor zombie = new ChildProcessor(kafka.bootstrapServers(), dir.resolve("p1"), files,
                    kafka.partitions(), 4, Map.of("JOBLINE_WORKER_ID", "worker-1",
                    "JOBLINE_SESSION_TIMEOUT_MS", Integer.toString(SESSION_TIMEOUT_MS))).start();
                 ChildProcessor successor = new ChildProcessor(kafka.bootstrapServers(), dir.resolve("p2"), files,
                         kafka.partitions(), 4, Map.of("JOBLINE_WORKER_ID", "worker-2",
                         "JOBLINE_SESSION_TIMEOUT_MS", Integer.toString(SESSION_TIMEOUT_MS)))) {
                // worker-1 may be alive on another instance for all worker-2 knows: the job moves on when worker-1's
                // heartbeat timeout ends its attempt, and runs again on worker-2 as the next attempt.
                String id = client.submit("demo", "{\"stages\": 4, \"stage_ms\": 2500}",
                        "{\"max_attempts\": 2, \"backoff_ms\": 100, \"heartbeat_timeout_ms\": 8000}");
                await().atMost(Duration.ofSeconds(60)).until(() -> !client.job(id).get("stages").get(0).get("completed_at").isNull());

                zombie.pause();
                successor.start();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                        .until(() -> events(service, id).stream().anyMatch(e -> e.getPayload() instanceof JobStarted s
                                && s.getWorkerId().equals("worker-2")));
                int reassignedAttempt = events(service, id).stream()
                        .filter(e -> e.getPayload() instanceof JobStarted s && s.getWorkerId().equals("worker-2"))
                        .findFirst().orElseThrow().getAttempt();
                zombie.resume();

                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                        .until(() -> client.job(id).get("status").asString().equals("completed"));
                JobCommands asZombie = new JobCommands(Clock.systemUTC());
                int eventsBefore = events(service, id).size();
                send(service, List.of(asZombie.progress(id, "worker-1", 1, 2, 60, "zombie"),
                        asZombie.completeStage(id, "worker-1", 1, 2, "{}"),
                        asZombie.complete(id, "worker-1", 1, "{\"zombie\": true}", List.of())));
                await("the zombie's commands append nothing").during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5))
                        .until(() -> events(service, id).size() == eventsBefore);

                List<JobEvent> events = events(service, id);
                int firstReassigned = indexOfAttemptStart(events, reassignedAttempt);
                assertThat(events.subList(firstReassigned, events.size())).as("events after the reassignment")
                        .allMatch(e -> e.getAttempt() >= reassignedAttempt);
                assertThat(events).filteredOn(e -> e.getPayload() instanceof JobCompleted).hasSize(1)
                        .allMatch(e -> e.getAttempt() >= reassignedAttempt);
                assertThat(client.get("/api/jobs/" + id + "/result").json().get("result").has("zombie")).isFalse();
                System.out.printf("Zombie: worker-1 paused on attempt 1, job reassigned as attempt %d to worker-2, "
                        + "completed as attempt %d; %d events, none from attempt 1 after the reassignment%n",
                        reassignedAttempt, client.job(id).get("attempt").asInt(), events.size());
            }
        }
    }

    @Test
    void shouldDeliverACancelSentWhileTheWorkerWasPausedOnceItIsBack() throws Exception {
        Path files = dir.resolve("service").resolve("files");
        try (RunningService service = RunningService.start(dir.resolve("service"), Map.of("jobline.processor.enabled", false))) {
            ServiceClient client = service.client();
            KafkaSettings kafka = service.bean(KafkaSettings.class);
            try (ChildProcessor worker = new ChildProcessor(kafka.bootstrapServers(), dir.resolve("p1"), files,
                    kafka.partitions(), 4, Map.of("JOBLINE_WORKER_ID", "worker-1")).start()) {
                String id = client.submit("demo", "{\"stages\": 3, \"stage_ms\": 3000}");
                await().atMost(Duration.ofSeconds(60)).until(() -> client.job(id).get("status").asString().equals("running"));

                worker.pause();
                assertThat(client.postJson("/api/jobs/" + id + "/cancel", "").status()).isEqualTo(202);
                await("nobody decides the cancel while the worker is paused").during(Duration.ofSeconds(1))
                        .atMost(Duration.ofSeconds(5)).until(() -> client.job(id).get("status").asString().equals("running"));
                worker.resume();

                await().atMost(Duration.ofSeconds(60)).until(() -> client.job(id).get("status").asString().equals("cancelled"));
                int cancelledAt = indexOf(events(service, id), io.jobline.schemas.event.JobCancelled.class);
                await("nothing after the cancel, while its stages would have gone on").during(Duration.ofSeconds(4))
                        .atMost(Duration.ofSeconds(10)).until(() -> events(service, id).size() == cancelledAt + 1);
                List<JobEvent> events = events(service, id);
                assertThat(events).noneMatch(e -> e.getPayload() instanceof JobCompleted);
            }
        }
    }

    private static int indexOf(List<JobEvent> events, Class<?> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i).getPayload())) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName());
    }

    private static int indexOfAttemptStart(List<JobEvent> events, int attempt) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).getPayload() instanceof JobStarted && events.get(i).getAttempt() == attempt) {
                return i;
            }
        }
        throw new AssertionError("attempt " + attempt + " never started");
    }

    private static List<JobEvent> events(RunningService service, String jobId) {
        return TopicReader.events(service, jobId);
    }

    private static void send(RunningService service, List<JobCommand> commands) throws Exception {
        JobTopics topics = service.bean(JobTopics.class);
        Map<String, Object> config = service.bean(KafkaSettings.class).clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, JobCommand> producer = new KafkaProducer<>(config,
                topics.commands().keySerde().serializer(), topics.commands().valueSerde().serializer())) {
            for (JobCommand command : commands) {
                producer.send(new ProducerRecord<>(JobTopics.COMMANDS, command.getJobId(), command)).get();
            }
        }
    }
}
