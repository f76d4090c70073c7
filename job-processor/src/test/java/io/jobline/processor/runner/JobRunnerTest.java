package io.jobline.processor.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobline.core.command.CommandSender;
import io.jobline.core.command.JobCommands;
import io.jobline.core.files.LocalFileStore;
import io.jobline.core.jobtype.JobTypes;
import io.jobline.core.policy.Policy;
import io.jobline.processor.decider.Decision;
import io.jobline.processor.decider.JobDecider;
import io.jobline.processor.decider.JobState;
import io.jobline.schemas.command.CompleteJob;
import io.jobline.schemas.command.CompleteStage;
import io.jobline.schemas.command.FailJob;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.ReportProgress;
import io.jobline.schemas.command.StartJob;
import io.jobline.schemas.command.StartStage;

/** The runner fed by the real decider, one decision at a time, as the decider task would feed it. */
class JobRunnerTest {

    private static final String JOB = "job-1";
    private static final JobTypes TYPES = JobTypes.discover(JobRunnerTest.class.getClassLoader(), List.of());

    @TempDir
    Path dir;

    private final JobCommands commands = new JobCommands(Clock.systemUTC());
    private final JobDecider decider = new JobDecider(() -> java.util.UUID.randomUUID().toString());
    private final List<JobCommand> sent = new CopyOnWriteArrayList<>();
    private final CommandSender sender = command -> {
        sent.add(command);
        return CompletableFuture.completedFuture(null);
    };
    private JobRunner runner;
    private JobState state = JobState.empty(JOB);

    @AfterEach
    void stop() throws InterruptedException {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void shouldStartAJobRetriedWhileItsCancelledRunIsStillWindingDown() {
        runner = new JobRunner("worker-a", 1, TYPES, new LocalFileStore(dir), sender, commands, Clock.systemUTC());
        decide(commands.submit(JOB, "alice", "demo", "{\"stages\": 2, \"stage_ms\": 5000}", List.of(), List.of("stage-1", "stage-2")));
        decide(lastStart());
        assertThat(state.attempt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.runningCount() == 1);

        decide(commands.cancel(JOB, "alice", null));
        decide(commands.retry(JOB, "alice", null));

        await().atMost(Duration.ofSeconds(5)).until(() -> starts().size() == 2);
        assertThat(((StartJob) starts().get(1).getPayload()).getExpectedAttempt()).isEqualTo(1);
        decide(starts().get(1));
        assertThat(state.attempt()).isEqualTo(2);
        assertThat(state.workerId()).isEqualTo("worker-a");
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.runningCount() == 1);
    }

    @Test
    void shouldHandARunningJobBackWhenItStopsSoItGoesOnElsewhereAtOnce() throws Exception {
        runner = new JobRunner("worker-a", 1, TYPES, new LocalFileStore(dir), sender, commands, Clock.systemUTC());
        decide(commands.submit(JOB, "alice", "demo", "{\"stages\": 2, \"stage_ms\": 5000}", List.of(), List.of("stage-1", "stage-2")));
        decide(lastStart());
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.runningCount() == 1);

        runner.close();
        runner = null;

