package io.jobline.api.system;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.jobline.projections.JobProjections;

/**
 * /actuator/health "projections", part of the readiness group: OUT_OF_SERVICE until the projection stores are
 * restored and have folded every event that was in the log when the process started. Before that a job the
 * stores lack may still exist, so a load balancer should send reads elsewhere. Its details name the partitions of
 * job-events this instance holds (and, in a cluster, keeps standby copies of).
 */
@Component("projections")
class ProjectionsHealthIndicator implements HealthIndicator {

    private final JobProjections projections;

    ProjectionsHealthIndicator(JobProjections projections) {
        this.projections = projections;
    }

    @Override
    public Health health() {
        JobProjections.Held held = projections.held();
        Health.Builder health = projections.isCaughtUp() ? Health.up().withDetail("caught_up", true)
                : Health.outOfService().withDetail("caught_up", false).withDetail("partitions_behind", projections.partitionsBehind());
        return health.withDetail("partitions", held.active()).withDetail("standby_partitions", held.standby()).build();
    }
}
