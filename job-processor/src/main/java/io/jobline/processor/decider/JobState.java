package io.jobline.processor.decider;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.jobline.core.files.FileRefs;
import io.jobline.core.lifecycle.EventStatus;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.policy.Policy;
import io.jobline.schemas.event.AttemptFailed;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobFailed;
import io.jobline.schemas.event.JobReleased;
import io.jobline.schemas.event.JobRetried;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.JobSubmitted;
import io.jobline.schemas.event.StageCompleted;
import io.jobline.schemas.event.StageStarted;
import io.jobline.worker.StoredFile;

/**
 * What the decider knows of one job: the fold of its events. Changes only through {@link #apply(JobEvent)}, and
 * through {@link #heartbeat(Instant)}, which appends nothing.
 *
 * @param status            null while the job does not exist
 * @param attempt           0 before the first start; each start is a new attempt
 * @param sequence          the sequence number of the last event applied
 * @param stages            the plan: names of the stages, in order; for a job with dynamic stages, the stages completed
 *                          so far and then the rest as its worker last declared it
 * @param stage             the stage the current attempt is in (1-based), 0 before its first stage
 * @param completedStages   how many stages have completed, across attempts (a new attempt resumes after them)
 * @param checkpoint        the checkpoint of the last completed stage
 * @param error             the error of the last failed attempt, if any
 * @param failures          attempts that failed since the job was submitted or last retried by hand
 * @param retryAt           when a pending job's next attempt is due; null: at once
 * @param attemptStartedAt  when the current attempt started
 * @param stageStartedAt    when the current stage started
 * @param lastReportAt      when the current attempt last reported (any command, or a heartbeat)
 * @param restarts          times the running job was taken over from a lost worker since a stage last completed
 *                          (or since it was submitted or retried by hand); never null, boxed only so that states
 *                          stored before it existed still read
 * @param priority          higher is handed out first (-100 to 100); never null, boxed for states stored before it
 * @param typeVersion       the version of the declared job type it was submitted with; null for a built-in type
 * @param concurrencyLimit  most jobs of its type running at once, from the type's definition; null: no limit
 * @param dynamicStages     whether its worker may replace the rest of the plan as it goes; never null, boxed for
 *                          states stored before it
 * @param traceParent       the W3C trace context its work is traced under (that of the decision that accepted it);
 *                          null when it was submitted with tracing off
 * @param dedupKey          the job type's duplicate-run key for its input, or null: while the job is pending or running,
 *                          the decider refuses another job of its type with the same key
 */
