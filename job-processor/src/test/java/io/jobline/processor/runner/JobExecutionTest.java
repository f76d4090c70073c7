package io.jobline.processor.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.core.command.CommandSender;
import io.jobline.core.command.JobCommands;
import io.jobline.core.files.LocalFileStore;
import io.jobline.core.secrets.SecretInputs;
import io.jobline.core.secrets.SecretKeys;
import io.jobline.core.support.Json;
import io.jobline.core.testing.EventLog;
import io.jobline.processor.decider.JobState;
import io.jobline.processor.jobtype.demo.DemoJobType;
import io.jobline.schemas.command.CompleteJob;
import io.jobline.schemas.command.CompleteStage;
import io.jobline.schemas.command.FailJob;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.ReportProgress;
import io.jobline.schemas.command.StartStage;
import io.jobline.worker.JobType;
import io.jobline.worker.StageContext;
import io.jobline.worker.StoredFile;
import tools.jackson.databind.JsonNode;

class JobExecutionTest {

    @TempDir
    Path dir;

    private final List<JobCommand> sent = new CopyOnWriteArrayList<>();
    private final CommandSender sender = command -> {
        sent.add(command);
        return CompletableFuture.completedFuture(null);
    };

    @Test
    void shouldRunEveryStageReportProgressAndComplete() {
        AtomicBoolean finished = new AtomicBoolean();
        execution(runningJob("{\"stages\": 2, \"stage_ms\": 0}", 0), () -> finished.set(true)).run();

        // The first stage started with the attempt; the last one completes with the job.
        assertThat(types()).startsWith(ReportProgress.class).endsWith(ReportProgress.class, CompleteJob.class);
        assertThat(stagesOf(StartStage.class)).containsExactly(2);
        assertThat(stagesOf(CompleteStage.class)).containsExactly(1);
        assertThat(progressValues()).isSorted().contains(50, 100);
        assertThat(sent).allSatisfy(c -> assertThat(c.getIssuedBy()).isEqualTo("worker-a"));
        CompleteJob complete = (CompleteJob) sent.get(sent.size() - 1).getPayload();
        assertThat(complete.getAttempt()).isEqualTo(1);
        assertThat(complete.getResultJson()).isEqualTo("{\"stages_completed\":2}");
        assertThat(finished).isTrue();
    }

    @Test
    void shouldAskForTheFirstStageWhenTheAttemptStartedWithoutIt() {
        JobState startedByAnEarlierDecider = runningJob("{\"stages\": 2, \"stage_ms\": 0}", 0);
        startedByAnEarlierDecider = new JobState(startedByAnEarlierDecider.jobId(), startedByAnEarlierDecider.status(),
                startedByAnEarlierDecider.type(), startedByAnEarlierDecider.owner(), startedByAnEarlierDecider.input(),
                List.of(), startedByAnEarlierDecider.stages(), 1, 2, "worker-a", 0, 0, null, null,
                startedByAnEarlierDecider.policy(), 0, null, EventLog.T0, EventLog.T0, EventLog.T0, 0, 0, null, null);

        execution(startedByAnEarlierDecider, () -> { }).run();

        assertThat(types()).startsWith(StartStage.class).endsWith(CompleteJob.class);
        assertThat(stagesOf(StartStage.class)).containsExactly(1, 2);
    }

    @Test
    void shouldFailWithTheStageErrorWhenAStageThrows() {
        execution(runningJob("{\"stages\": 3, \"stage_ms\": 0, \"fail_at_stage\": 2}", 0), () -> { }).run();

        FailJob fail = (FailJob) sent.get(sent.size() - 1).getPayload();
        assertThat(fail.getStage()).isEqualTo(2);
        assertThat(fail.getError()).contains("stage 2 of 3");
        assertThat(types()).doesNotContain(CompleteJob.class);
    }

    @Test
    void shouldResumeAfterTheLastCompletedStage() {
        execution(runningJob("{\"stages\": 3, \"stage_ms\": 0}", 2), () -> { }).run();

        assertThat(stagesOf(StartStage.class)).as("stage 3 started with the attempt").isEmpty();
        assertThat(stagesOf(CompleteStage.class)).isEmpty();
        assertThat(sent).filteredOn(c -> c.getPayload() instanceof ReportProgress)
                .extracting(c -> ((ReportProgress) c.getPayload()).getStage()).isNotEmpty()
                .allSatisfy(stage -> assertThat(stage).isEqualTo(3));
        assertThat(types()).endsWith(CompleteJob.class);
        assertThat(progressValues()).allSatisfy(p -> assertThat(p).isGreaterThanOrEqualTo(66));
    }

