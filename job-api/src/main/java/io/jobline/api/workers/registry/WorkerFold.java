package io.jobline.api.workers.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.jobline.schemas.worker.HeldAttempt;
import io.jobline.schemas.worker.WorkerAnnounced;
import io.jobline.schemas.worker.WorkerKind;

/**
 * The fold of the workers topic: the last announcement of each key (an instance's view of one worker), gone with its
 * tombstone. Listing merges the views of one worker id, judges each by the reader's clock (lost: not seen within
 * its expiry, or its instance silent for 3 heartbeats), and forgets what nobody announced or saw for
 * {@code dropAfter}. Not thread-safe: its owner serializes access.
 */
final class WorkerFold {

    static final String ACTIVE = "active";
    static final String IDLE = "idle";
    static final String LOST = "lost";

    private final Map<String, WorkerAnnounced> announced = new HashMap<>();
    private final Duration dropAfter;

    WorkerFold(Duration dropAfter) {
        this.dropAfter = dropAfter;
    }

    /** {@code value} null: a tombstone. */
    void apply(String key, WorkerAnnounced value) {
        if (key == null) {
            return;
        }
        if (value == null) {
            announced.remove(key);
        } else {
            announced.put(key, value);
        }
    }

    int size() {
        return announced.size();
    }

    /** Every worker as of {@code now}, in-process ones first, then by id; forgets the dead ones. */
    List<ListedWorker> list(Instant now) {
        announced.values().removeIf(a -> isDead(a, now));
        Map<String, List<WorkerAnnounced>> byWorker = new TreeMap<>();
        announced.values().forEach(a -> byWorker.computeIfAbsent(a.getWorkerId(), id -> new ArrayList<>()).add(a));
        List<ListedWorker> workers = new ArrayList<>();
        byWorker.forEach((id, views) -> workers.add(merge(id, views, now)));
        workers.sort(Comparator.comparing((ListedWorker w) -> !w.kind().equals(WorkerSnapshot.Kind.IN_PROCESS.wireName()))
                .thenComparing(ListedWorker::workerId));
        return workers;
    }

    private boolean isDead(WorkerAnnounced a, Instant now) {
        return Duration.between(a.getLastSeenAt(), now).compareTo(dropAfter) > 0
                || Duration.between(a.getAnnouncedAt(), now).compareTo(dropAfter) > 0;
    }

    static boolean isLost(WorkerAnnounced a, Instant now) {
        return Duration.between(a.getLastSeenAt(), now).toMillis() > a.getLostAfterMs()
                || Duration.between(a.getAnnouncedAt(), now).toMillis() > 3 * a.getHeartbeatIntervalMs();
    }

    /** The views of one worker: what the live ones say, or, when all are lost, what they said last. */
    private static ListedWorker merge(String workerId, List<WorkerAnnounced> views, Instant now) {
        List<WorkerAnnounced> live = views.stream().filter(v -> !isLost(v, now)).toList();
        List<WorkerAnnounced> told = live.isEmpty() ? views : live;
        TreeSet<String> instances = new TreeSet<>();
        TreeSet<String> types = new TreeSet<>();
        Map<String, Integer> jobs = new LinkedHashMap<>();
        Integer slotsTotal = null;
        int inUse = 0;
        Instant startedAt = null;
        Instant lastSeenAt = null;
        for (WorkerAnnounced view : views) {
            instances.add(view.getInstance());
            startedAt = startedAt == null || view.getStartedAt().isBefore(startedAt) ? view.getStartedAt() : startedAt;
            lastSeenAt = lastSeenAt == null || view.getLastSeenAt().isAfter(lastSeenAt) ? view.getLastSeenAt() : lastSeenAt;
        }
        for (WorkerAnnounced view : told) {
            types.addAll(view.getTypes());
            if (view.getSlotsTotal() != null) {
                slotsTotal = (slotsTotal == null ? 0 : slotsTotal) + view.getSlotsTotal();
            }
            inUse += view.getSlotsInUse();
            for (HeldAttempt held : view.getJobs()) {
                jobs.merge(held.getJobId(), held.getAttempt(), Math::max);
            }
        }
        String status = live.isEmpty() ? LOST : inUse > 0 ? ACTIVE : IDLE;
        String kind = views.get(0).getKind() == WorkerKind.IN_PROCESS ? WorkerSnapshot.Kind.IN_PROCESS.wireName()
                : WorkerSnapshot.Kind.EXTERNAL.wireName();
        return new ListedWorker(workerId, kind, status, List.copyOf(instances), List.copyOf(types), slotsTotal, inUse,
                WorkerSnapshot.attempts(jobs), startedAt, lastSeenAt);
    }
}