public record JobState(
        String jobId,
        JobStatus status,
        String type,
        String owner,
        String input,
        List<StoredFile> files,
        List<String> stages,
        int attempt,
        long sequence,
        String workerId,
        int stage,
        int completedStages,
        String checkpoint,
        String error,
        Policy policy,
        int failures,
        Instant retryAt,
        Instant attemptStartedAt,
        Instant stageStartedAt,
        Instant lastReportAt,
        Integer restarts,
        Integer priority,
        Integer typeVersion,
        Integer concurrencyLimit,
        Boolean dynamicStages,
        String traceParent,
        String dedupKey) {

    public JobState {
        if (restarts == null) {
            restarts = 0; // a state stored before restarts were counted
        }
        if (priority == null) {
            priority = 0;
        }
        if (dynamicStages == null) {
            dynamicStages = false;
        }
    }

    /** A job without a dedup key. */
    public JobState(String jobId, JobStatus status, String type, String owner, String input, List<StoredFile> files,
                    List<String> stages, int attempt, long sequence, String workerId, int stage, int completedStages,
                    String checkpoint, String error, Policy policy, int failures, Instant retryAt,
                    Instant attemptStartedAt, Instant stageStartedAt, Instant lastReportAt, Integer restarts,
                    Integer priority, Integer typeVersion, Integer concurrencyLimit, Boolean dynamicStages,
                    String traceParent) {
        this(jobId, status, type, owner, input, files, stages, attempt, sequence, workerId, stage, completedStages,
                checkpoint, error, policy, failures, retryAt, attemptStartedAt, stageStartedAt, lastReportAt, restarts,
                priority, typeVersion, concurrencyLimit, dynamicStages, traceParent, null);
    }

    /** A job with a fixed plan, as every job of a built-in type has (Offers.started builds one). */
    public JobState(String jobId, JobStatus status, String type, String owner, String input, List<StoredFile> files,
                    List<String> stages, int attempt, long sequence, String workerId, int stage, int completedStages,
                    String checkpoint, String error, Policy policy, int failures, Instant retryAt,
                    Instant attemptStartedAt, Instant stageStartedAt, Instant lastReportAt, Integer restarts,
                    Integer priority, Integer typeVersion, Integer concurrencyLimit) {
        this(jobId, status, type, owner, input, files, stages, attempt, sequence, workerId, stage, completedStages,
                checkpoint, error, policy, failures, retryAt, attemptStartedAt, stageStartedAt, lastReportAt, restarts,
                priority, typeVersion, concurrencyLimit, false, null);
    }

    public static JobState empty(String jobId) {
        return new JobState(jobId, null, null, null, null, List.of(), List.of(), 0, 0, null, 0, 0, null, null,
                Policy.SINGLE_ATTEMPT, 0, null, null, null, null, 0, 0, null, null, false, null, null);
    }

    /** A waiting job gains one priority point per this much time waited, so low priorities are not starved. */
    public static final Duration AGING_STEP = Duration.ofSeconds(30);

    /**
     * The job's priority plus one for every {@link #AGING_STEP} it has waited since it became pending: a job of
     * priority -100 overtakes a stream of priority-100 jobs after at most 100 minutes.
     */
    public long effectivePriority(Instant now) {
        Instant since = lastReportAt;
        long waited = since == null || since.isAfter(now) ? 0 : Duration.between(since, now).toMillis() / AGING_STEP.toMillis();
        return priority + waited;
    }

    /**
     * Orders pending jobs as {@link #effectivePriority} does at any one time (to within one aging step), without a
     * clock: every waiting job ages at the same rate, so the order does not change as time passes. Higher first.
     */
    public long rank() {
        long since = lastReportAt == null ? 0 : lastReportAt.toEpochMilli();
        return (long) priority * AGING_STEP.toMillis() - since;
    }

    public boolean exists() {
        return status != null;
    }

    public boolean isActive() {
        return status != null && status.isActive();
    }

    /** The policy, also for a state stored before policies existed. */
    public Policy effectivePolicy() {
        return policy == null ? Policy.SINGLE_ATTEMPT : policy;
    }

    /** This state, traced under {@code traceParent} from now on. */
    public JobState withTraceParent(String traceParent) {
        return new JobState(jobId, status, type, owner, input, files, stages, attempt, sequence, workerId, stage,
                completedStages, checkpoint, error, policy, failures, retryAt, attemptStartedAt, stageStartedAt,
                lastReportAt, restarts, priority, typeVersion, concurrencyLimit, dynamicStages, traceParent, dedupKey);
    }

    public JobState apply(JobEvent event) {
        Object payload = event.getPayload();
        Instant at = event.getTimestamp();
        Builder next = new Builder(this, EventStatus.of(payload), event);
        if (payload instanceof JobSubmitted submitted) {
            return new JobState(jobId, next.status, submitted.getType(), submitted.getOwner(), submitted.getInput(),
                    FileRefs.toStored(submitted.getFiles()), List.copyOf(submitted.getStages()), event.getAttempt(),
                    event.getSequence(), null, 0, 0, null, null, Policy.of(submitted.getPolicy()), 0, null, null,
                    null, at, 0, submitted.getPriority(), submitted.getTypeVersion(), submitted.getConcurrencyLimit(),
                    submitted.getDynamicStages(), traceParent, submitted.getDedupKey());
        } else if (payload instanceof JobStarted started) {
            if (status == JobStatus.RUNNING) {
                next.restarts = restarts + 1; // a new attempt of a running job: its worker was lost
            }
            next.workerId = started.getWorkerId();
            next.stage = started.getFirstStage() - 1;
            next.retryAt = null;
            next.attemptStartedAt = at;
            next.stageStartedAt = at;
        } else if (payload instanceof StageStarted stageStarted) {
            next.stage = stageStarted.getStage();
            next.stageStartedAt = at;
        } else if (payload instanceof StageCompleted completed) {
            next.completedStages = completed.getStage();
            next.checkpoint = completed.getCheckpoint();
            next.restarts = 0;
            if (completed.getNextStages() != null) {
                next.stages = replanned(completed.getStage(), completed.getNextStages());
            }
        } else if (payload instanceof AttemptFailed failed) {
            next.error = failed.getError();
            next.failures = failures + 1;
            next.retryAt = failed.getRetryAt();
        } else if (payload instanceof JobFailed failed) {
            next.error = failed.getError();
            next.failures = failures + 1;
        } else if (payload instanceof JobReleased) {
            next.workerId = null;
            next.retryAt = null;
        } else if (payload instanceof JobRetried) {
            next.failures = 0;
            next.retryAt = null;
            next.restarts = 0;
        }
        return next.build();
    }

    /** The stages up to and including {@code stage}, then {@code nextStages}. */
    private List<String> replanned(int stage, List<String> nextStages) {
        List<String> plan = new ArrayList<>(stages.subList(0, Math.min(stage, stages.size())));
        plan.addAll(nextStages);
        return List.copyOf(plan);
    }

    /** The current attempt reported without appending an event. */
    JobState heartbeat(Instant at) {
        Builder next = new Builder(this, status, null);
        next.lastReportAt = at;
        return next.build();
    }

    /** The mutable copy one fold step edits. */
    private static final class Builder {
        private final JobState from;
        final JobStatus status;
        final int attempt;
        final long sequence;
        List<String> stages;
        String workerId;
        int stage;
        int completedStages;
        String checkpoint;
        String error;
        int failures;
        Instant retryAt;
        Instant attemptStartedAt;
        Instant stageStartedAt;
        Instant lastReportAt;
        int restarts;

        Builder(JobState from, JobStatus status, JobEvent event) {
            this.from = from;
            this.status = status;
            this.attempt = event == null ? from.attempt : event.getAttempt();
            this.sequence = event == null ? from.sequence : event.getSequence();
            this.stages = from.stages;
            this.workerId = from.workerId;
            this.stage = from.stage;
            this.completedStages = from.completedStages;
            this.checkpoint = from.checkpoint;
            this.error = from.error;
            this.failures = from.failures;
            this.retryAt = from.retryAt;
            this.attemptStartedAt = from.attemptStartedAt;
            this.stageStartedAt = from.stageStartedAt;
            this.lastReportAt = event == null ? from.lastReportAt : event.getTimestamp();
            this.restarts = from.restarts;
        }

        JobState build() {
            return new JobState(from.jobId, status, from.type, from.owner, from.input, from.files, stages, attempt,
                    sequence, workerId, stage, completedStages, checkpoint, error, from.policy, failures, retryAt,
                    attemptStartedAt, stageStartedAt, lastReportAt, restarts, from.priority, from.typeVersion,
                    from.concurrencyLimit, from.dynamicStages, from.traceParent, from.dedupKey);
        }
    }
}
