package io.jobline.projections.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.jobline.core.files.FileRefs;
import io.jobline.core.lifecycle.EventStatus;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.policy.Policy;
import io.jobline.schemas.event.AttemptFailed;
import io.jobline.schemas.event.JobCancelled;
import io.jobline.schemas.event.JobCompleted;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobFailed;
import io.jobline.schemas.event.JobReleased;
import io.jobline.schemas.event.JobRetried;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.JobSubmitted;
import io.jobline.schemas.event.ProgressReported;
import io.jobline.schemas.event.StageCompleted;
import io.jobline.schemas.event.StageStarted;
import io.jobline.worker.StoredFile;

/**
 * Folds one event into a job's view. Defensive, so a replayed or foreign record cannot corrupt the view: an
 * event at or below the last folded sequence (a duplicate), from an attempt older than the view's (a zombie), or
 * not allowed after the view's status by the lifecycle table, leaves the view as it is.
 */
public final class JobViewFold {

    private JobViewFold() {
    }

    /** The view after {@code event}; null when the job is deleted (or the event cannot start a view). */
    public static JobView apply(JobView view, JobEvent event) {
        Object payload = event.getPayload();
        if (view == null) {
            return payload instanceof JobSubmitted submitted ? submitted(event, submitted) : null;
        }
        if (event.getSequence() <= view.lastSequence() || event.getAttempt() < view.attempt()
                || !EventStatus.mayFollow(view.status(), payload)) {
            return view;
        }
        JobStatus status = EventStatus.of(payload);
        if (status == JobStatus.DELETED) {
            return null;
        }
        Instant at = event.getTimestamp();
        Builder next = new Builder(view, event, status);
        if (payload instanceof JobStarted started) {
            next.startedAt = view.startedAt() == null ? at : view.startedAt();
            next.progressMessage = event.getAttempt() > 1 ? "Attempt " + event.getAttempt() + " started" : "Started";
            next.progress = started.getFirstStage() > 1 ? (started.getFirstStage() - 1) * 100 / view.stagesTotal() : 0;
            next.error = null;
            next.nextAttemptAt = null;
            next.workerId = started.getWorkerId();
            next.timedOut = false;
        } else if (payload instanceof JobReleased released) {
            next.workerId = null;
            next.progressMessage = "Released by its worker" + (released.getReason() == null ? "" : ": " + released.getReason())
                    + "; waiting for a worker";
        } else if (payload instanceof StageStarted stageStarted) {
            next.stage = stageStarted.getName();
            next.stageNumber = stageStarted.getStage();
            next.progressMessage = "Started " + stageStarted.getName();
            next.setStage(stageStarted.getStage(), at, null);
        } else if (payload instanceof ProgressReported reported) {
            next.progress = reported.getProgress();
            next.progressMessage = reported.getMessage();
        } else if (payload instanceof StageCompleted completed) {
            next.progressMessage = "Completed " + completed.getName();
            next.setStage(completed.getStage(), null, at);
            if (completed.getNextStages() == null) {
                next.progress = Math.max(view.progress(), completed.getStage() * 100 / view.stagesTotal());
            } else {
                // A new plan: the share of it done now, even below what the old plan made it.
                next.replan(completed.getStage(), completed.getNextStages());
                next.progress = completed.getStage() * 100 / next.stagesTotal;
            }
        } else if (payload instanceof JobCompleted completed) {
            next.progress = 100;
            next.progressMessage = "Completed";
            next.resultJson = completed.getResultJson();
            next.artifacts = FileRefs.toStored(completed.getArtifacts());
            next.completedAt = at;
        } else if (payload instanceof AttemptFailed failed) {
            next.error = failed.getError();
            next.addError(failed.getStage(), failed.getError(), at);
            next.nextAttemptAt = failed.getRetryAt();
            next.timedOut = failed.getTimedOut();
            next.progressMessage = "Attempt " + event.getAttempt() + " failed; retrying at " + failed.getRetryAt();
        } else if (payload instanceof JobFailed failed) {
            next.error = failed.getError();
            next.addError(failed.getStage(), failed.getError(), at);
            next.progressMessage = "Failed";
            next.timedOut = failed.getTimedOut();
            next.completedAt = at;
        } else if (payload instanceof JobRetried retried) {
            next.progressMessage = retried.getReason() == null ? "Retry requested" : "Retry requested: " + retried.getReason();
            next.error = null;
            next.completedAt = null;
            next.timedOut = false;
        } else if (payload instanceof JobCancelled cancelled) {
            next.progressMessage = cancelled.getReason() == null ? "Cancelled" : "Cancelled: " + cancelled.getReason();
            next.completedAt = at;
        }
        return next.build();
    }

