package io.jobline.api.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class PollingWorkersTest {

    private final AtomicLong nanos = new AtomicLong();
    private final PollingWorkers workers = new PollingWorkers(nanos::get);

    @Test
    void shouldCountWaitingPollsUntilTheyEnd() {
        workers.started("w1");
        workers.started("w1");
        workers.started("w2");
        workers.ended();

        assertThat(workers.waitingPolls()).isEqualTo(2);
    }

    @Test
    void shouldCountAWorkerAsConnectedForAMinuteAfterItsLastPoll() {
        workers.started("w1");
        workers.ended();
        workers.started("w2");
        workers.ended();
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        workers.started("w2");
        workers.ended();

        assertThat(workers.connected()).isEqualTo(2);
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(workers.connected()).as("w1 polled 61 s ago").isEqualTo(1);
    }
}
