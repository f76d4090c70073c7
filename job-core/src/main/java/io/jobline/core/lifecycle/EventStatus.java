package io.jobline.core.lifecycle;

import io.jobline.schemas.event.AttemptFailed;
import io.jobline.schemas.event.JobCancelled;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobDeleted;
import io.jobline.schemas.event.JobFailed;
import io.jobline.schemas.event.JobReleased;
import io.jobline.schemas.event.JobRetried;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.JobSubmitted;

/**
 * The status an event moves a job to; events that report work inside a run keep the job RUNNING. A failed attempt
 * with a retry scheduled makes the job PENDING again until the retry is due; a job its worker released is PENDING again at once.
 */
public final class EventStatus {

    private EventStatus() {
    }

    public static JobStatus of(Object payload) {
        if (payload instanceof JobSubmitted || payload instanceof JobRetried || payload instanceof AttemptFailed
                || payload instanceof JobReleased) {
            return JobStatus.PENDING;
        } else if (payload instanceof JobStarted) {
            return JobStatus.RUNNING;
        } else if (payload instanceof JobCompleted) {
            return JobStatus.COMPLETED;
        } else if (payload instanceof JobFailed) {
            return JobStatus.FAILED;
        } else if (payload instanceof JobCancelled) {
            return JobStatus.CANCELLED;
        } else if (payload instanceof JobDeleted) {
            return JobStatus.DELETED;
        }
        return JobStatus.RUNNING;
    }

    /**
     * Whether {@code payload} may be applied to a job in {@code current}: a status change allowed by
     * {@link JobTransitions}, or a report of work while the job is RUNNING. A failed attempt follows only a running
     * one, and so does a release; a retry by hand only a failed or cancelled one.
     */
    public static boolean mayFollow(JobStatus current, Object payload) {
        if (payload instanceof AttemptFailed || payload instanceof JobReleased) {
            return current == JobStatus.RUNNING;
        }
        if (payload instanceof JobRetried) {
            return current == JobStatus.FAILED || current == JobStatus.CANCELLED;
        }
        JobStatus next = of(payload);
        boolean changesStatus = payload instanceof JobSubmitted || payload instanceof JobStarted || next != JobStatus.RUNNING;
        return changesStatus ? JobTransitions.isAllowed(current, next) : current == JobStatus.RUNNING;
    }
}
