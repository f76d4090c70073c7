package io.jobline.api.workers.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class AnnounceWorkersTaskTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

    @Test
    void shouldAnnounceANewWorkerAtOnce() {
        assertThat(AnnounceWorkersTask.isDue(null, null, worker(0, T0), T0, HEARTBEAT)).isTrue();
    }

    @Test
    void shouldAnnounceAnUnchangedWorkerOnlyOnceAHeartbeatIntervalPassed() {
        WorkerSnapshot last = worker(0, T0);

        assertThat(AnnounceWorkersTask.isDue(last, T0, worker(0, T0.plusSeconds(4)), T0.plusSeconds(4), HEARTBEAT)).isFalse();
        assertThat(AnnounceWorkersTask.isDue(last, T0, worker(0, T0.plusSeconds(5)), T0.plusSeconds(5), HEARTBEAT)).isTrue();
    }

    @Test
    void shouldAnnounceAChangeAtOnce() {
        assertThat(AnnounceWorkersTask.isDue(worker(0, T0), T0, worker(1, T0.plusSeconds(1)), T0.plusSeconds(1), HEARTBEAT)).isTrue();
    }

    private static WorkerSnapshot worker(int inUse, Instant seen) {
        List<WorkerSnapshot.Attempt> jobs = inUse == 0 ? List.of() : List.of(new WorkerSnapshot.Attempt("job-a", 1));
        return new WorkerSnapshot("w1", WorkerSnapshot.Kind.EXTERNAL, List.of("video"), 1, inUse, jobs, T0, seen);
    }
}
