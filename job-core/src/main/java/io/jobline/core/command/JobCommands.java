package io.jobline.core.command;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import io.jobline.core.files.FileRefs;
import io.jobline.core.policy.Policy;
import io.jobline.schemas.command.CancelJob;
import io.jobline.schemas.command.CompleteJob;
import io.jobline.schemas.command.CompleteStage;
import io.jobline.schemas.command.DeleteJob;
import io.jobline.schemas.command.FailJob;
import io.jobline.schemas.command.Heartbeat;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.ReleaseJob;
import io.jobline.schemas.command.ReportProgress;
import io.jobline.schemas.command.RetryJob;
import io.jobline.schemas.command.StartJob;
import io.jobline.schemas.command.StartStage;
import io.jobline.schemas.command.SubmitJob;
import io.jobline.schemas.common.Notify;
import io.jobline.worker.StoredFile;

/** Builds command envelopes: a fresh command id, the time, and who issued it. */
public final class JobCommands {

    private final Clock clock;

    public JobCommands(Clock clock) {
        this.clock = clock;
    }

    public JobCommand submit(String jobId, String owner, String type, String input, List<StoredFile> files, List<String> stages) {
        return submit(jobId, owner, type, input, files, stages, SubmitOptions.NONE);
    }

    public JobCommand submit(String jobId, String owner, String type, String input, List<StoredFile> files,
                             List<String> stages, SubmitOptions options) {
        return envelope(jobId, owner, new SubmitJob(type, owner, input, FileRefs.toRefs(files), stages,
                options.policy().toAvro(), options.idempotencyKey(), options.requestHash(), options.dedupKey(),
                options.priority(), options.typeVersion(), options.concurrencyLimit(), options.dynamicStages(), options.webhook()));
    }

    public JobCommand cancel(String jobId, String issuedBy, String reason) {
        return envelope(jobId, issuedBy, new CancelJob(reason));
    }

    public JobCommand retry(String jobId, String issuedBy, String reason) {
        return envelope(jobId, issuedBy, new RetryJob(reason));
    }

    public JobCommand delete(String jobId, String issuedBy, String reason) {
        return envelope(jobId, issuedBy, new DeleteJob(reason));
    }

    public JobCommand start(String jobId, String workerId, int expectedAttempt) {
        return envelope(jobId, workerId, new StartJob(expectedAttempt, workerId));
    }

    public JobCommand startStage(String jobId, String workerId, int attempt, int stage, String name) {
        return envelope(jobId, workerId, new StartStage(attempt, stage, name));
    }

    public JobCommand progress(String jobId, String workerId, int attempt, int stage, int progress, String message) {
        return envelope(jobId, workerId, new ReportProgress(attempt, stage, progress, message));
    }

    public JobCommand completeStage(String jobId, String workerId, int attempt, int stage, String checkpoint) {
        return completeStage(jobId, workerId, attempt, stage, checkpoint, null);
    }

    /** @param nextStages the stages still to run after this one, replacing the rest of the plan; null: unchanged */
    public JobCommand completeStage(String jobId, String workerId, int attempt, int stage, String checkpoint,
                                    List<String> nextStages) {
        return envelope(jobId, workerId, new CompleteStage(attempt, stage, checkpoint, nextStages));
    }

    public JobCommand complete(String jobId, String workerId, int attempt, String resultJson, List<StoredFile> artifacts) {
        return envelope(jobId, workerId, new CompleteJob(attempt, resultJson, FileRefs.toRefs(artifacts)));
    }

    public JobCommand fail(String jobId, String workerId, int attempt, String error, Integer stage) {
        return fail(jobId, workerId, attempt, error, stage, false);
    }

    /** A failed attempt; a retryable one is tried again while the job's policy allows more attempts. */
    public JobCommand fail(String jobId, String workerId, int attempt, String error, Integer stage, boolean retryable) {
        return envelope(jobId, workerId, new FailJob(attempt, error, stage, retryable));
    }

    public JobCommand release(String jobId, String workerId, int attempt, String reason) {
        return envelope(jobId, workerId, new ReleaseJob(attempt, reason));
    }

    public JobCommand heartbeat(String jobId, String workerId, int attempt, int stage) {
        return envelope(jobId, workerId, new Heartbeat(attempt, stage));
    }

    /**
     * What a submit carries besides the job itself.
     *
     * @param idempotencyKey the caller's Idempotency-Key, or null
     * @param requestHash    SHA-256 of the request, or null
     * @param dedupKey       the job type's duplicate-run key for this input, or null
     * @param priority       higher is handed out first, -100 to 100
     * @param typeVersion    the version of a declared job type, or null for a built-in one
     * @param concurrencyLimit most jobs of the type running at once across the cluster, or null
     * @param dynamicStages  whether the job's worker may change the rest of its plan as it goes
     * @param webhook        the job's own webhook, or null
     */
    public record SubmitOptions(Policy policy, String idempotencyKey, String requestHash, String dedupKey,
                                int priority, Integer typeVersion, Integer concurrencyLimit, boolean dynamicStages,
                                Notify webhook) {
        public static final SubmitOptions NONE = new SubmitOptions(Policy.SINGLE_ATTEMPT, null, null, null);

        public SubmitOptions(Policy policy, String idempotencyKey, String requestHash, String dedupKey) {
            this(policy, idempotencyKey, requestHash, dedupKey, 0, null, null);
        }

        /** A job with a fixed plan. */
        public SubmitOptions(Policy policy, String idempotencyKey, String requestHash, String dedupKey,
                             int priority, Integer typeVersion, Integer concurrencyLimit) {
            this(policy, idempotencyKey, requestHash, dedupKey, priority, typeVersion, concurrencyLimit, false);
        }

        public SubmitOptions(Policy policy, String idempotencyKey, String requestHash, String dedupKey,
                             int priority, Integer typeVersion, Integer concurrencyLimit, boolean dynamicStages) {
            this(policy, idempotencyKey, requestHash, dedupKey, priority, typeVersion, concurrencyLimit, dynamicStages, null);
        }
    }

    private JobCommand envelope(String jobId, String issuedBy, Object payload) {
        return JobCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setJobId(jobId)
                .setTimestamp(clock.instant())
                .setIssuedBy(issuedBy)
                .setPayload(payload)
                .build();
    }
}
