package io.jobline.api.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A plan a worker declared through this instance answers its next calls until the job's view shows it. */
class DeclaredPlansTest {

    private final DeclaredPlans plans = new DeclaredPlans();

    /** Attempt {@code attempt} of a job whose view shows {@code completed} stages of {@code stages} completed. */
    private static CurrentAttempt asTheViewShows(int attempt, int completed, String... stages) {
        return new CurrentAttempt("job-1", attempt, "worker-a", List.of(stages), completed + 1, 30_000L, 1, 0,
                completed, true);
    }

    @Test
    void shouldAnswerWithTheDeclaredPlanWhileTheViewLagsBehindIt() {
        plans.declared("job-1", 1, 1, List.of("prepare", "file-1", "file-2"));

        CurrentAttempt latest = plans.latest(asTheViewShows(1, 0, "prepare"));

        assertThat(latest.stages()).containsExactly("prepare", "file-1", "file-2");
        assertThat(latest.completedStages()).isEqualTo(1);
        assertThat(latest.stage()).isEqualTo(2);
    }

    @Test
    void shouldAnswerWithTheViewOnceItHasFoldedTheCompletionThatDeclaredThePlan() {
        plans.declared("job-1", 1, 1, List.of("prepare", "file-1"));
        CurrentAttempt caughtUp = asTheViewShows(1, 1, "prepare", "file-1");

        assertThat(plans.latest(caughtUp)).isSameAs(caughtUp);
        assertThat(plans.latest(asTheViewShows(1, 0, "prepare")).stages()).as("forgotten once the view had it")
                .containsExactly("prepare");
    }

    @Test
    void shouldIgnoreAPlanDeclaredByAnotherAttempt() {
        plans.declared("job-1", 1, 1, List.of("prepare", "file-1"));
        CurrentAttempt next = asTheViewShows(2, 0, "prepare");

        assertThat(plans.latest(next)).isSameAs(next);
    }

    @Test
    void shouldEndTheRunningStageWhenTheDeclaredPlanEndsWithIt() {
        plans.declared("job-1", 1, 2, List.of("prepare", "file-1"));

        CurrentAttempt latest = plans.latest(asTheViewShows(1, 1, "prepare", "file-1", "file-2"));

        assertThat(latest.stagesTotal()).isEqualTo(2);
        assertThat(latest.stage()).isEqualTo(2);
        assertThat(latest.completedStages()).isEqualTo(2);
    }
}
