package io.jobline.api.workers.registry;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The worker registry's timing ({@code jobline.workers.registry.*}).
 *
 * @param heartbeatInterval how often an instance announces its workers when nothing changed; a worker not announced
 *                          for 3 intervals lost its instance
 * @param lostAfter         an external worker that has not called for this long is lost (it polls at least every
 *                          50 s and heartbeats its attempts every 5 s at most)
 * @param dropAfter         a worker not seen for this long leaves the list (and the topic, by a tombstone)
 */
@ConfigurationProperties("jobline.workers.registry")
public record WorkerRegistryProperties(Duration heartbeatInterval, Duration lostAfter, Duration dropAfter) {

    public WorkerRegistryProperties {
        heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(5) : heartbeatInterval;
        lostAfter = lostAfter == null ? Duration.ofSeconds(60) : lostAfter;
        dropAfter = dropAfter == null ? Duration.ofMinutes(5) : dropAfter;
    }

    /** How long the in-process worker may go unannounced before it counts as lost: 3 missed heartbeats. */
    public Duration inProcessLostAfter() {
        return heartbeatInterval.multipliedBy(3);
    }
}