    @Test
    void shouldStopAtTheNextProgressReportOnceCancelled() throws Exception {
        JobExecution execution = execution(runningJob("{\"stages\": 2, \"stage_ms\": 2000}", 0), () -> { });
        Thread worker = new Thread(execution);
        worker.start();
        execution.cancel();
        worker.join(5_000);

        assertThat(worker.isAlive()).isFalse();
        assertThat(types()).doesNotContain(CompleteJob.class, FailJob.class, CompleteStage.class);
    }

    @Test
    void shouldFailAJobWhoseTypeThisWorkerDoesNotHave() {
        new JobExecution(0, runningJob("{}", 0), null, new LocalFileStore(dir), sender,
                new JobCommands(Clock.systemUTC()), "worker-a", () -> { }).run();

        assertThat(((FailJob) sent.get(0).getPayload()).getError()).contains("No job type 'demo'");
    }

    @Test
    void shouldHandTheStageItsInputWithTheSealedSecretsOpenedAndFailForGoodWhenOneDoesNotOpen() {
        SecretInputs secrets = new SecretInputs(SecretKeys.of("k:" + java.util.Base64.getEncoder().encodeToString(new byte[32]), dir));
        String sealed = secrets.seal("job-1", Json.parse("{\"stages\": 1, \"token\": \"t-1\"}"), List.of("/token"));
        List<String> seen = new java.util.ArrayList<>();
        JobType oneStage = stages(context -> {
            seen.add(context.input().path("token").asString());
            return Json.MAPPER.createObjectNode();
        });

        new JobExecution(0, runningJob(sealed, 0), oneStage, new LocalFileStore(dir), secrets, sender,
                new JobCommands(Clock.systemUTC()), "worker-a", () -> { }).run();
        assertThat(seen).containsExactly("t-1");
        assertThat(types()).containsExactly(CompleteJob.class);

        sent.clear();
        new JobExecution(0, runningJob(sealed, 0), oneStage, new LocalFileStore(dir), SecretInputs.NONE, sender,
                new JobCommands(Clock.systemUTC()), "worker-a", () -> { }).run();
        FailJob fail = (FailJob) sent.get(0).getPayload();
        assertThat(fail.getRetryable()).isFalse();
        assertThat(fail.getError()).contains("key this process does not have").doesNotContain("t-1");
        assertThat(seen).hasSize(1);
    }

    @Test
    void shouldStoreACheckpointOverTheInlineLimitInTheFileStoreAndHandItToTheNextAttempt() {
        String big = "x".repeat(Checkpoints.INLINE_LIMIT + 1);
        JobType twoStages = stages(context -> context.stage() == 1
                ? Json.MAPPER.createObjectNode().put("big", big)
                : Json.MAPPER.createObjectNode().put("handed", context.checkpoint().path("big").asString().length()));

        new JobExecution(0, runningJob("{\"stages\": 2}", 0), twoStages, new LocalFileStore(dir), sender,
                new JobCommands(Clock.systemUTC()), "worker-a", () -> { }).run();

        String reference = ((CompleteStage) sent.stream().filter(c -> c.getPayload() instanceof CompleteStage).findFirst()
                .orElseThrow().getPayload()).getCheckpoint();
        assertThat(reference).as("a reference, not 64 KiB in a record").hasSizeLessThan(200)
                .contains("\"$checkpoint_file\":\"jobs/job-1/checkpoints/stage-1-attempt-1.json\"");
        sent.clear();

        JobState resumed = withCheckpoint(runningJob("{\"stages\": 2}", 1), reference);
        new JobExecution(0, resumed, twoStages, new LocalFileStore(dir), sender, new JobCommands(Clock.systemUTC()),
                "worker-a", () -> { }).run();

        assertThat(((CompleteJob) sent.get(sent.size() - 1).getPayload()).getResultJson())
                .isEqualTo("{\"handed\":" + big.length() + "}");
    }

