package io.jobline.api.workers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Cancellations this instance accepted in the last minutes, by job and the attempt that was running: an external
 * worker's next heartbeat here is told at once, before the decider's JobCancelled reaches the job's view (a few
 * hundred milliseconds later). Elsewhere, the heartbeat tells it once the view has it.
 */
@Component
public class CancelRequests {

    static final Duration KEEP = Duration.ofMinutes(5);
    static final int MAX_ENTRIES = 100_000;

    private final Map<String, Instant> requested = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    /** A cancel of {@code jobId} was appended while attempt {@code attempt} was the current one (0: none ran yet). */
    public void accepted(String jobId, int attempt) {
        Instant now = clock.instant();
        if (requested.size() >= MAX_ENTRIES) {
            requested.values().removeIf(at -> at.plus(KEEP).isBefore(now));
        }
        if (requested.size() < MAX_ENTRIES) {
            requested.put(key(jobId, attempt), now);
        }
    }

    /** Whether a cancel of this attempt was accepted here (and not too long ago to still be pending). */
    boolean isRequested(String jobId, int attempt) {
        Instant at = requested.get(key(jobId, attempt));
        return at != null && at.plus(KEEP).isAfter(clock.instant());
    }

    private static String key(String jobId, int attempt) {
        return jobId + "/" + attempt;
    }
}
