package io.jobline.core.lifecycle;

import static io.jobline.core.lifecycle.JobStatus.CANCELLED;
import static io.jobline.core.lifecycle.JobStatus.COMPLETED;
import static io.jobline.core.lifecycle.JobStatus.DELETED;
import static io.jobline.core.lifecycle.JobStatus.FAILED;
import static io.jobline.core.lifecycle.JobStatus.PENDING;
import static io.jobline.core.lifecycle.JobStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jobline.schemas.event.AttemptFailed;
import io.jobline.schemas.event.JobCancelled;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobDeleted;
import io.jobline.schemas.event.JobFailed;
import io.jobline.schemas.event.JobRetried;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.JobSubmitted;
import io.jobline.schemas.event.ProgressReported;
import io.jobline.schemas.event.StageCompleted;
import io.jobline.schemas.event.StageStarted;

class JobTransitionsTest {

    private static final Map<JobStatus, Set<JobStatus>> EXPECTED = Map.of(
            PENDING, EnumSet.of(RUNNING, CANCELLED, DELETED),
            RUNNING, EnumSet.of(PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, DELETED),
            COMPLETED, EnumSet.of(DELETED),
            FAILED, EnumSet.of(PENDING, DELETED),
            CANCELLED, EnumSet.of(PENDING, DELETED),
            DELETED, EnumSet.noneOf(JobStatus.class));

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void shouldAllowExactlyTheTabledTransitionsFromEveryStatus(JobStatus from) {
        for (JobStatus to : JobStatus.values()) {
            assertThat(JobTransitions.isAllowed(from, to)).as(from + " -> " + to).isEqualTo(EXPECTED.get(from).contains(to));
        }
        assertThat(JobTransitions.allowedFrom(from)).isEqualTo(EXPECTED.get(from));
    }

    @Test
    void shouldLetANewJobEnterOnlyAsPending() {
        assertThat(Arrays.stream(JobStatus.values()).filter(to -> JobTransitions.isAllowed(null, to))).containsExactly(PENDING);
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void shouldAcceptWorkReportsOnlyWhileRunning(JobStatus from) {
        for (Object report : List.of(new StageStarted(1, "s"), new ProgressReported(1, 5, "m"), new StageCompleted(1, "s", null, null))) {
            assertThat(EventStatus.mayFollow(from, report)).as(from + " then " + report.getClass().getSimpleName())
                    .isEqualTo(from == RUNNING);
        }
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void shouldMapEveryStatusChangingEventThroughTheTable(JobStatus from) {
        Map<Object, JobStatus> events = Map.of(
                new JobSubmitted("t", "o", "{}", List.of(), List.of("s"), null, null, null, null, 0, null, null, false, null), PENDING,
                new JobStarted("w", 1, null), RUNNING,
                new JobCompleted(null, List.of()), COMPLETED,
                new JobFailed("e", null, false, false), FAILED,
                new JobCancelled(null, null), CANCELLED,
                new JobDeleted(null, null), DELETED);
        events.forEach((event, to) -> {
            assertThat(EventStatus.of(event)).isEqualTo(to);
            assertThat(EventStatus.mayFollow(from, event)).as(from + " then " + event.getClass().getSimpleName())
                    .isEqualTo(JobTransitions.isAllowed(from, to));
        });
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void shouldLetAFailedAttemptFollowOnlyARunningJobAndAHandRetryOnlyAFailedOrCancelledOne(JobStatus from) {
        Object attemptFailed = new AttemptFailed("e", 1, java.time.Instant.EPOCH, false);
        assertThat(EventStatus.of(attemptFailed)).isEqualTo(PENDING);
        assertThat(EventStatus.mayFollow(from, attemptFailed)).as(from + " then AttemptFailed").isEqualTo(from == RUNNING);
        Object retried = new JobRetried(null, null, null);
        assertThat(EventStatus.of(retried)).isEqualTo(PENDING);
        assertThat(EventStatus.mayFollow(from, retried)).as(from + " then JobRetried")
                .isEqualTo(from == FAILED || from == CANCELLED);
    }

    @Test
    void shouldCallOnlyPendingAndRunningActiveAndOnlyTerminalOnesFinished() {
        assertThat(EnumSet.allOf(JobStatus.class).stream().filter(JobStatus::isActive)).containsExactlyInAnyOrder(PENDING, RUNNING);
        assertThat(EnumSet.allOf(JobStatus.class).stream().filter(JobStatus::isFinished))
                .containsExactlyInAnyOrder(COMPLETED, FAILED, CANCELLED);
    }
}
