package io.jobline.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.Test;

import io.jobline.projections.stats.ActiveJobs;
import io.jobline.projections.stats.TypeStats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class ActiveJobsGaugesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private List<ActiveJobs> active = new ArrayList<>();
    private final List<TypeStats> types = new ArrayList<>();
    private boolean readable = true;
    private final ActiveJobsGauges gauges = new ActiveJobsGauges(() -> {
        if (!readable) {
            throw new InvalidStateStoreException("rebalancing");
        }
        return active;
    }, () -> types, registry);

    @Test
    void shouldShowPendingAndRunningJobsPerTypeAndPriority() {
        active = List.of(new ActiveJobs("demo", 5, 3, 1), new ActiveJobs("demo", -2, 7, 0));

        gauges.refresh();

        assertThat(value("demo", "5", "pending")).isEqualTo(3);
        assertThat(value("demo", "5", "running")).isEqualTo(1);
        assertThat(value("demo", "-2", "pending")).isEqualTo(7);
    }

    @Test
    void shouldKeepAPriorityThatEmptiedAtZeroRatherThanDropIt() {
        active = List.of(new ActiveJobs("demo", 5, 3, 1));
        gauges.refresh();

        active = List.of();
        gauges.refresh();

        assertThat(value("demo", "5", "pending")).isZero();
        assertThat(value("demo", "5", "running")).isZero();
    }

    @Test
    void shouldShowEveryKnownTypeAtPriorityZeroEvenWithNothingActive() {
        types.add(new TypeStats("csv-report", Map.of("completed", 4L), 0, 0));

        gauges.refresh();

        assertThat(value("csv-report", "0", "pending")).isZero();
        assertThat(value("csv-report", "0", "running")).isZero();
    }

    @Test
    void shouldKeepTheLastValuesWhileTheStoresAreNotReadable() {
        active = List.of(new ActiveJobs("demo", 0, 2, 2));
        gauges.refresh();

        readable = false;
        gauges.refresh();

        assertThat(value("demo", "0", "pending")).isEqualTo(2);
    }

    private double value(String type, String priority, String status) {
        return registry.get("jobline.jobs.active").tags("type", type, "priority", priority, "status", status).gauge().value();
    }
}
