package io.jobline.api.workers;

import java.time.Duration;
import java.time.Instant;

/**
 * An external worker's hold on its attempt is the attempt's heartbeat timeout: every call renews it, and the decider
 * ends the attempt once it passes with no call. Workers are asked to call well within it.
 */
final class Lease {

    static final Duration MAX_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

    private Lease() {
    }

    /** When the lease ends if nothing more is heard; null when the job has no heartbeat timeout. */
    static Instant expiry(Instant now, Long heartbeatTimeoutMs) {
        return heartbeatTimeoutMs == null ? null : now.plusMillis(heartbeatTimeoutMs);
    }

    /** A third of the heartbeat timeout, at most 5 s: two heartbeats may be lost before the lease ends. */
    static Duration heartbeatInterval(Long heartbeatTimeoutMs) {
        if (heartbeatTimeoutMs == null) {
            return MAX_HEARTBEAT_INTERVAL;
        }
        Duration third = Duration.ofMillis(Math.max(100, heartbeatTimeoutMs / 3));
        return third.compareTo(MAX_HEARTBEAT_INTERVAL) < 0 ? third : MAX_HEARTBEAT_INTERVAL;
    }
}
