package io.jobline.api.workers.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobline.schemas.worker.HeldAttempt;
import io.jobline.schemas.worker.WorkerAnnounced;
import io.jobline.schemas.worker.WorkerKind;

class WorkerFoldTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final WorkerFold fold = new WorkerFold(Duration.ofMinutes(5));

    @Test
    void shouldListTheInProcessWorkerFirstWithItsSlotsAndJobs() {
        fold.apply("i1/ext-1", external("ext-1", "i1", T0).build());
        fold.apply("i1/runner-1", inProcess("runner-1", "i1", T0).setSlotsInUse(1)
                .setJobs(List.of(new HeldAttempt("job-a", 2))).build());

        List<ListedWorker> workers = fold.list(T0.plusSeconds(1));

        assertThat(workers).extracting(ListedWorker::workerId).containsExactly("runner-1", "ext-1");
        ListedWorker runner = workers.get(0);
        assertThat(runner.kind()).isEqualTo("in-process");
        assertThat(runner.status()).isEqualTo("active");
        assertThat(runner.slotsTotal()).isEqualTo(4);
        assertThat(runner.slotsInUse()).isEqualTo(1);
        assertThat(runner.jobs()).containsExactly(new WorkerSnapshot.Attempt("job-a", 2));
        assertThat(workers.get(1).status()).isEqualTo("idle");
    }

    @Test
    void shouldKeepOnlyTheLastAnnouncementOfAKeyAndForgetItAtItsTombstone() {
        fold.apply("i1/ext-1", external("ext-1", "i1", T0).setSlotsInUse(1).setJobs(List.of(new HeldAttempt("job-a", 1))).build());
        fold.apply("i1/ext-1", external("ext-1", "i1", T0.plusSeconds(1)).build());

        assertThat(fold.list(T0.plusSeconds(2))).singleElement().satisfies(w -> {
            assertThat(w.slotsInUse()).isZero();
            assertThat(w.jobs()).isEmpty();
        });

        fold.apply("i1/ext-1", null);

        assertThat(fold.list(T0.plusSeconds(2))).isEmpty();
    }

    @Test
    void shouldCallAnExternalWorkerLostOnceItWasNotSeenWithinItsExpiryThoughItsInstanceStillAnnouncesIt() {
        fold.apply("i1/ext-1", external("ext-1", "i1", T0).setAnnouncedAt(T0.plusSeconds(61)).build());

        assertThat(fold.list(T0.plusSeconds(60)).get(0).status()).isEqualTo("idle");
        assertThat(fold.list(T0.plusSeconds(61)).get(0).status()).isEqualTo("lost");
    }

    @Test
    void shouldCallAWorkerLostWhenItsInstanceMissedThreeHeartbeats() {
        fold.apply("i1/runner-1", inProcess("runner-1", "i1", T0).build());

        assertThat(fold.list(T0.plusSeconds(15)).get(0).status()).isEqualTo("idle");
        assertThat(fold.list(T0.plusMillis(15_001)).get(0).status()).isEqualTo("lost");
    }

    @Test
    void shouldDropAWorkerNobodySawForTheDropTime() {
        fold.apply("i1/runner-1", inProcess("runner-1", "i1", T0).build());

        assertThat(fold.list(T0.plus(Duration.ofMinutes(5)))).hasSize(1);
        assertThat(fold.list(T0.plus(Duration.ofMinutes(5)).plusMillis(1))).isEmpty();
        assertThat(fold.size()).as("forgotten, not just hidden").isZero();
    }

    @Test
    void shouldMergeTheViewsOfTwoInstancesOfOneExternalWorker() {
        fold.apply("i1/ext-1", external("ext-1", "i1", T0).setTypes(List.of("video")).setSlotsTotal(1).setSlotsInUse(1)
                .setJobs(List.of(new HeldAttempt("job-a", 1))).build());
        fold.apply("i2/ext-1", external("ext-1", "i2", T0.plusSeconds(10)).setTypes(List.of("audio")).setSlotsTotal(1)
                .setStartedAt(T0.minusSeconds(30)).build());

        ListedWorker worker = fold.list(T0.plusSeconds(11)).get(0);

        assertThat(worker.instances()).containsExactly("i1", "i2");
        assertThat(worker.types()).containsExactly("audio", "video");
        assertThat(worker.slotsTotal()).isEqualTo(2);
        assertThat(worker.slotsInUse()).isEqualTo(1);
        assertThat(worker.status()).isEqualTo("active");
        assertThat(worker.startedAt()).isEqualTo(T0.minusSeconds(30));
        assertThat(worker.lastSeenAt()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void shouldIgnoreALostInstancesStaleJobsWhileAnotherInstanceStillSeesTheWorker() {
        fold.apply("i1/ext-1", external("ext-1", "i1", T0).setSlotsInUse(1).setJobs(List.of(new HeldAttempt("job-a", 1))).build());
        fold.apply("i2/ext-1", external("ext-1", "i2", T0.plusSeconds(70)).build());

        ListedWorker worker = fold.list(T0.plusSeconds(71)).get(0);

        assertThat(worker.status()).isEqualTo("idle");
        assertThat(worker.jobs()).isEmpty();
        assertThat(worker.instances()).containsExactly("i1", "i2");
    }

    @Test
    void shouldKeepWhatALostWorkerLastHeld() {
        fold.apply("i1/ext-1", external("ext-1", "i1", T0).setSlotsInUse(1).setJobs(List.of(new HeldAttempt("job-a", 3))).build());

        ListedWorker worker = fold.list(T0.plusSeconds(90)).get(0);

        assertThat(worker.status()).isEqualTo("lost");
        assertThat(worker.jobs()).containsExactly(new WorkerSnapshot.Attempt("job-a", 3));
    }

    private static WorkerAnnounced.Builder inProcess(String id, String instance, Instant at) {
        return WorkerAnnounced.newBuilder().setWorkerId(id).setKind(WorkerKind.IN_PROCESS).setInstance(instance)
                .setTypes(List.of("demo", "noop")).setSlotsTotal(4).setSlotsInUse(0).setJobs(List.of())
                .setStartedAt(at).setLastSeenAt(at).setAnnouncedAt(at).setHeartbeatIntervalMs(5_000).setLostAfterMs(15_000);
    }

    private static WorkerAnnounced.Builder external(String id, String instance, Instant seen) {
        return WorkerAnnounced.newBuilder().setWorkerId(id).setKind(WorkerKind.EXTERNAL).setInstance(instance)
                .setTypes(List.of("video")).setSlotsTotal(null).setSlotsInUse(0).setJobs(List.of())
                .setStartedAt(seen).setLastSeenAt(seen).setAnnouncedAt(seen).setHeartbeatIntervalMs(5_000).setLostAfterMs(60_000);
    }
}
