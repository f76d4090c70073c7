package io.jobline.core.policy;

import java.time.Instant;
import java.util.SplittableRandom;

import io.jobline.schemas.common.ExecutionPolicy;
import io.jobline.worker.JobPolicy;

/**
 * How one job is retried and timed out. A job type declares its defaults, a submitter may override them, and the
 * result travels in SubmitJob, so the decider never looks up code to decide.
 *
 * @param maxAttempts       attempts that may fail (an error or a timeout) before the job fails; 1: no retry
 * @param backoffInitialMs  delay before the first retry; each further retry waits {@code backoffMultiplier} times
 *                          longer, up to {@code backoffMaxMs}
 * @param jobTimeoutMs      longest one attempt may run; null: no limit
 * @param stageTimeoutMs    longest one stage may run; null: no limit
 * @param heartbeatTimeoutMs longest a running attempt may go without a report; null: no limit
 * @param maxRestarts       times a running job may be taken over from a lost worker (a crash, a lost partition)
 *                          without completing a stage in between; one more and it fails, as a job that probably
 *                          crashes its worker. Null: {@value #DEFAULT_MAX_RESTARTS}
 */
public record Policy(
        int maxAttempts,
        long backoffInitialMs,
        double backoffMultiplier,
        long backoffMaxMs,
        Long jobTimeoutMs,
        Long stageTimeoutMs,
        Long heartbeatTimeoutMs,
        Integer maxRestarts) {

    /**
     * Restarts without progress allowed when a policy does not say: Sidekiq Pro gives up on a job after 3 recoveries,
     * BullMQ after 1 stall; here only restarts with no stage completed in between count, and moving partitions
     * between instances restarts jobs too, so a few more.
     */
    public static final int DEFAULT_MAX_RESTARTS = 5;

    /** One attempt, no timeouts: what a job submitted without a policy gets. */
    public static final Policy SINGLE_ATTEMPT = new Policy(1, 1_000, 2.0, 300_000, null, null, null, null);

    public Policy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max_attempts must be at least 1");
        }
        if (backoffInitialMs < 0 || backoffMaxMs < 0 || backoffMultiplier < 1) {
            throw new IllegalArgumentException("backoff must be non-negative and the multiplier at least 1");
        }
        if (maxRestarts != null && maxRestarts < 0) {
            throw new IllegalArgumentException("max_restarts must be at least 0");
        }
    }

    /** {@link #maxRestarts}, or the default when the policy leaves it out. */
    public int effectiveMaxRestarts() {
        return maxRestarts == null ? DEFAULT_MAX_RESTARTS : maxRestarts;
    }

    public static Policy of(ExecutionPolicy avro) {
        if (avro == null) {
            return SINGLE_ATTEMPT;
        }
        return new Policy(avro.getMaxAttempts(), avro.getBackoffInitialMs(), avro.getBackoffMultiplier(),
                avro.getBackoffMaxMs(), avro.getJobTimeoutMs(), avro.getStageTimeoutMs(), avro.getHeartbeatTimeoutMs(),
                avro.getMaxRestarts());
    }

    /** A job type's policy; it leaves restarts to the default. */
    public static Policy of(JobPolicy type) {
        return new Policy(type.maxAttempts(), type.backoffInitialMs(), type.backoffMultiplier(), type.backoffMaxMs(),
                type.jobTimeoutMs(), type.stageTimeoutMs(), type.heartbeatTimeoutMs(), null);
    }

    public ExecutionPolicy toAvro() {
        return new ExecutionPolicy(maxAttempts, backoffInitialMs, backoffMultiplier, backoffMaxMs, jobTimeoutMs,
                stageTimeoutMs, heartbeatTimeoutMs, maxRestarts);
    }

    /**
     * When the retry after the {@code failures}-th failed attempt is due: exponential backoff with "equal jitter"
     * (half the delay fixed, half random), so retries of many jobs failing together spread out. The randomness is
     * seeded by the job and the failure count, so deciding the same failure again gives the same time.
     */
    public Instant retryAt(Instant failedAt, int failures, String jobId) {
        double exponential = backoffInitialMs * Math.pow(backoffMultiplier, Math.max(0, failures - 1));
        long delay = (long) Math.min(backoffMaxMs, exponential);
        long half = delay / 2;
        long jitter = half == 0 ? 0 : new SplittableRandom(jobId.hashCode() * 31L + failures).nextLong(half + 1);
        return failedAt.plusMillis(delay - half + jitter);
    }

    public Policy withMaxAttempts(int value) {
        return new Policy(value, backoffInitialMs, backoffMultiplier, backoffMaxMs, jobTimeoutMs, stageTimeoutMs,
                heartbeatTimeoutMs, maxRestarts);
    }

    public Policy withBackoff(long initialMs, double multiplier, long maxMs) {
        return new Policy(maxAttempts, initialMs, multiplier, maxMs, jobTimeoutMs, stageTimeoutMs, heartbeatTimeoutMs,
                maxRestarts);
    }

    public Policy withTimeouts(Long jobMs, Long stageMs, Long heartbeatMs) {
        return new Policy(maxAttempts, backoffInitialMs, backoffMultiplier, backoffMaxMs, jobMs, stageMs, heartbeatMs,
                maxRestarts);
    }

    public Policy withMaxRestarts(Integer value) {
        return new Policy(maxAttempts, backoffInitialMs, backoffMultiplier, backoffMaxMs, jobTimeoutMs, stageTimeoutMs,
                heartbeatTimeoutMs, value);
    }
}
