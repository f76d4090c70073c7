package io.jobline.processor.decider;

import static io.jobline.processor.decider.DeciderFixture.JOB;
import static io.jobline.processor.decider.DeciderFixture.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.jobline.core.command.JobCommands;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.policy.Policy;
import io.jobline.core.testing.EventLog;
import io.jobline.schemas.command.FailJob;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.event.AttemptFailed;
import io.jobline.schemas.event.JobFailed;
import io.jobline.schemas.event.JobRetried;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.ProgressReported;
import io.jobline.schemas.event.StageStarted;

/** Automatic retries with backoff, heartbeats and timeouts, as the decider decides them. */
class JobDeciderRetryTest {

    private static final String WORKER = "worker-a";
    private static final Policy THREE_ATTEMPTS = Policy.SINGLE_ATTEMPT.withMaxAttempts(3).withBackoff(1_000, 2.0, 60_000);
    private static final Policy TIMEOUTS = Policy.SINGLE_ATTEMPT.withMaxAttempts(2).withTimeouts(60_000L, 20_000L, 5_000L);

    /** Submitted (T0+1), started (T0+2), stage 1 started (T0+3). */
    private static EventLog running(Policy policy) {
        return EventLog.of(JOB).submitted("demo", "alice", policy, "stage-1", "stage-2").started(WORKER).stageStarted(1);
    }

    private static JobCommands at(Instant time) {
        return new JobCommands(Clock.fixed(time, ZoneOffset.UTC));
    }

    private static Instant t(long seconds) {
        return EventLog.T0.plusSeconds(seconds);
    }

    @Test
    void shouldScheduleARetryAfterABackoffWhenARetryableFailureHasAttemptsLeft() {
        DeciderFixture fixture = given(running(THREE_ATTEMPTS));

        AttemptFailed failed = (AttemptFailed) fixture.thenAccepted(
                at(t(10)).fail(JOB, WORKER, 1, "timeout talking to the model", 1, true), AttemptFailed.class).get(0).getPayload();

        assertThat(failed.getError()).isEqualTo("timeout talking to the model");
        assertThat(failed.getTimedOut()).as("its worker failed it, whatever the error says").isFalse();
        assertThat(failed.getRetryAt()).isBetween(t(10).plusMillis(500), t(10).plusMillis(1_000));
        assertThat(fixture.state().status()).isEqualTo(JobStatus.PENDING);
        assertThat(fixture.state().failures()).isEqualTo(1);
        assertThat(fixture.state().retryAt()).isEqualTo(failed.getRetryAt());
    }

    @Test
    void shouldRefuseToStartTheNextAttemptBeforeItsRetryIsDue() {
        DeciderFixture fixture = given(running(THREE_ATTEMPTS));
        Instant due = ((AttemptFailed) fixture.thenAccepted(at(t(10)).fail(JOB, WORKER, 1, "e", 1, true), AttemptFailed.class)
                .get(0).getPayload()).getRetryAt();

        assertThat(fixture.thenRejected(at(due.minusMillis(1)).start(JOB, WORKER, 1))).contains("not due");
        fixture.thenAccepted(at(due).start(JOB, WORKER, 1), JobStarted.class, StageStarted.class);

        assertThat(fixture.state().attempt()).isEqualTo(2);
        assertThat(fixture.state().retryAt()).isNull();
    }

    @Test
    void shouldFailTheJobWhenTheLastAttemptFailsAndKeepEachAttemptsErrorInTheLog() {
        DeciderFixture fixture = given(running(THREE_ATTEMPTS));
        Instant now = t(10);
        for (int attempt = 1; attempt <= 2; attempt++) {
            AttemptFailed failed = (AttemptFailed) fixture.thenAccepted(
                    at(now).fail(JOB, WORKER, attempt, "error " + attempt, 1, true), AttemptFailed.class).get(0).getPayload();
            now = failed.getRetryAt();
            fixture.thenAccepted(at(now).start(JOB, WORKER, attempt), JobStarted.class, StageStarted.class);
        }

        JobFailed last = (JobFailed) fixture.thenAccepted(at(now).fail(JOB, WORKER, 3, "error 3", 1, true), JobFailed.class)
                .get(0).getPayload();

        assertThat(last.getError()).isEqualTo("error 3");
        assertThat(fixture.state().status()).isEqualTo(JobStatus.FAILED);
        assertThat(fixture.state().failures()).isEqualTo(3);
    }

    @Test
    void shouldFailAtOnceOnAFatalErrorEvenWithAttemptsLeft() {
        given(running(THREE_ATTEMPTS)).thenAccepted(at(t(10)).fail(JOB, WORKER, 1, "malformed input", 1, false), JobFailed.class);
    }

