package io.jobline.api.workers.registry;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A worker as this instance sees it now: what it announces, but the announcement's own time.
 *
 * @param slotsTotal null when not known
 * @param lastSeenAt the in-process worker: now; an external one: its last call here (now while its poll waits)
 */
public record WorkerSnapshot(String workerId, Kind kind, List<String> types, Integer slotsTotal, int slotsInUse,
                             List<Attempt> jobs, Instant startedAt, Instant lastSeenAt) {

    public enum Kind {
        IN_PROCESS, EXTERNAL;

        public String wireName() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    public record Attempt(String jobId, int attempt) {
    }

    static List<Attempt> attempts(Map<String, Integer> jobs) {
        return jobs.entrySet().stream().map(e -> new Attempt(e.getKey(), e.getValue()))
                .sorted(Comparator.comparing(Attempt::jobId)).toList();
    }

    /** The same worker in the same state, whenever it was seen: an announcement is due for a change only. */
    boolean sameStateAs(WorkerSnapshot other) {
        return other != null && workerId.equals(other.workerId) && kind == other.kind && types.equals(other.types)
                && java.util.Objects.equals(slotsTotal, other.slotsTotal) && slotsInUse == other.slotsInUse
                && jobs.equals(other.jobs);
    }
}
