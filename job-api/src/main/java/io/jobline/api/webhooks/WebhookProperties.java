package io.jobline.api.webhooks;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Webhook deliveries ({@code jobline.webhooks.*}).
 *
 * @param allowPrivate  whether destinations on loopback, private, link-local or other internal addresses are let
 *                      through (off: a webhook cannot be pointed at the service's own network)
 * @param allowedHosts  host names let through whatever they resolve to (an internal receiver, by name)
 * @param retryDelays   the wait before each try after the first: a delivery is tried once more than there are
 *                      delays, then it is failed for good
 * @param timeout       connecting and answering, each
 */
@ConfigurationProperties("jobline.webhooks")
public record WebhookProperties(boolean allowPrivate, List<String> allowedHosts, List<Duration> retryDelays, Duration timeout) {

    /** Standard Webhooks' suggested schedule: tries for about a day. */
    static final List<Duration> DEFAULT_RETRY_DELAYS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));

    public WebhookProperties {
        allowedHosts = allowedHosts == null ? List.of() : allowedHosts.stream().map(String::trim)
                .filter(h -> !h.isEmpty()).map(String::toLowerCase).toList();
        retryDelays = retryDelays == null || retryDelays.isEmpty() ? DEFAULT_RETRY_DELAYS : List.copyOf(retryDelays);
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    }

    /** How long a delivery can still be tried after its event: the whole schedule, and an hour to spare. */
    Duration lifetime() {
        return retryDelays.stream().reduce(Duration.ofHours(1), Duration::plus);
    }
}