    @Test
    void shouldNotRetryByDefault() {
        given(running(null)).thenAccepted(at(t(10)).fail(JOB, WORKER, 1, "e", 1, true), JobFailed.class);
    }

    @Test
    void shouldGiveAJobRetriedByHandItsFullAttemptsAgain() {
        DeciderFixture fixture = given(running(Policy.SINGLE_ATTEMPT.withMaxAttempts(2)));
        fixture.thenAccepted(at(t(10)).fail(JOB, WORKER, 1, "e", 1, true), AttemptFailed.class);
        fixture.thenAccepted(at(t(20)).start(JOB, WORKER, 1), JobStarted.class, StageStarted.class);
        fixture.thenAccepted(at(t(21)).fail(JOB, WORKER, 2, "e", 1, true), JobFailed.class);

        fixture.thenAccepted(at(t(30)).retry(JOB, "alice", null), JobRetried.class);

        assertThat(fixture.state().failures()).isZero();
        fixture.thenAccepted(at(t(31)).start(JOB, WORKER, 2), JobStarted.class, StageStarted.class);
        fixture.thenAccepted(at(t(32)).fail(JOB, WORKER, 3, "e", 1, true), AttemptFailed.class);
    }

    @Test
    void shouldFailAJobWhoseWorkersKeepGettingLostBeforeItCompletesAStage() {
        DeciderFixture fixture = given(running(Policy.SINGLE_ATTEMPT.withMaxAttempts(3).withMaxRestarts(2)));
        // Each takeover of the running attempt is a restart: another worker starts the next attempt.
        fixture.thenAccepted(at(t(10)).start(JOB, "worker-b", 1), JobStarted.class, StageStarted.class);
        fixture.thenAccepted(at(t(20)).start(JOB, "worker-c", 2), JobStarted.class, StageStarted.class);
        assertThat(fixture.state().restarts()).isEqualTo(2);

        JobFailed failed = (JobFailed) fixture.thenAccepted(at(t(30)).start(JOB, "worker-d", 3), JobFailed.class)
                .get(0).getPayload();

        assertThat(failed.getError()).contains("lost 3 times in a row").contains("max_restarts 2");
        assertThat(failed.getRetryable()).isFalse();
        assertThat(fixture.state().status()).isEqualTo(JobStatus.FAILED);
        assertThat(fixture.state().attempt()).isEqualTo(3);
    }

    @Test
    void shouldCountRestartsOnlySinceTheLastCompletedStage() {
        DeciderFixture fixture = given(running(Policy.SINGLE_ATTEMPT.withMaxRestarts(1)));
        fixture.thenAccepted(at(t(10)).start(JOB, "worker-b", 1), JobStarted.class, StageStarted.class);
        fixture.thenAccepted(at(t(11)).completeStage(JOB, "worker-b", 2, 1, "{}"), io.jobline.schemas.event.StageCompleted.class);
        assertThat(fixture.state().restarts()).isZero();

        fixture.thenAccepted(at(t(20)).start(JOB, "worker-c", 2), JobStarted.class, StageStarted.class);

        assertThat(fixture.state().restarts()).isEqualTo(1);
        assertThat(fixture.state().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(fixture.state().completedStages()).isEqualTo(1);
    }

    @Test
    void shouldNotCountARetryAfterAFailedAttemptAsARestart() {
        DeciderFixture fixture = given(running(THREE_ATTEMPTS.withMaxRestarts(0)));
        Instant due = ((AttemptFailed) fixture.thenAccepted(at(t(10)).fail(JOB, WORKER, 1, "e", 1, true), AttemptFailed.class)
                .get(0).getPayload()).getRetryAt();

        fixture.thenAccepted(at(due).start(JOB, WORKER, 1), JobStarted.class, StageStarted.class);

        assertThat(fixture.state().restarts()).isZero();
        assertThat(fixture.thenAccepted(at(due.plusSeconds(1)).start(JOB, "worker-b", 2), JobFailed.class)).hasSize(1);
    }

    @Test
    void shouldGrowTheBackoffExponentiallyUpToItsMaximumWithJitterThatRepeatsForTheSameFailure() {
        Policy policy = Policy.SINGLE_ATTEMPT.withMaxAttempts(10).withBackoff(1_000, 3.0, 20_000);
        Instant failedAt = t(0);

        long[] delays = new long[5];
        for (int failures = 1; failures <= 5; failures++) {
            delays[failures - 1] = policy.retryAt(failedAt, failures, JOB).toEpochMilli() - failedAt.toEpochMilli();
            assertThat(policy.retryAt(failedAt, failures, JOB)).isEqualTo(policy.retryAt(failedAt, failures, JOB));
        }

        assertThat(delays[0]).isBetween(500L, 1_000L);
        assertThat(delays[1]).isBetween(1_500L, 3_000L);
        assertThat(delays[2]).isBetween(4_500L, 9_000L);
        assertThat(delays[3]).isBetween(10_000L, 20_000L);
        assertThat(delays[4]).isBetween(10_000L, 20_000L);
        long distinct = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> policy.retryAt(failedAt, 1, "job-" + i)).distinct().count();
        assertThat(distinct).as("jitter spreads jobs failing together").isGreaterThan(40);
    }

