package io.jobline.processor.decider;

import java.util.List;

import io.jobline.processor.lifecycle.EventStatus;
import io.jobline.processor.lifecycle.JobStatus;
import io.jobline.processor.files.StoredFile;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobFailed;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.JobSubmitted;
import io.jobline.schemas.event.StageCompleted;
import io.jobline.schemas.event.StageStarted;

/**
 * What the decider knows of one job: the fold of its events. Changes only through {@link #apply(JobEvent)}.
 *
 * @param status            null while the job does not exist
 * @param attempt           0 before the first start; each start is a new attempt
 * @param sequence          the sequence number of the last event applied
 * @param stage             the stage the current attempt is in (1-based), 0 before its first stage
 * @param completedStages   how many stages have completed, across attempts (a new attempt resumes after them)
 * @param checkpoint        the checkpoint of the last completed stage
 * @param error             the error of the last failed attempt, if any
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
        String error) {

    public static JobState empty(String jobId) {
        return new JobState(jobId, null, null, null, null, List.of(), List.of(), 0, 0, null, 0, 0, null, null);
    }

    public boolean exists() {
        return status != null;
    }

    public boolean isActive() {
        return status != null && status.isActive();
    }

    public JobState apply(JobEvent event) {
        Object payload = event.getPayload();
        JobStatus next = EventStatus.of(payload);
        JobState s = new JobState(jobId, next, type, owner, input, files, stages, event.getAttempt(),
                event.getSequence(), workerId, stage, completedStages, checkpoint,
                payload instanceof JobFailed failed ? failed.getError() : error);
        if (payload instanceof JobSubmitted submitted) {
            return new JobState(jobId, next, submitted.getType(), submitted.getOwner(), submitted.getInput(),
                    StoredFile.of(submitted.getFiles()), List.copyOf(submitted.getStages()), s.attempt, s.sequence,
                    null, 0, 0, null, null);
        } else if (payload instanceof JobStarted started) {
            return s.with(started.getWorkerId(), started.getFirstStage() - 1, completedStages, checkpoint);
        } else if (payload instanceof StageStarted stageStarted) {
            return s.with(workerId, stageStarted.getStage(), completedStages, checkpoint);
        } else if (payload instanceof StageCompleted completed) {
            return s.with(workerId, stage, completed.getStage(), completed.getCheckpoint());
        }
        return s;
    }

    private JobState with(String newWorkerId, int newStage, int newCompletedStages, String newCheckpoint) {
        return new JobState(jobId, status, type, owner, input, files, stages, attempt, sequence, newWorkerId,
                newStage, newCompletedStages, newCheckpoint, error);
    }
}
