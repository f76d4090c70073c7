package io.jobline.api.workers;

import java.util.List;

import io.jobline.projections.view.JobView;
import io.jobline.projections.view.StageView;

/**
 * What a worker's call about its attempt needs to know of the job: from the job's view, or, when this instance
 * has none, from the task it handed out.
 *
 * @param stages    the plan as far as known
 * @param stage     the stage the job is in as far as known (1-based; the attempt's first stage for a handed-out one)
 * @param failures  attempts that failed so far, as far as known
 * @param completedStages stages completed so far (in this attempt or earlier ones), as far as known
 * @param dynamicStages whether the job's worker may replace the rest of the plan; null when this instance has no
 *                  view of the job to tell (the decider judges)
 */
record CurrentAttempt(String jobId, int attempt, String workerId, List<String> stages, int stage,
                      Long heartbeatTimeoutMs, int maxAttempts, int failures, int completedStages,
                      Boolean dynamicStages) {

    static CurrentAttempt of(JobView job, int attempt) {
        return new CurrentAttempt(job.jobId(), attempt, job.workerId() == null ? "worker" : job.workerId(),
                job.stages().stream().map(StageView::name).toList(), Math.max(1, job.stageNumber()),
                job.heartbeatTimeoutMs(), Math.max(1, job.maxAttempts()), job.errors() == null ? 0 : job.errors().size(),
                (int) job.stages().stream().filter(s -> s.completedAt() != null).count(), job.hasDynamicStages());
    }

    static CurrentAttempt of(Task task, String workerId) {
        return new CurrentAttempt(task.jobId(), task.attempt(), workerId, task.stages(), task.firstStage(),
                (Long) task.options().get("heartbeat_timeout_ms"), ((Number) task.options().get("max_attempts")).intValue(),
                task.attempt() - 1, task.firstStage() - 1, null);
    }

    int stagesTotal() {
        return stages.size();
    }

    /** As it is once stage {@code completed} completed and {@code plan} became the plan (the next stage started). */
    CurrentAttempt replanned(int completed, List<String> plan) {
        int running = completed < plan.size() ? completed + 1 : completed;
        return new CurrentAttempt(jobId, attempt, workerId, plan, Math.max(stage, running), heartbeatTimeoutMs,
                maxAttempts, failures, Math.max(completedStages, completed), dynamicStages);
    }
}