    private static JobView submitted(JobEvent event, JobSubmitted submitted) {
        List<StageView> stages = new ArrayList<>();
        for (int i = 0; i < submitted.getStages().size(); i++) {
            stages.add(new StageView(i + 1, submitted.getStages().get(i), null, null));
        }
        return new JobView(event.getJobId(), submitted.getType(), submitted.getOwner(), JobStatus.PENDING, 0,
                "Waiting for a worker", null, 0, submitted.getStages().size(), List.copyOf(stages), event.getAttempt(),
                null, submitted.getInput(), FileRefs.toStored(submitted.getFiles()), List.of(), null,
                event.getTimestamp(), null, null, event.getTimestamp(), event.getSequence(), List.of(), null,
                Policy.of(submitted.getPolicy()).maxAttempts(), submitted.getIdempotencyKey(),
                submitted.getRequestHash(), submitted.getDedupKey(), null,
                Policy.of(submitted.getPolicy()).heartbeatTimeoutMs(), submitted.getPriority(), submitted.getDynamicStages(),
                submitted.getTypeVersion(), false);
    }

    /** The mutable copy a fold step edits. */
    private static final class Builder {
        private final JobView view;
        private final JobEvent event;
        private final JobStatus status;
        int progress;
        String progressMessage;
        String stage;
        int stageNumber;
        int stagesTotal;
        List<StageView> stages;
        String error;
        List<StoredFile> artifacts;
        String resultJson;
        Instant startedAt;
        Instant completedAt;
        List<AttemptError> errors;
        Instant nextAttemptAt;
        String workerId;
        boolean timedOut;

        Builder(JobView view, JobEvent event, JobStatus status) {
            this.view = view;
            this.event = event;
            this.status = status;
            this.progress = view.progress();
            this.progressMessage = view.progressMessage();
            this.stage = view.stage();
            this.stageNumber = view.stageNumber();
            this.stagesTotal = view.stagesTotal();
            this.stages = view.stages();
            this.error = view.error();
            this.artifacts = view.artifacts();
            this.resultJson = view.resultJson();
            this.startedAt = view.startedAt();
            this.completedAt = view.completedAt();
            this.errors = view.errors() == null ? List.of() : view.errors();
            this.nextAttemptAt = view.nextAttemptAt();
            this.workerId = view.workerId();
            this.timedOut = Boolean.TRUE.equals(view.timedOut());
        }

        void addError(Integer stageNumber, String message, Instant at) {
            List<AttemptError> updated = new ArrayList<>(errors);
            updated.add(new AttemptError(event.getAttempt(), stageNumber, message, at));
            errors = List.copyOf(updated);
        }

        void setStage(int number, Instant started, Instant completed) {
            List<StageView> updated = new ArrayList<>(stages);
            int i = number - 1;
            if (i >= 0 && i < updated.size()) {
                StageView old = updated.get(i);
                updated.set(i, new StageView(number, old.name(), started != null ? started : old.startedAt(),
                        started != null ? null : completed));
            }
            stages = List.copyOf(updated);
        }

        /** The stages up to {@code number} as they are, then {@code nextStages}, not yet run. */
        void replan(int number, List<String> nextStages) {
            List<StageView> updated = new ArrayList<>(stages.subList(0, Math.min(number, stages.size())));
            for (String name : nextStages) {
                updated.add(new StageView(updated.size() + 1, name, null, null));
            }
            stages = List.copyOf(updated);
            stagesTotal = stages.size();
        }

        JobView build() {
            return new JobView(view.jobId(), view.type(), view.owner(), status, progress, progressMessage, stage,
                    stageNumber, stagesTotal, stages, event.getAttempt(), error, view.input(), view.files(),
                    artifacts, resultJson, view.createdAt(), startedAt, completedAt, event.getTimestamp(),
                    event.getSequence(), errors, nextAttemptAt, view.maxAttempts(), view.idempotencyKey(),
                    view.requestHash(), view.dedupKey(), workerId, view.heartbeatTimeoutMs(), view.priority(),
                    view.dynamicStages(), view.typeVersion(), timedOut);
        }
    }
}