    @Test
    void shouldFailTheAttemptAtOnceWithTheRealReasonWhenKafkaRefusesAReport() {
        execution(runningJob("{\"stages\": 3, \"stage_ms\": 0}", 0), failing(CompleteStage.class)).run();

        FailJob fail = sent.stream().filter(c -> c.getPayload() instanceof FailJob).map(c -> (FailJob) c.getPayload())
                .findFirst().orElseThrow();
        assertThat(fail.getError()).contains("Could not report CompleteStage to Kafka", "RecordTooLargeException");
        assertThat(fail.getRetryable()).as("it would be refused again").isFalse();
        assertThat(types()).doesNotContain(CompleteJob.class);
        assertThat(types()).filteredOn(FailJob.class::equals).hasSize(1);
    }

    @Test
    void shouldFailForGoodWhenStageCodeThrowsAnErrorAndLiveOn() {
        JobType outOfMemory = stages(context -> {
            throw new OutOfMemoryError("Java heap space");
        });

        new JobExecution(0, runningJob("{\"stages\": 1}", 0), outOfMemory, new LocalFileStore(dir), sender,
                new JobCommands(Clock.systemUTC()), "worker-a", () -> { }).run();

        FailJob fail = (FailJob) sent.get(sent.size() - 1).getPayload();
        assertThat(fail.getError()).contains("OutOfMemoryError: Java heap space", "not retried");
        assertThat(fail.getRetryable()).isFalse();
    }

    /** A sender that refuses commands of one type as Kafka refuses a record over its size limit. */
    private CommandSender failing(Class<?> refused) {
        return command -> {
            sent.add(command);
            return refused.isInstance(command.getPayload())
                    ? CompletableFuture.failedFuture(new RecordTooLargeException("The message is 1048677 bytes"))
                    : CompletableFuture.completedFuture(null);
        };
    }

    private JobExecution execution(JobState job, CommandSender to) {
        return new JobExecution(0, job, new DemoJobType(), new LocalFileStore(dir), to,
                new JobCommands(Clock.fixed(EventLog.T0, ZoneOffset.UTC)), "worker-a", () -> { });
    }

    /** A job type whose every stage runs {@code stage}. */
    private static JobType stages(java.util.function.Function<StageContext, JsonNode> stage) {
        return new JobType() {
            @Override
            public String name() {
                return "demo";
            }

            @Override
            public List<String> plan(JsonNode input, List<StoredFile> files) {
                return List.of();
            }

            @Override
            public JsonNode runStage(StageContext context) {
                return stage.apply(context);
            }
        };
    }

    private static JobState withCheckpoint(JobState job, String checkpoint) {
        return new JobState(job.jobId(), job.status(), job.type(), job.owner(), job.input(), job.files(), job.stages(),
                job.attempt(), job.sequence(), job.workerId(), job.stage(), job.completedStages(), checkpoint, null,
                job.policy(), 0, null, EventLog.T0, EventLog.T0, EventLog.T0, 0, 0, null, null);
    }

    private JobExecution execution(JobState job, Runnable onFinished) {
        return new JobExecution(0, job, new DemoJobType(), new LocalFileStore(dir), sender,
                new JobCommands(Clock.fixed(EventLog.T0, ZoneOffset.UTC)), "worker-a", onFinished);
    }

    private static JobState runningJob(String input, int completedStages) {
        int stages = io.jobline.core.support.Json.parse(input).path("stages").asInt(3);
        List<String> names = java.util.stream.IntStream.rangeClosed(1, stages).mapToObj(i -> "stage-" + i).toList();
        return new JobState("job-1", io.jobline.core.lifecycle.JobStatus.RUNNING, "demo", "alice", input,
                List.of(), names, 1, 5, "worker-a", completedStages + 1, completedStages, completedStages > 0 ? "{}" : null, null,
                io.jobline.core.policy.Policy.SINGLE_ATTEMPT, 0, null, EventLog.T0, EventLog.T0, EventLog.T0, 0, 0, null, null);
    }

    private List<Class<?>> types() {
        return sent.stream().<Class<?>>map(c -> c.getPayload().getClass()).toList();
    }

    private List<Integer> stagesOf(Class<?> type) {
        return sent.stream().filter(c -> type.isInstance(c.getPayload())).map(c -> c.getPayload() instanceof StartStage start
                ? start.getStage() : ((CompleteStage) c.getPayload()).getStage()).toList();
    }

    private List<Integer> progressValues() {
        return sent.stream().filter(c -> c.getPayload() instanceof ReportProgress)
                .map(c -> ((ReportProgress) c.getPayload()).getProgress()).toList();
    }
}
