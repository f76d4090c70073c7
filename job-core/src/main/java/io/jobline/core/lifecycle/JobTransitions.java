package io.jobline.core.lifecycle;

import static io.jobline.core.lifecycle.JobStatus.CANCELLED;
import static io.jobline.core.lifecycle.JobStatus.COMPLETED;
import static io.jobline.core.lifecycle.JobStatus.DELETED;
import static io.jobline.core.lifecycle.JobStatus.FAILED;
import static io.jobline.core.lifecycle.JobStatus.PENDING;
import static io.jobline.core.lifecycle.JobStatus.RUNNING;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle as data: which status may follow which. A new job enters as PENDING. RUNNING may follow RUNNING
 * (a new attempt after the previous worker was lost); PENDING follows RUNNING when a failed attempt waits for its
 * automatic retry. A failed or cancelled job may be retried (PENDING again) or
 * deleted; nothing but a deletion follows a completed one.
 */
public final class JobTransitions {

    private static final Map<JobStatus, Set<JobStatus>> ALLOWED = new EnumMap<>(JobStatus.class);

    static {
        ALLOWED.put(PENDING, EnumSet.of(RUNNING, CANCELLED, DELETED));
        ALLOWED.put(RUNNING, EnumSet.of(PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, DELETED));
        ALLOWED.put(COMPLETED, EnumSet.of(DELETED));
        ALLOWED.put(FAILED, EnumSet.of(PENDING, DELETED));
        ALLOWED.put(CANCELLED, EnumSet.of(PENDING, DELETED));
        ALLOWED.put(DELETED, EnumSet.noneOf(JobStatus.class));
    }

    private JobTransitions() {
    }

    /** Whether a job in {@code from} (null: the job does not exist yet) may move to {@code to}. */
    public static boolean isAllowed(JobStatus from, JobStatus to) {
        return from == null ? to == PENDING : ALLOWED.get(from).contains(to);
    }

    public static Set<JobStatus> allowedFrom(JobStatus from) {
        return from == null ? EnumSet.of(PENDING) : EnumSet.copyOf(ALLOWED.get(from));
    }
}
