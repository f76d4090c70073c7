package io.jobline.processor.decider;

import static io.jobline.processor.decider.DeciderFixture.COMMANDS;
import static io.jobline.processor.decider.DeciderFixture.JOB;
import static io.jobline.processor.decider.DeciderFixture.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobline.core.command.JobCommands;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.policy.Policy;
import io.jobline.core.testing.EventLog;
import io.jobline.schemas.event.AttemptFailed;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobFailed;
import io.jobline.schemas.event.JobReleased;
import io.jobline.schemas.event.JobRetried;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.StageCompleted;
import io.jobline.schemas.event.StageStarted;

/** A job whose worker declares its stages as it goes: each stage's completion may replace the rest of the plan. */
class JobDeciderDynamicStagesTest {

    private static final String WORKER = "worker-a";
    private static final Policy TWO_ATTEMPTS = Policy.SINGLE_ATTEMPT.withMaxAttempts(2);

    /** A dynamic job whose initial plan is one stage, "prepare", running. */
    private static EventLog preparing(Policy policy) {
        return EventLog.of(JOB).submittedDynamic("ingest", policy, "prepare").started(WORKER).stageStarted(1);
    }

    @Test
    void shouldRecordTheDeclaredStagesAndRunThemAsThePlan() {
        DeciderFixture fixture = given(preparing(null));

        StageCompleted completed = (StageCompleted) fixture.thenAccepted(
                COMMANDS.completeStage(JOB, WORKER, 1, 1, "{}", List.of("chunk-1", "chunk-2")), StageCompleted.class)
                .get(0).getPayload();

        assertThat(completed.getNextStages()).containsExactly("chunk-1", "chunk-2");
        assertThat(fixture.state().stages()).containsExactly("prepare", "chunk-1", "chunk-2");
        StageStarted second = (StageStarted) fixture.thenAccepted(COMMANDS.startStage(JOB, WORKER, 1, 2, "chunk-1"),
                StageStarted.class).get(0).getPayload();
        assertThat(second.getName()).isEqualTo("chunk-1");
        fixture.thenAccepted(COMMANDS.completeStage(JOB, WORKER, 1, 2, null), StageCompleted.class);
        fixture.thenAccepted(COMMANDS.startStage(JOB, WORKER, 1, 3, "chunk-2"), StageStarted.class);
        assertThat(fixture.thenRejected(COMMANDS.startStage(JOB, WORKER, 1, 4, "chunk-3"))).contains("cannot start");

        fixture.thenAccepted(COMMANDS.complete(JOB, WORKER, 1, "{\"ok\":true}", List.of()),
                StageCompleted.class, JobCompleted.class);
        assertThat(fixture.state().completedStages()).isEqualTo(3);
    }

    @Test
    void shouldLetAStageEndThePlanEarlyWithNoNextStages() {
        DeciderFixture fixture = given(EventLog.of(JOB).submittedDynamic("ingest", null, "prepare", "chunk-1", "chunk-2")
                .started(WORKER).stageStarted(1));

        fixture.thenAccepted(COMMANDS.completeStage(JOB, WORKER, 1, 1, "{}", List.of()), StageCompleted.class);

        assertThat(fixture.state().stages()).containsExactly("prepare");
        assertThat(fixture.thenRejected(COMMANDS.startStage(JOB, WORKER, 1, 2, "chunk-1"))).contains("cannot start");
        fixture.thenAccepted(COMMANDS.complete(JOB, WORKER, 1, "{}", List.of()), JobCompleted.class);
    }

    @Test
    void shouldRefuseNextStagesForAJobNotSubmittedWithDynamicStages() {
        DeciderFixture fixture = given(EventLog.of(JOB).submittedDemo(2).started(WORKER).stageStarted(1));

        String rejection = fixture.thenRejected(COMMANDS.completeStage(JOB, WORKER, 1, 1, "{}", List.of("extra")));

        assertThat(rejection).contains("not submitted with dynamic stages");
        assertThat(fixture.state().stages()).containsExactly("stage-1", "stage-2");
        assertThat(fixture.state().completedStages()).isZero();
    }

    @Test
    void shouldRefuseAPlanOfMoreThanAHundredStages() {
        DeciderFixture fixture = given(preparing(null));

        assertThat(fixture.thenRejected(COMMANDS.completeStage(JOB, WORKER, 1, 1, "{}", Collections.nCopies(100, "part"))))
                .contains("at most 100 stages");
        fixture.thenAccepted(COMMANDS.completeStage(JOB, WORKER, 1, 1, "{}", Collections.nCopies(99, "part")),
                StageCompleted.class);
        assertThat(fixture.state().stages()).hasSize(100);
    }

    @Test
    void shouldRefuseABlankStageName() {
        assertThat(given(preparing(null)).thenRejected(COMMANDS.completeStage(JOB, WORKER, 1, 1, "{}", List.of("a", " "))))
                .contains("stage name");
    }

    @Test
    void shouldKeepTheExtendedPlanForTheNextAttemptAfterAFailure() {
        DeciderFixture fixture = given(preparing(TWO_ATTEMPTS)
                .stageCompleted(1, "{\"files\":2}", List.of("chunk-1", "chunk-2")).stageStarted(2));

        fixture.thenAccepted(COMMANDS.fail(JOB, WORKER, 1, "disk full", 2, true), AttemptFailed.class);
        JobCommands whenDue = new JobCommands(Clock.fixed(fixture.state().retryAt(), ZoneOffset.UTC));

        List<JobEvent> restarted = fixture.thenAccepted(whenDue.start(JOB, "worker-b", 1), JobStarted.class, StageStarted.class);

        assertThat(((JobStarted) restarted.get(0).getPayload()).getFirstStage()).isEqualTo(2);
        assertThat(((StageStarted) restarted.get(1).getPayload()).getName()).isEqualTo("chunk-1");
        assertThat(fixture.state().stages()).containsExactly("prepare", "chunk-1", "chunk-2");
    }

    @Test
    void shouldKeepTheExtendedPlanAcrossAReleaseAndARetryByHand() {
        DeciderFixture fixture = given(preparing(null).stageCompleted(1, "{}", List.of("chunk-1", "chunk-2")).stageStarted(2));

        fixture.thenAccepted(COMMANDS.release(JOB, WORKER, 1, "shutting down"), JobReleased.class);
        fixture.thenAccepted(COMMANDS.start(JOB, "worker-b", 1), JobStarted.class, StageStarted.class);
        fixture.thenAccepted(COMMANDS.completeStage(JOB, "worker-b", 2, 2, "{}"), StageCompleted.class);
        fixture.thenAccepted(COMMANDS.startStage(JOB, "worker-b", 2, 3, "chunk-2"), StageStarted.class);
        fixture.thenAccepted(COMMANDS.fail(JOB, "worker-b", 2, "bad chunk", 3, false), JobFailed.class);
        fixture.thenAccepted(COMMANDS.retry(JOB, "alice", null), JobRetried.class);

        StageStarted resumed = (StageStarted) fixture.thenAccepted(COMMANDS.start(JOB, "worker-c", 2),
                JobStarted.class, StageStarted.class).get(1).getPayload();

        assertThat(resumed.getStage()).isEqualTo(3);
        assertThat(resumed.getName()).isEqualTo("chunk-2");
        assertThat(fixture.state().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(fixture.state().stages()).containsExactly("prepare", "chunk-1", "chunk-2");
    }
}
