package io.jobline.api.system;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.jobline.processor.JobProcessor;
import io.jobline.projections.JobProjections;

/** /actuator/health "streams": the state of each Kafka Streams application in this process. */
@Component("streams")
class StreamsHealthIndicator implements HealthIndicator {

    private final Map<String, KafkaStreams> apps = new LinkedHashMap<>();

    StreamsHealthIndicator(Optional<JobProcessor> processor, JobProjections projections) {
        processor.ifPresent(p -> apps.put(JobProcessor.APPLICATION_ID, p.streams()));
        apps.put(JobProjections.APPLICATION_ID, projections.streams());
    }

    @Override
    public Health health() {
        boolean up = true;
        Health.Builder health = Health.unknown();
        for (var app : apps.entrySet()) {
            KafkaStreams.State state = app.getValue().state();
            health.withDetail(app.getKey(), state.name());
            up &= state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        }
        return (up ? health.up() : health.down()).build();
    }
}
