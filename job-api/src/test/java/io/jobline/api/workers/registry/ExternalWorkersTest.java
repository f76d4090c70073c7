package io.jobline.api.workers.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ExternalWorkersTest {

    private Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private final ExternalWorkers workers = new ExternalWorkers(new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void shouldSeeAWorkerWithAPollWaitingNowAndCountThePollAsAFreeSlot() {
        workers.pollStarted("w1", Set.of("video"));
        now = now.plusSeconds(40);

        WorkerSnapshot w1 = workers.snapshot().get(0);

        assertThat(w1.lastSeenAt()).isEqualTo(now);
        assertThat(w1.slotsTotal()).isEqualTo(1);
        assertThat(w1.slotsInUse()).isZero();
        assertThat(w1.types()).containsExactly("video");
    }

    @Test
    void shouldHoldAnAttemptFromItsHandOutUntilItsWorkerIsDoneWithIt() {
        workers.pollStarted("w1", Set.of("video"));
        workers.pollEnded("w1");
        workers.holds("w1", "job-a", 1);
        now = now.plusSeconds(3);
        workers.holds("w1", "job-a", 1);

        WorkerSnapshot held = workers.snapshot().get(0);
        assertThat(held.jobs()).containsExactly(new WorkerSnapshot.Attempt("job-a", 1));
        assertThat(held.slotsInUse()).isEqualTo(1);
        assertThat(held.lastSeenAt()).as("a heartbeat is a sign of life").isEqualTo(now);

        workers.released("job-a", 1);

        assertThat(workers.snapshot().get(0).jobs()).isEmpty();
    }

    @Test
    void shouldMoveAJobToTheWorkerOfItsNewAttemptAndIgnoreTheOldAttemptsLateRelease() {
        workers.holds("w1", "job-a", 1);
        workers.holds("w2", "job-a", 2);
        workers.released("job-a", 1);

        assertThat(workers.snapshot()).filteredOn(w -> w.workerId().equals("w1")).singleElement()
                .satisfies(w -> assertThat(w.jobs()).isEmpty());
        assertThat(workers.snapshot()).filteredOn(w -> w.workerId().equals("w2")).singleElement()
                .satisfies(w -> assertThat(w.jobs()).containsExactly(new WorkerSnapshot.Attempt("job-a", 2)));
    }

    @Test
    void shouldForgetAWorkerAndWhatItHeld() {
        workers.holds("w1", "job-a", 1);
        workers.forget("w1");

        assertThat(workers.snapshot()).isEmpty();
        workers.released("job-a", 1);
        assertThat(workers.snapshot()).isEmpty();
    }
}
