package io.jobline.worker;

/**
 * How a job type's jobs are retried and timed out, unless the submitter overrides it. The service checks it when a
 * job is submitted: at least one attempt, non-negative delays and a multiplier of at least 1.
 *
 * @param maxAttempts        attempts that may fail (an error or a timeout) before the job fails; 1: no retry
 * @param backoffInitialMs   delay before the first retry; each further retry waits {@code backoffMultiplier} times
 *                           longer, up to {@code backoffMaxMs}
 * @param jobTimeoutMs       longest one attempt may run; null: no limit
 * @param stageTimeoutMs     longest one stage may run; null: no limit
 * @param heartbeatTimeoutMs longest a running attempt may go without a report; null: no limit
 */
public record JobPolicy(
        int maxAttempts,
        long backoffInitialMs,
        double backoffMultiplier,
        long backoffMaxMs,
        Long jobTimeoutMs,
        Long stageTimeoutMs,
        Long heartbeatTimeoutMs) {

    /**
     * One attempt and a 60 s heartbeat timeout, so an attempt whose worker went silent does not stay running; the
     * backoff applies only once a type or a submitter allows more attempts.
     */
    public static final JobPolicy DEFAULT = new JobPolicy(1, 1_000, 2.0, 300_000, null, null, 60_000L);

    public JobPolicy withMaxAttempts(int value) {
        return new JobPolicy(value, backoffInitialMs, backoffMultiplier, backoffMaxMs, jobTimeoutMs, stageTimeoutMs,
                heartbeatTimeoutMs);
    }
}
