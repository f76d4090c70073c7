package io.jobline.api.workers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * The plans that workers of jobs with dynamic stages declared through this instance (a stage's completion with
 * next_stages), until the job's view shows them. The view shows a new plan once the decider's StageCompleted reaches
 * it, a commit or more later; a worker that completes its next stage sooner must be answered by the plan it declared,
 * not by the one before. Like {@link HandedOut}, it knows only the calls made to this instance.
 */
@Component
class DeclaredPlans {

    private static final int REMEMBERED = 10_000;

    /** The plan declared when stage {@code stage} of attempt {@code attempt} completed. */
    private record Declared(int attempt, int stage, List<String> plan) {
    }

    private final Map<String, Declared> plans = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Declared> eldest) {
            return size() > REMEMBERED;
        }
    };

    synchronized void declared(String jobId, int attempt, int stage, List<String> plan) {
        plans.put(jobId, new Declared(attempt, stage, List.copyOf(plan)));
    }

    /** The attempt with the plan last declared through this instance, while what it was read from lags behind it. */
    synchronized CurrentAttempt latest(CurrentAttempt job) {
        Declared declared = plans.get(job.jobId());
        if (declared == null || declared.attempt() != job.attempt()) {
            return job;
        }
        if (job.completedStages() >= declared.stage()) {
            plans.remove(job.jobId()); // the view has folded that completion, and the plan with it
            return job;
        }
        return job.replanned(declared.stage(), declared.plan());
    }
}
