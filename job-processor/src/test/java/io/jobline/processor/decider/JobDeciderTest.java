package io.jobline.processor.decider;

import static io.jobline.processor.decider.DeciderFixture.COMMANDS;
import static io.jobline.processor.decider.DeciderFixture.JOB;
import static io.jobline.processor.decider.DeciderFixture.given;
import static io.jobline.processor.decider.DeciderFixture.givenNoJob;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.testing.EventLog;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.event.JobCancelled;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobDeleted;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobFailed;
import io.jobline.schemas.event.JobRetried;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.JobReleased;
import io.jobline.schemas.event.JobSubmitted;
import io.jobline.schemas.event.ProgressReported;
import io.jobline.schemas.event.StageCompleted;
import io.jobline.schemas.event.StageStarted;
import io.jobline.worker.StoredFile;

class JobDeciderTest {

    private static final String WORKER = "worker-a";

    private static EventLog submitted() {
        return EventLog.of(JOB).submittedDemo(2);
    }

    private static EventLog runningStage1() {
        return submitted().started(WORKER).stageStarted(1);
    }

    @Test
    void shouldSubmitANewJobAsPendingWithSequenceOne() {
        List<JobEvent> events = givenNoJob().thenAccepted(
                COMMANDS.submit(JOB, "alice", "demo", "{}", List.of(), List.of("stage-1")), JobSubmitted.class);

        JobEvent submitted = events.get(0);
        assertThat(submitted.getSequence()).isEqualTo(1);
        assertThat(submitted.getAttempt()).isZero();
        assertThat(submitted.getJobId()).isEqualTo(JOB);
        assertThat(((JobSubmitted) submitted.getPayload()).getOwner()).isEqualTo("alice");
        assertThat(submitted.getTimestamp()).isEqualTo(EventLog.T0);
    }

    @Test
    void shouldRejectASubmitWhoseFilesLieOutsideTheJobsOwnFolder() {
        StoredFile othersUpload = new StoredFile("a.csv", "jobs/job-2/inputs/a.csv", 1, "text/csv");

        assertThat(givenNoJob().thenRejected(COMMANDS.submit(JOB, "mallory", "csv-report", "{}", List.of(othersUpload),
                List.of("analyze")))).contains("not in the job's own folder jobs/job-1/");
        givenNoJob().thenAccepted(COMMANDS.submit(JOB, "alice", "csv-report", "{}",
                List.of(new StoredFile("a.csv", "jobs/job-1/inputs/r1/a.csv", 1, "text/csv")), List.of("analyze")),
                JobSubmitted.class);
    }

    @Test
    void shouldRejectACompletionWhoseArtifactsLieOutsideTheJobsOwnFolder() {
        DeciderFixture fixture = given(runningStage1().stageCompleted(1, null).stageStarted(2));

        assertThat(fixture.thenRejected(COMMANDS.complete(JOB, WORKER, 1, "{}",
                List.of(new StoredFile("report.json", "jobs/job-1/../job-2/artifacts/report.json", 1, null)))))
                .contains("not in the job's own folder");
    }

    @Test
    void shouldPutAReleasedJobBackToPendingWithoutCountingAFailure() {
        DeciderFixture fixture = given(runningStage1().stageCompleted(1, "{}").stageStarted(2));

        fixture.thenAccepted(COMMANDS.release(JOB, WORKER, 1, "worker shutting down"), JobReleased.class);

        JobState released = fixture.when(COMMANDS.release(JOB, WORKER, 1, "worker shutting down")).state();
        assertThat(released.status()).isEqualTo(JobStatus.PENDING);
        assertThat(released.failures()).isZero();
        assertThat(released.workerId()).isNull();
        assertThat(released.completedStages()).isEqualTo(1);
    }

    @Test
    void shouldRejectAReleaseFromAStaleAttempt() {
        assertThat(given(runningStage1()).thenRejected(COMMANDS.release(JOB, WORKER, 2, null))).contains("stale attempt");
    }

    @Test
    void shouldRejectASecondSubmitOfTheSameJob() {
        assertThat(given(submitted()).thenRejected(COMMANDS.submit(JOB, "bob", "demo", "{}", List.of(), List.of("s"))))
                .contains("already exists");
    }

