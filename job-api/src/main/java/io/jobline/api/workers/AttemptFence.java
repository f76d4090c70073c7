package io.jobline.api.workers;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import io.jobline.api.problem.ApiException;
import io.jobline.api.status.JobLookup;
import io.jobline.api.workers.registry.ExternalWorkers;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.projections.view.JobView;

/**
 * Answers a call of an attempt that is no longer current with 409 and why, before anything is appended. The view
 * may lag the decider by a commit: an attempt newer than the view's is let through, and the decider, which fences
 * every report by its attempt, has the last word.
 */
@Component
class AttemptFence {

    /** Why a call of an attempt is refused: the problem's {@code reason}. */
    enum Reason {
        SUPERSEDED, CANCELLED, TIMED_OUT, FINISHED;

        String wireName() {
            return name().toLowerCase();
        }
    }

    private final JobLookup lookup;
    private final HandedOut handedOut;
    private final ExternalWorkers workers;

    AttemptFence(JobLookup lookup, HandedOut handedOut, ExternalWorkers workers) {
        this.lookup = lookup;
        this.handedOut = handedOut;
        this.workers = workers;
    }

    /**
     * The attempt, when a call of it may go on; throws 404 or 409 otherwise. When this instance has no view of the
     * job but handed the attempt out itself, the call goes on as the task said, and the decider fences it. Every
     * call tells the worker registry that its worker is alive and holds the attempt, or no longer holds it.
     */
    CurrentAttempt check(String jobId, int attempt) {
        java.util.Optional<JobView> found = lookup.find(io.jobline.api.status.JobIds.require(jobId));
        java.util.Optional<CurrentAttempt> handed = handedOut.find(jobId, attempt);
        if (found.isEmpty() && handed.isPresent()) {
            workers.holds(handed.get().workerId(), jobId, attempt);
            return handed.get();
        }
        JobView job = found.isPresent() ? found.get() : lookup.require(jobId);
        Reason reason = reason(job, attempt);
        if (reason != null) {
            workers.released(jobId, attempt);
            throw refused(job, attempt, reason);
        }
        CurrentAttempt current = CurrentAttempt.of(job, attempt);
        // A view behind the attempt names the previous attempt's worker: only the hand-out knows this one's.
        String worker = attempt == job.attempt() ? current.workerId() : handed.map(CurrentAttempt::workerId).orElse(null);
        if (worker != null) {
            workers.holds(worker, jobId, attempt);
        }
        return current;
    }

    /** Null when the attempt is current (or newer than the view knows). */
    static Reason reason(JobView job, int attempt) {
        if (attempt < job.attempt()) {
            return Reason.SUPERSEDED;
        }
        if (attempt > job.attempt() || job.status() == JobStatus.RUNNING) {
            return null;
        }
        return switch (job.status()) {
            case CANCELLED -> Reason.CANCELLED;
            case PENDING -> Reason.TIMED_OUT;
            case FAILED -> Boolean.TRUE.equals(job.timedOut()) ? Reason.TIMED_OUT : Reason.FINISHED;
            default -> Reason.FINISHED;
        };
    }

    static ApiException refused(JobView job, int attempt, Reason reason) {
        String detail = switch (reason) {
            case SUPERSEDED -> "Attempt " + attempt + " of job " + job.jobId() + " was superseded by attempt "
                    + job.attempt() + " (its lease expired): stop, and send nothing more for it";
            case CANCELLED -> "Job " + job.jobId() + " was cancelled: stop attempt " + attempt;
            case TIMED_OUT -> "Attempt " + attempt + " of job " + job.jobId() + " ended without its worker: "
                    + (job.error() == null ? "released" : job.error());
            case FINISHED -> "Job " + job.jobId() + " is already " + job.status().wireName();
        };
        return new ApiException(HttpStatus.CONFLICT, "Attempt no longer current", detail,
                Map.of("reason", reason.wireName(), "job_id", job.jobId(), "attempt", attempt,
                        "current_attempt", job.attempt(), "job_status", job.status().wireName()));
    }
}
