package io.jobline.projections.view;

import java.time.Instant;
import java.util.List;

import io.jobline.core.lifecycle.JobStatus;
import io.jobline.worker.StoredFile;

/**
 * A job as clients see it: the fold of its events by {@link JobViewFold}.
 *
 * @param stage        name of the current (or last) stage, null before the first
 * @param stageNumber  1-based number of that stage, 0 before the first
 * @param stagesTotal  the size of the plan; with dynamic stages, as the worker last declared it
 * @param stages       the plan: the stages run so far, then the rest as planned
 * @param resultJson   the result as JSON text when it was small enough to travel in the event
 * @param lastSequence sequence number of the last event folded in
 * @param errors       every failed attempt's error, oldest first; kept across retries
 * @param nextAttemptAt when a pending job's automatic retry is due, null otherwise
 * @param requestHash  SHA-256 of the submit request, to answer a replayed Idempotency-Key
 * @param dynamicStages whether its worker may replace the rest of the plan as it goes; null in a view stored before
 * @param typeVersion  the version of the declared job type it was submitted with (and runs, whatever the type became
 *                     since); null for a built-in type, and in a view stored before it was kept
 * @param timedOut     whether its last failed attempt (the one that made it pending again, or failed) hit a timeout;
 *                     null in a view stored before it was kept
 */
public record JobView(
        String jobId,
        String type,
        String owner,
        JobStatus status,
        int progress,
        String progressMessage,
        String stage,
        int stageNumber,
        int stagesTotal,
        List<StageView> stages,
        int attempt,
        String error,
        String input,
        List<StoredFile> files,
        List<StoredFile> artifacts,
        String resultJson,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Instant updatedAt,
        long lastSequence,
        List<AttemptError> errors,
        Instant nextAttemptAt,
        int maxAttempts,
        String idempotencyKey,
        String requestHash,
        String dedupKey,
        String workerId,
        Long heartbeatTimeoutMs,
        Integer priority,
        Boolean dynamicStages,
        Integer typeVersion,
        Boolean timedOut) {

    /** The priority, also of a view stored before priorities existed. */
    public int effectivePriority() {
        return priority == null ? 0 : priority;
    }

    /** Whether its worker may replace the rest of the plan, also for a view stored before dynamic stages existed. */
    public boolean hasDynamicStages() {
        return Boolean.TRUE.equals(dynamicStages);
    }
}