    @Test
    void shouldRejectASubmitWithoutStages() {
        givenNoJob().thenRejected(COMMANDS.submit(JOB, "alice", "demo", "{}", List.of(), List.of()));
    }

    @Test
    void shouldStartAPendingJobAsAttemptOneInItsFirstStage() {
        List<JobEvent> events = given(submitted()).thenAccepted(COMMANDS.start(JOB, WORKER, 0), JobStarted.class, StageStarted.class);

        JobEvent started = events.get(0);
        assertThat(started.getAttempt()).isEqualTo(1);
        assertThat(started.getSequence()).isEqualTo(2);
        assertThat(((JobStarted) started.getPayload()).getFirstStage()).isEqualTo(1);
        JobEvent firstStage = events.get(1);
        assertThat(firstStage.getAttempt()).isEqualTo(1);
        assertThat(firstStage.getSequence()).isEqualTo(3);
        assertThat((StageStarted) firstStage.getPayload()).isEqualTo(new StageStarted(1, "stage-1"));
    }

    @Test
    void shouldCompleteTheRunningLastStageWithTheJob() {
        DeciderFixture fixture = given(runningStage1().stageCompleted(1, null).stageStarted(2));

        List<JobEvent> events = fixture.thenAccepted(COMMANDS.complete(JOB, WORKER, 1, "{\"done\":true}", List.of()),
                StageCompleted.class, JobCompleted.class);

        assertThat((StageCompleted) events.get(0).getPayload()).isEqualTo(new StageCompleted(2, "stage-2", "{\"done\":true}", null));
        assertThat(events).extracting(JobEvent::getSequence).containsExactly(6L, 7L);
        assertThat(fixture.state().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(fixture.state().completedStages()).isEqualTo(2);
    }

    @Test
    void shouldNotCompleteAJobWhoseRunningStageIsNotTheLast() {
        assertThat(given(runningStage1()).thenRejected(COMMANDS.complete(JOB, WORKER, 1, "{}", List.of()))).contains("0 of 2");
    }

    @Test
    void shouldGrantOnlyOneOfTwoRacingStartsForTheSameAttempt() {
        DeciderFixture fixture = given(submitted());
        fixture.thenAccepted(COMMANDS.start(JOB, "worker-a", 0), JobStarted.class, StageStarted.class);

        assertThat(fixture.thenRejected(COMMANDS.start(JOB, "worker-b", 0))).contains("already started");
        assertThat(fixture.state().workerId()).isEqualTo("worker-a");
    }

    @Test
    void shouldRunStagesInOrderAndRejectSkippingOne() {
        DeciderFixture fixture = given(submitted().started(WORKER));

        fixture.thenRejected(COMMANDS.startStage(JOB, WORKER, 1, 2, "stage-2"));
        fixture.thenAccepted(COMMANDS.startStage(JOB, WORKER, 1, 1, "stage-1"), StageStarted.class);
        fixture.thenRejected(COMMANDS.startStage(JOB, WORKER, 1, 1, "stage-1"));
    }

    @Test
    void shouldRecordProgressOfTheRunningStage() {
        JobEvent event = given(runningStage1()).thenAccepted(COMMANDS.progress(JOB, WORKER, 1, 1, 25, "a quarter"),
                ProgressReported.class).get(0);

        ProgressReported progress = (ProgressReported) event.getPayload();
        assertThat(progress.getProgress()).isEqualTo(25);
        assertThat(progress.getMessage()).isEqualTo("a quarter");
    }

    @Test
    void shouldRejectProgressOutsideZeroToHundred() {
        given(runningStage1()).thenRejected(COMMANDS.progress(JOB, WORKER, 1, 1, 101, "too far"));
        given(runningStage1()).thenRejected(COMMANDS.progress(JOB, WORKER, 1, 1, -1, "backwards"));
    }

    @Test
    void shouldRejectProgressFromAStaleAttempt() {
        EventLog restarted = runningStage1().stageCompleted(1, "{\"rows\":10}").started("worker-b");

        assertThat(given(restarted).thenRejected(COMMANDS.progress(JOB, WORKER, 1, 2, 60, "zombie")))
                .contains("stale attempt 1");
    }

    @Test
    void shouldResumeANewAttemptAfterTheLastCompletedStageWithItsCheckpoint() {
        EventLog lostWorker = runningStage1().stageCompleted(1, "{\"rows\":10}");

        JobEvent started = given(lostWorker).thenAccepted(COMMANDS.start(JOB, "worker-b", 1), JobStarted.class, StageStarted.class).get(0);

        JobStarted payload = (JobStarted) started.getPayload();
        assertThat(started.getAttempt()).isEqualTo(2);
        assertThat(payload.getFirstStage()).isEqualTo(2);
        assertThat(payload.getCheckpoint()).isEqualTo("{\"rows\":10}");
    }

    @Test
    void shouldCompleteOnlyAfterEveryStageCompleted() {
        DeciderFixture fixture = given(runningStage1().stageCompleted(1, null));

        assertThat(fixture.thenRejected(COMMANDS.complete(JOB, WORKER, 1, "{}", List.of()))).contains("1 of 2");
        fixture.thenAccepted(COMMANDS.startStage(JOB, WORKER, 1, 2, "stage-2"), StageStarted.class);
        fixture.thenAccepted(COMMANDS.completeStage(JOB, WORKER, 1, 2, "{\"done\":true}"), StageCompleted.class);
        fixture.thenAccepted(COMMANDS.complete(JOB, WORKER, 1, "{\"done\":true}", List.of()), JobCompleted.class);

        assertThat(fixture.state().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void shouldFailARunningJobWithItsError() {
        JobEvent failed = given(runningStage1()).thenAccepted(COMMANDS.fail(JOB, WORKER, 1, "boom", 1), JobFailed.class).get(0);

        assertThat(((JobFailed) failed.getPayload()).getError()).isEqualTo("boom");
    }

    @Test
    void shouldCancelPendingAndRunningJobs() {
        given(submitted()).thenAccepted(COMMANDS.cancel(JOB, "alice", null), JobCancelled.class);
        given(runningStage1()).thenAccepted(COMMANDS.cancel(JOB, "alice", "not needed"), JobCancelled.class);
    }

    @Test
    void shouldRecordWhoCancelledRetriedAndDeletedAJob() {
        DeciderFixture fixture = given(runningStage1());

        JobEvent cancelled = fixture.thenAccepted(COMMANDS.cancel(JOB, "bob", null), JobCancelled.class).get(0);
        JobEvent retried = fixture.thenAccepted(COMMANDS.retry(JOB, "carol", null), JobRetried.class).get(0);
        List<JobEvent> deleted = fixture.thenAccepted(COMMANDS.delete(JOB, "admin", null), JobCancelled.class, JobDeleted.class);

        assertThat(((JobCancelled) cancelled.getPayload()).getBy()).isEqualTo("bob");
        assertThat(((JobRetried) retried.getPayload()).getBy()).isEqualTo("carol");
        assertThat(((JobCancelled) deleted.get(0).getPayload()).getBy()).isEqualTo("admin");
        assertThat(((JobDeleted) deleted.get(1).getPayload()).getBy()).isEqualTo("admin");
    }

    @Test
    void shouldRejectCancelWhenJobAlreadyCompleted() {
        assertThat(given(submitted().ranToCompletion(WORKER, "{}")).thenRejected(COMMANDS.cancel(JOB, "alice", null)))
                .contains("COMPLETED");
    }

    @Test
    void shouldRejectCancelOfAnUnknownJob() {
        givenNoJob().thenRejected(COMMANDS.cancel(JOB, "alice", null));
    }

    @Test
    void shouldDeleteAFinishedJob() {
        DeciderFixture fixture = given(submitted().ranToCompletion(WORKER, "{}"));

        fixture.thenAccepted(COMMANDS.delete(JOB, "alice", null), JobDeleted.class);
        assertThat(fixture.state().status()).isEqualTo(JobStatus.DELETED);
    }

    @Test
    void shouldCancelAnActiveJobBeforeDeletingIt() {
        List<JobEvent> events = given(runningStage1()).thenAccepted(COMMANDS.delete(JOB, "alice", null),
                JobCancelled.class, JobDeleted.class);

        assertThat(events).extracting(JobEvent::getSequence).containsExactly(4L, 5L);
    }

    @Test
    void shouldNumberEveryEventOfAJobWithoutGaps() {
        DeciderFixture fixture = givenNoJob();
        List<JobCommand> run = List.of(
                COMMANDS.submit(JOB, "alice", "demo", "{}", List.of(), List.of("only")),
                COMMANDS.start(JOB, WORKER, 0),
                COMMANDS.startStage(JOB, WORKER, 1, 1, "only"),
                COMMANDS.progress(JOB, WORKER, 1, 1, 50, "half"),
                COMMANDS.completeStage(JOB, WORKER, 1, 1, null),
                COMMANDS.complete(JOB, WORKER, 1, null, List.of()),
                COMMANDS.delete(JOB, "alice", null));

        List<Long> sequences = run.stream().flatMap(c -> fixture.when(c).events().stream()).map(JobEvent::getSequence).toList();

        assertThat(sequences).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void shouldRetryAFailedJobAsANewAttemptAfterItsLastCompletedStage() {
        DeciderFixture fixture = given(runningStage1().stageCompleted(1, "{\"rows\":3}").stageStarted(2).failed("boom", 2));

        JobEvent retried = fixture.thenAccepted(COMMANDS.retry(JOB, "alice", "fixed upstream"), JobRetried.class).get(0);

        assertThat(((JobRetried) retried.getPayload()).getPreviousError()).isEqualTo("boom");
        assertThat(fixture.state().status()).isEqualTo(JobStatus.PENDING);
        JobStarted started = (JobStarted) fixture.thenAccepted(COMMANDS.start(JOB, "worker-b", 1), JobStarted.class, StageStarted.class).get(0).getPayload();
        assertThat(fixture.state().attempt()).isEqualTo(2);
        assertThat(started.getFirstStage()).isEqualTo(2);
        assertThat(started.getCheckpoint()).isEqualTo("{\"rows\":3}");
    }

    @Test
    void shouldRetryACancelledJob() {
        given(runningStage1().cancelled(null)).thenAccepted(COMMANDS.retry(JOB, "alice", null), JobRetried.class);
    }

    @Test
    void shouldRejectRetryOfACompletedRunningOrUnknownJob() {
        assertThat(given(submitted().ranToCompletion(WORKER, "{}")).thenRejected(COMMANDS.retry(JOB, "alice", null)))
                .contains("only a failed or cancelled job");
        given(runningStage1()).thenRejected(COMMANDS.retry(JOB, "alice", null));
        givenNoJob().thenRejected(COMMANDS.retry(JOB, "alice", null));
    }

    static Stream<EventLog> finishedJobs() {
        return Stream.of(
                submitted().ranToCompletion(WORKER, "{}"),
                runningStage1().failed("boom", 1),
                runningStage1().cancelled(null),
                submitted().ranToCompletion(WORKER, "{}").deleted());
    }

    @ParameterizedTest
    @MethodSource("finishedJobs")
    void shouldRejectEveryWorkerCommandAfterAFinishedJob(EventLog history) {
        int attempt = history.last().getAttempt();
        for (JobCommand command : List.of(
                COMMANDS.start(JOB, WORKER, attempt),
                COMMANDS.startStage(JOB, WORKER, attempt, 1, "stage-1"),
                COMMANDS.progress(JOB, WORKER, attempt, 1, 10, "late"),
                COMMANDS.completeStage(JOB, WORKER, attempt, 1, null),
                COMMANDS.complete(JOB, WORKER, attempt, null, List.of()),
                COMMANDS.fail(JOB, WORKER, attempt, "late", 1),
                COMMANDS.cancel(JOB, "alice", null),
                COMMANDS.submit(JOB, "alice", "demo", "{}", List.of(), List.of("s")))) {
            given(history).thenRejected(command);
        }
    }

    @Test
    void shouldRejectEverythingAfterDeletion() {
        given(submitted().ranToCompletion(WORKER, "{}").deleted()).thenRejected(COMMANDS.delete(JOB, "alice", null));
    }
}
