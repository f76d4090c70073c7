package io.jobline.api.workers;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import org.springframework.stereotype.Component;

/**
 * The external workers of this instance: the long polls waiting now, and the workers that polled lately (a worker
 * between two polls runs its job, and is still there).
 */
@Component
public class PollingWorkers {

    /** A worker that polled within this is counted as connected: it polls again once its job is done or its poll ended. */
    static final Duration CONNECTED_WITHIN = Duration.ofSeconds(60);
    private static final int MAX_REMEMBERED = 100_000;

    private final AtomicInteger waiting = new AtomicInteger();
    private final Map<String, Long> lastPollNanos = new ConcurrentHashMap<>();
    private final LongSupplier nanos;

    PollingWorkers() {
        this(System::nanoTime);
    }

    PollingWorkers(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** A poll of {@code workerId} starts waiting; {@link #ended()} once it has a job, timed out or its client left. */
    void started(String workerId) {
        waiting.incrementAndGet();
        if (lastPollNanos.size() < MAX_REMEMBERED || lastPollNanos.containsKey(workerId)) {
            lastPollNanos.put(workerId, nanos.getAsLong());
        }
    }

    void ended() {
        waiting.decrementAndGet();
    }

    public int waitingPolls() {
        return waiting.get();
    }

    /** Distinct workers that polled here within {@link #CONNECTED_WITHIN}; forgets the others. */
    public int connected() {
        long now = nanos.getAsLong();
        lastPollNanos.values().removeIf(at -> now - at > CONNECTED_WITHIN.toNanos());
        return lastPollNanos.size();
    }
}
