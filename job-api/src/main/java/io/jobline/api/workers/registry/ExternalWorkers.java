package io.jobline.api.workers.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.springframework.stereotype.Component;

/**
 * The external workers that called this instance: the types they poll for, their polls waiting, the attempts they
 * hold (handed out here, or reported on here), and when each was last heard from. What the registry announces for
 * them; it forgets a worker once the registry drops it.
 */
@Component
public class ExternalWorkers {

    private static final int MAX_REMEMBERED = 10_000;

    private final Clock clock;
    private final Map<String, Seen> workers = new HashMap<>();
    /** Who holds each attempt handed out or reported on: job id to worker id. */
    private final Map<String, String> holders = new HashMap<>();

    public ExternalWorkers() {
        this(Clock.systemUTC());
    }

    ExternalWorkers(Clock clock) {
        this.clock = clock;
    }

    private static final class Seen {
        final Instant startedAt;
        final Set<String> types = new TreeSet<>();
        final Map<String, Integer> jobs = new TreeMap<>();
        int waitingPolls;
        Instant lastSeenAt;

        Seen(Instant now) {
            this.startedAt = now;
            this.lastSeenAt = now;
        }
    }

    /** A long poll of {@code workerId} for {@code types} starts waiting. */
    public synchronized void pollStarted(String workerId, Set<String> types) {
        Seen seen = seen(workerId);
        if (seen != null) {
            seen.types.addAll(types);
            seen.waitingPolls++;
        }
    }

    /** The poll ended: it got a job, timed out, or its client left. */
    public synchronized void pollEnded(String workerId) {
        Seen seen = workers.get(workerId);
        if (seen != null) {
            seen.waitingPolls = Math.max(0, seen.waitingPolls - 1);
            seen.lastSeenAt = clock.instant();
        }
    }

    /** A call of {@code workerId} about attempt {@code attempt} of a job (a hand-out, a heartbeat, a report). */
    public synchronized void holds(String workerId, String jobId, int attempt) {
        Seen seen = seen(workerId);
        if (seen == null) {
            return;
        }
        String previous = holders.put(jobId, workerId);
        if (previous != null && !previous.equals(workerId)) {
            Seen other = workers.get(previous);
            if (other != null) {
                other.jobs.remove(jobId);
            }
        }
        seen.jobs.merge(jobId, attempt, Math::max);
    }

    /** The worker of {@code jobId}'s attempt {@code attempt} is done with it (completed, failed, released, refused). */
    public synchronized void released(String jobId, int attempt) {
        String holder = holders.get(jobId);
        Seen seen = holder == null ? null : workers.get(holder);
        if (seen != null && seen.jobs.getOrDefault(jobId, Integer.MAX_VALUE) <= attempt) {
            seen.jobs.remove(jobId);
            holders.remove(jobId);
            seen.lastSeenAt = clock.instant();
        }
    }

    /** Forgets {@code workerId}: not heard from for long, dropped from the registry. */
    public synchronized void forget(String workerId) {
        Seen seen = workers.remove(workerId);
        if (seen != null) {
            seen.jobs.keySet().forEach(holders::remove);
        }
    }

    /** Each worker as it is now; one with a poll waiting is seen now. */
    public synchronized List<WorkerSnapshot> snapshot() {
        Instant now = clock.instant();
        List<WorkerSnapshot> all = new ArrayList<>();
        workers.forEach((id, seen) -> all.add(new WorkerSnapshot(id, WorkerSnapshot.Kind.EXTERNAL, List.copyOf(seen.types),
                seen.jobs.size() + seen.waitingPolls, seen.jobs.size(), WorkerSnapshot.attempts(seen.jobs), seen.startedAt,
                seen.waitingPolls > 0 ? now : seen.lastSeenAt)));
        return all;
    }

    private Seen seen(String workerId) {
        Instant now = clock.instant();
        Seen seen = workers.get(workerId);
        if (seen == null) {
            if (workers.size() >= MAX_REMEMBERED) {
                return null;
            }
            seen = new Seen(now);
            workers.put(workerId, seen);
        }
        seen.lastSeenAt = now;
        return seen;
    }
}
