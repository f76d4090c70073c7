package io.jobline.api.access;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * /actuator/health "apiKeys", part of the readiness group: OUT_OF_SERVICE until the keys made before this start have
 * been read (until then a request with a key is answered 503, and protected mode is not decided).
 */
@Component // "apiKeys" in /actuator/health: the bean name less its HealthIndicator suffix
class ApiKeysHealthIndicator implements HealthIndicator {

    private final ApiKeys keys;

    ApiKeysHealthIndicator(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Health health() {
        return keys.isCaughtUp() ? Health.up().withDetail("caught_up", true).build()
                : Health.outOfService().withDetail("caught_up", false).build();
    }
}