    @Test
    void shouldTakeAHeartbeatOfTheCurrentAttemptWithoutAnEventAndRejectAStaleOne() {
        DeciderFixture fixture = given(running(TIMEOUTS));

        Decision decision = fixture.when(at(t(30)).heartbeat(JOB, WORKER, 1, 1));

        assertThat(decision.rejection()).isNull();
        assertThat(decision.events()).isEmpty();
        assertThat(decision.state().lastReportAt()).isEqualTo(t(30));
        assertThat(fixture.thenRejected(at(t(31)).heartbeat(JOB, WORKER, 0, 1))).contains("stale attempt");
    }

    @Test
    void shouldTimeOutAnAttemptWhoseWorkerStoppedReporting() {
        DeciderFixture fixture = given(running(TIMEOUTS));
        JobDecider decider = decider();

        assertThat(decider.timeoutCommand(fixture.state(), t(3).plusMillis(5_000), t(0))).isNull();
        JobCommand fail = decider.timeoutCommand(fixture.state(), t(3).plusMillis(5_001), t(0));

        assertThat(fail).isNotNull();
        FailJob payload = (FailJob) fail.getPayload();
        assertThat(payload.getAttempt()).isEqualTo(1);
        assertThat(payload.getRetryable()).isTrue();
        assertThat(payload.getError()).contains("no heartbeat for 5000 ms");
        assertThat(fail.getIssuedBy()).isEqualTo(JobDecider.ISSUER);
        fixture.thenAccepted(fail, AttemptFailed.class);
    }

    @Test
    void shouldKeepAnAttemptThatReportsAliveUntilItsStageTimeout() {
        DeciderFixture fixture = given(running(TIMEOUTS));
        JobDecider decider = decider();
        for (int s = 7; s <= 19; s += 4) {
            fixture.thenAccepted(at(t(s)).progress(JOB, WORKER, 1, 1, s, null), ProgressReported.class);
            assertThat(decider.timeoutCommand(fixture.state(), t(s + 1), t(0))).isNull();
        }

        JobCommand fail = decider.timeoutCommand(fixture.state(), t(3).plusMillis(20_001), t(0));

        assertThat(((FailJob) fail.getPayload()).getError()).contains("Stage 1 (stage-1) timed out");
    }

    @Test
    void shouldTimeOutAnAttemptThatRunsLongerThanTheJobTimeout() {
        Policy jobTimeoutOnly = Policy.SINGLE_ATTEMPT.withTimeouts(10_000L, null, null);
        DeciderFixture fixture = given(running(jobTimeoutOnly));

        assertThat(decider().timeoutCommand(fixture.state(), t(2).plusMillis(10_000), t(0))).isNull();
        JobCommand fail = decider().timeoutCommand(fixture.state(), t(2).plusMillis(10_001), t(0));

        assertThat(((FailJob) fail.getPayload()).getError()).contains("job timeout of 10000 ms");
        fixture.thenAccepted(fail, JobFailed.class);
    }

    @Test
    void shouldTimeAnInheritedAttemptFromWhenThisDeciderTookItOver() {
        DeciderFixture fixture = given(running(TIMEOUTS));

        assertThat(decider().timeoutCommand(fixture.state(), t(100), t(97))).isNull();
        assertThat(decider().timeoutCommand(fixture.state(), t(100), t(94))).isNotNull();
    }

    @Test
    void shouldNeverTimeOutAJobThatIsNotRunning() {
        DeciderFixture fixture = given(EventLog.of(JOB).submitted("demo", "alice", TIMEOUTS, "stage-1"));

        assertThat(decider().timeoutCommand(fixture.state(), t(10_000), t(0))).isNull();
    }

    private static JobDecider decider() {
        AtomicInteger ids = new AtomicInteger();
        return new JobDecider(() -> "id-" + ids.incrementAndGet());
    }
}