        JobCommand release = sent.stream().filter(c -> c.getPayload() instanceof io.jobline.schemas.command.ReleaseJob)
                .findFirst().orElseThrow();
        assertThat(attemptOf(release)).isEqualTo(1);
        state = decider.decide(state, release).state(); // as another instance's decider would
        assertThat(state.status()).as("pending again, not failed").isEqualTo(io.jobline.core.lifecycle.JobStatus.PENDING);
        assertThat(state.attempt()).isEqualTo(1);
        assertThat(sent).as("no failure reported for the stopped attempt")
                .noneMatch(c -> c.getPayload() instanceof io.jobline.schemas.command.FailJob);
    }

    @Test
    void shouldRunNoMoreJobsAtOnceThanItsConcurrency() {
        runner = new JobRunner("worker-a", 1, TYPES, new LocalFileStore(dir), sender, commands, Clock.systemUTC());
        submitted("job-a");
        submitted("job-b");

        assertThat(starts()).extracting(JobCommand::getJobId).containsExactly("job-a");
    }

    @Test
    void shouldAbandonAHungAttemptTheDeciderFailedAndStartTheNextOnlyWhenItsRetryIsDue() {
        runner = new JobRunner("worker-a", 1, TYPES, new LocalFileStore(dir), sender, commands, Clock.systemUTC());
        Policy policy = Policy.SINGLE_ATTEMPT.withMaxAttempts(2).withBackoff(1_500, 2.0, 1_500);
        decide(commands.submit(JOB, "alice", "demo", "{\"stages\": 1, \"stage_ms\": 100, \"hang_at_stage\": 1, \"hang_attempts\": 1}",
                List.of(), List.of("stage-1"), new JobCommands.SubmitOptions(policy, null, null, null)));
        decide(lastStart());
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.runningCount() == 1);

        decide(commands.fail(JOB, JobDecider.ISSUER, 1, "no heartbeat", 1, true));
        int sentWhenAbandoned = sent.size();

        assertThat(state.retryAt()).isNotNull();
        assertThat(runner.runningCount()).as("the hung attempt no longer holds the slot").isZero();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).until(() -> starts().size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> starts().size() == 2);
        assertThat(lastStart().getTimestamp()).isAfterOrEqualTo(state.retryAt());
        decide(lastStart());
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.stream().anyMatch(c -> c.getPayload() instanceof CompleteJob));
        assertThat(sent.subList(sentWhenAbandoned, sent.size()))
                .as("nothing more from the abandoned attempt")
                .noneMatch(c -> !(c.getPayload() instanceof StartJob) && attemptOf(c) == 1);
    }

    @Test
    void shouldClaimAJustSubmittedJobOnlyWithAFreeSlotAndNobodyWaiting() {
        runner = new JobRunner("worker-a", 1, TYPES, new LocalFileStore(dir), sender, commands, Clock.systemUTC());
        JobState first = decider.decide(JobState.empty("job-a"), commands.submit("job-a", "alice", "demo", "{}", List.of(), List.of("stage-1"))).state();
        JobState second = decider.decide(JobState.empty("job-b"), commands.submit("job-b", "alice", "demo", "{}", List.of(), List.of("stage-1"))).state();

        assertThat(runner.claimSlot(0, first)).isEqualTo("worker-a");
        assertThat(runner.claimSlot(0, second)).as("its only slot is taken").isNull();
        assertThat(starts()).as("a claimed job needs no StartJob of its own").isEmpty();
    }

    @Test
    void shouldStartAgainAJobGrantedToItsNameByAnEarlierRunOfThisProcess() {
        runner = new JobRunner("worker-a", 1, TYPES, new LocalFileStore(dir), sender, commands, Clock.systemUTC());
        // "job-0-busy": jobs submitted in the same millisecond go in the order of their ids.
        JobState busy = decider.decide(JobState.empty("job-0-busy"), commands.submit("job-0-busy", "alice", "demo",
                "{\"stages\": 1, \"stage_ms\": 300}", List.of(), List.of("stage-1"))).state();
        state = decider.decide(state, commands.submit(JOB, "alice", "demo", "{\"stages\": 1, \"stage_ms\": 0}",
                List.of(), List.of("stage-1"))).state();
        runner.partitionAssigned(0, List.of(busy, state));
        JobCommand busyStart = lastStart();
        runner.decided(0, busyStart, decider.decide(busy, busyStart));
        assertThat(starts()).extracting(JobCommand::getJobId).containsExactly("job-0-busy");

        // The previous run of this process had started JOB before it was killed; its StartJob is decided again.
        decide(commands.start(JOB, "worker-a", 0));

        assertThat(state.attempt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> starts().stream().anyMatch(c -> c.getJobId().equals(JOB)));
        assertThat(((StartJob) lastStart().getPayload()).getExpectedAttempt()).as("asks for a new attempt").isEqualTo(1);
        decide(lastStart());
        assertThat(state.attempt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.stream()
                .anyMatch(c -> c.getJobId().equals(JOB) && c.getPayload() instanceof CompleteJob));
    }

    @Test
    void shouldRunAJobItsPreviousLifeAskedToStartWhenThatStartIsDecidedOnlyAfterTheRestart() {
        runner = new JobRunner("worker-b", 1, TYPES, new LocalFileStore(dir), sender, commands, Clock.systemUTC());
        state = decider.decide(state, commands.submit(JOB, "alice", "demo", "{\"stages\": 1, \"stage_ms\": 0}",
                List.of(), List.of("stage-1"))).state();
        runner.partitionAssigned(0, List.of(state));
        JobCommand ourStart = lastStart();

        // The previous life of this worker (the same name) had asked to start the job; its StartJob is decided only now.
        decide(commands.start(JOB, "worker-b", 0));
        decide(ourStart);

        assertThat(state.workerId()).isEqualTo("worker-b");
        assertThat(state.attempt()).as("our own start came too late, and was refused").isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.stream()
                .anyMatch(c -> c.getJobId().equals(JOB) && c.getPayload() instanceof CompleteJob));
        assertThat(starts()).hasSize(1);
    }

    @Test
    void shouldStartAHighPriorityJobBeforeFiftyLowOnesThatCameFirst() {
        runner = new JobRunner("worker-b", 1, TYPES, new LocalFileStore(dir), sender, commands, Clock.systemUTC());
        List<JobState> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waiting.add(pending("job-low-" + i, -10));
        }
        waiting.add(pending("job-high", 50));

        runner.partitionAssigned(0, waiting);

        assertThat(starts()).extracting(JobCommand::getJobId).containsExactly("job-high");
    }

    @Test
    void shouldRaiseAWaitingJobsPriorityByOneForEveryThirtySecondsItWaited() {
        JobState low = pending("job-low", -100);
        java.time.Instant since = low.lastReportAt();

        assertThat(low.effectivePriority(since)).isEqualTo(-100);
        assertThat(low.effectivePriority(since.plusSeconds(29))).isEqualTo(-100);
        assertThat(low.effectivePriority(since.plus(Duration.ofMinutes(100)))).as("overtakes priority 100")
                .isEqualTo(100);
    }

    @Test
    void shouldGiveAnotherOwnersJobTheNextSlotRatherThanTheRestOfOneOwnersBacklog() {
        runner = new JobRunner("worker-b", 2, TYPES, new LocalFileStore(dir), sender, commands, Clock.systemUTC());
        List<JobState> waiting = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            waiting.add(pending("job-alice-" + i, "alice", 0));
        }
        waiting.add(pending("job-bob-1", "bob", 0));

        runner.partitionAssigned(0, waiting);

        assertThat(starts()).extracting(JobCommand::getJobId).containsExactly("job-alice-1", "job-bob-1");
    }

    private JobState pending(String jobId, int priority) {
        return pending(jobId, "alice", priority);
    }

    private JobState pending(String jobId, String owner, int priority) {
        return decider.decide(JobState.empty(jobId), commands.submit(jobId, owner, "demo", "{}", List.of(),
                List.of("stage-1"), new JobCommands.SubmitOptions(Policy.SINGLE_ATTEMPT, null, null, null, priority, null, null)))
                .state();
    }

    @Test
    void shouldLeaveAJobOfATypeItHasNoCodeForToExternalWorkers() {
        runner = new JobRunner("worker-b", 2, TYPES, new LocalFileStore(dir), sender, commands, Clock.systemUTC());
        JobState declared = decider.decide(JobState.empty("job-ext"), commands.submit("job-ext", "alice", "compare-videos",
                "{}", List.of(), List.of("download"))).state();

        assertThat(runner.claimSlot(0, declared)).isNull();
        runner.partitionAssigned(0, List.of(declared));

        assertThat(starts()).isEmpty();
    }

    @Test
    void shouldLeaveAJobRunningUnderAnotherWorkersNameToThatWorker() {
        runner = new JobRunner("worker-b", 2, TYPES, new LocalFileStore(dir), sender, commands, Clock.systemUTC());
        state = decider.decide(state, commands.submit(JOB, "alice", "demo", "{}", List.of(), List.of("stage-1"))).state();
        state = decider.decide(state, commands.start(JOB, "worker-a", 0)).state();

        runner.partitionAssigned(0, List.of(state));
        decide(commands.heartbeat(JOB, "worker-a", 1, 1));

        assertThat(starts()).as("worker-a may be alive on another instance; its heartbeat timeout ends it if not").isEmpty();
        assertThat(runner.awaitsTakeover(JOB)).isFalse();
    }

    @Test
    void shouldTakeOverRunningJobsBeforeStartingPendingOnes() {
        runner = new JobRunner("worker-b", 1, TYPES, new LocalFileStore(dir), sender, commands, Clock.systemUTC());
        JobState pending = decider.decide(JobState.empty("job-pending"), commands.submit("job-pending", "alice", "demo",
                "{}", List.of(), List.of("stage-1"))).state();
        JobState running = decider.decide(JobState.empty("job-running"), commands.submit("job-running", "alice", "demo",
                "{}", List.of(), List.of("stage-1"))).state();
        // Started by this worker's previous life (the same name), which died with it.
        running = decider.decide(running, commands.start("job-running", "worker-b", 0)).state();

        runner.partitionAssigned(0, List.of(pending, running));

        assertThat(starts()).extracting(JobCommand::getJobId).containsExactly("job-running");
        assertThat(runner.awaitsTakeover("job-running")).isTrue();
    }

    private static int attemptOf(JobCommand command) {
        Object payload = command.getPayload();
        if (payload instanceof CompleteJob complete) {
            return complete.getAttempt();
        } else if (payload instanceof StartStage startStage) {
            return startStage.getAttempt();
        } else if (payload instanceof ReportProgress progress) {
            return progress.getAttempt();
        } else if (payload instanceof CompleteStage completeStage) {
            return completeStage.getAttempt();
        } else if (payload instanceof FailJob fail) {
            return fail.getAttempt();
        } else if (payload instanceof io.jobline.schemas.command.ReleaseJob release) {
            return release.getAttempt();
        }
        return -1;
    }

    private void submitted(String jobId) {
        JobCommand submit = commands.submit(jobId, "alice", "demo", "{\"stages\": 1, \"stage_ms\": 5000}", List.of(), List.of("stage-1"));
        runner.decided(0, submit, decider.decide(JobState.empty(jobId), submit));
    }

    private void decide(JobCommand command) {
        Decision decision = decider.decide(state, command);
        state = decision.state();
        runner.decided(0, command, decision);
    }

    private JobCommand lastStart() {
        List<JobCommand> starts = starts();
        return starts.get(starts.size() - 1);
    }

    private List<JobCommand> starts() {
        return sent.stream().filter(c -> c.getPayload() instanceof StartJob).toList();
    }
}
