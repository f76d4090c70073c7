package io.jobline.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.jobline.core.testing.EventLog;
import io.jobline.projections.view.JobView;
import io.jobline.projections.view.JobViewFold;
import io.jobline.schemas.event.AttemptFailed;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobRetried;
import io.jobline.schemas.event.JobStarted;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Event timestamps in {@link EventLog}: one second per sequence number after T0. */
class JobLifecycleMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final JobLifecycleMetrics metrics = new JobLifecycleMetrics(registry);

    @Test
    void shouldCountACompletedJobOnceWithItsPickupQueueAndRunTimes() {
        fold(EventLog.of("a").submittedDemo(2).ranToCompletion("w", "{}"));

        assertThat(count("jobline.jobs.submitted")).isEqualTo(1);
        assertThat(count("jobline.jobs.started")).isEqualTo(1);
        assertThat(count("jobline.jobs.completed")).isEqualTo(1);
        assertThat(seconds(registry.get("jobline.jobs.pickup.latency").tag("type", "demo").timer())).isEqualTo(1);
        assertThat(seconds(registry.get("jobline.jobs.queue.time").tag("type", "demo").timer())).isEqualTo(1);
        Timer run = registry.get("jobline.jobs.run.time").tags("type", "demo", "outcome", "completed").timer();
        assertThat(run.count()).isEqualTo(1);
        assertThat(run.totalTime(TimeUnit.SECONDS)).as("started at +2 s, completed at +9 s").isEqualTo(7);
    }

    @Test
    void shouldCountAnAutomaticRetryAsARetryAndTimeTheNextAttemptFromItsBackoff() {
        EventLog log = EventLog.of("b").submittedDemo(1).started("w")
                .raw(new AttemptFailed("boom", 1, EventLog.T0.plusSeconds(10), false), 1, 3)
                .raw(new JobStarted("w", 1, null), 2, 4);
        fold(log);

        assertThat(registry.get("jobline.jobs.retries").tags("type", "demo", "cause", "failure").counter().count()).isEqualTo(1);
        assertThat(count("jobline.jobs.started")).isEqualTo(2);
        Timer queue = registry.get("jobline.jobs.queue.time").tag("type", "demo").timer();
        assertThat(queue.count()).isEqualTo(2);
        assertThat(queue.totalTime(TimeUnit.SECONDS)).as("1 s for the first; the retry started before its backoff's end: 0")
                .isEqualTo(1);
        assertThat(registry.get("jobline.jobs.pickup.latency").timer().count()).as("first attempts only").isEqualTo(1);
    }

    @Test
    void shouldCountATakeoverOfARunningJobAsARestartWithoutQueueTime() {
        fold(EventLog.of("c").submittedDemo(1).started("w").started("w"));

        assertThat(count("jobline.jobs.restarts")).isEqualTo(1);
        assertThat(count("jobline.jobs.started")).isEqualTo(2);
        assertThat(registry.get("jobline.jobs.queue.time").timer().count()).isEqualTo(1);
    }

    @Test
    void shouldTimeFailedAndCancelledRunsButNotAJobCancelledBeforeItRan() {
        fold(EventLog.of("d").submittedDemo(1).started("w").failed("boom", 1));
        fold(EventLog.of("e").submittedDemo(1).started("w").cancelled("enough"));
        fold(EventLog.of("f").submittedDemo(1).cancelled(null).deleted());

        assertThat(count("jobline.jobs.failed")).isEqualTo(1);
        assertThat(count("jobline.jobs.cancelled")).isEqualTo(2);
        assertThat(registry.get("jobline.jobs.run.time").tags("outcome", "failed").timer().count()).isEqualTo(1);
        assertThat(registry.get("jobline.jobs.run.time").tags("outcome", "cancelled").timer().count()).isEqualTo(1);
    }

    @Test
    void shouldShowEveryCounterOfATypeAtZeroOnceOneOfItsJobsIsSeen() {
        fold(EventLog.of("h").submittedDemo(1));

        assertThat(registry.get("jobline.jobs.failed").tag("type", "demo").counter().count()).isZero();
        assertThat(registry.get("jobline.jobs.restarts").tag("type", "demo").counter().count()).isZero();
        assertThat(registry.get("jobline.jobs.retries").tags("type", "demo", "cause", "manual").counter().count()).isZero();
    }

    @Test
    void shouldCountARetryByHandApartFromAutomaticOnes() {
        fold(EventLog.of("g").submittedDemo(1).started("w").failed("boom", 1).raw(new JobRetried(null, "boom", null), 1, 4));

        assertThat(registry.get("jobline.jobs.retries").tags("cause", "manual").counter().count()).isEqualTo(1);
        assertThat(registry.get("jobline.jobs.retries").tags("cause", "failure").counter().count()).isZero();
    }

    /** Folds as the projection does: an event the fold ignores is not told. */
    private void fold(EventLog log) {
        JobView view = null;
        for (JobEvent event : log.events()) {
            JobView after = JobViewFold.apply(view, event);
            if (after != view) {
                metrics.folded(event, view, after);
            }
            view = after;
        }
    }

    private double count(String name) {
        return registry.get(name).tag("type", "demo").counter().count();
    }

    private static double seconds(Timer timer) {
        assertThat(timer.count()).isEqualTo(1);
        return timer.totalTime(TimeUnit.SECONDS);
    }
}
