package io.jobline.processor.decider;

import java.time.Duration;
import java.time.Instant;

import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.policy.Policy;

/** Which of its policy's timeouts a running attempt has hit, if any. */
final class Timeouts {

    private Timeouts() {
    }

    /**
     * Why the running attempt must stop at {@code now}, or null. Each clock starts no earlier than {@code notBefore}.
     */
    static String expired(JobState job, Instant now, Instant notBefore) {
        if (job.status() != JobStatus.RUNNING) {
            return null;
        }
        Policy policy = job.effectivePolicy();
        if (over(policy.jobTimeoutMs(), job.attemptStartedAt(), now, notBefore)) {
            return "Attempt " + job.attempt() + " timed out: it ran longer than the job timeout of "
                    + policy.jobTimeoutMs() + " ms";
        }
        if (job.stage() > job.completedStages() && over(policy.stageTimeoutMs(), job.stageStartedAt(), now, notBefore)) {
            return "Stage " + job.stage() + " (" + job.stages().get(job.stage() - 1) + ") timed out: it ran longer than "
                    + policy.stageTimeoutMs() + " ms";
        }
        if (over(policy.heartbeatTimeoutMs(), job.lastReportAt(), now, notBefore)) {
            return "Worker " + job.workerId() + " sent no heartbeat for " + policy.heartbeatTimeoutMs()
                    + " ms; the attempt is presumed lost";
        }
        return null;
    }

    private static boolean over(Long limitMs, Instant since, Instant now, Instant notBefore) {
        if (limitMs == null || since == null) {
            return false;
        }
        Instant from = since.isBefore(notBefore) ? notBefore : since;
        return Duration.between(from, now).toMillis() > limitMs;
    }
}
