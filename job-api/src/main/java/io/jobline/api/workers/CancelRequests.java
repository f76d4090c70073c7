package io.jobline.api.workers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Cancellations this instance accepted in the last moments: an external worker's next heartbeat here is told at once,
 * before the decider's JobCancelled reaches the job's view (a few hundred milliseconds later). Elsewhere, the
 * heartbeat tells it once the view has it. Kept {@link #KEEP}: the view has it long before.
 */
@Component
public class CancelRequests {

    static final Duration KEEP = Duration.ofSeconds(30);
    static final int MAX_ENTRIES = 100_000;

    /** Job id → the attempt the job's view showed when the cancel was accepted, and when. */
    private final Map<String, Accepted> requested = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    private record Accepted(int attempt, Instant at) {
    }

    /** A cancel of {@code jobId} was appended while its view showed attempt {@code attempt} (0: none started). */
    public void accepted(String jobId, int attempt) {
        Instant now = clock.instant();
        if (requested.size() >= MAX_ENTRIES) {
            requested.values().removeIf(a -> a.at().plus(KEEP).isBefore(now));
        }
        if (requested.size() < MAX_ENTRIES) {
            requested.put(jobId, new Accepted(attempt, now));
        }
    }

    /** The job was retried here: its next attempt is not the cancelled one. */
    public void retried(String jobId) {
        requested.remove(jobId);
    }

    /**
     * Whether attempt {@code attempt} is the one cancelled here: the attempt the view showed, or the one after it (the
     * view may not have shown its start yet when the cancel came).
     */
    boolean isRequested(String jobId, int attempt) {
        Accepted accepted = requested.get(jobId);
        return accepted != null && accepted.at().plus(KEEP).isAfter(clock.instant())
                && attempt <= accepted.attempt() + 1;
    }
}
