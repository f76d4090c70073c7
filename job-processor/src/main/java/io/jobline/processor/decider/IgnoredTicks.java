package io.jobline.processor.decider;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Ticks the deciders of this process did not trust: stamped further ahead of the wall clock than any honest
 * decider's clock drifts (a forged or corrupt command would otherwise time out every running job at once).
 */
public final class IgnoredTicks {

    private static final AtomicLong COUNT = new AtomicLong();

    private IgnoredTicks() {
    }

    /** Ticks ignored since this process started. */
    public static long count() {
        return COUNT.get();
    }

    static void ignored() {
        COUNT.incrementAndGet();
    }
}
