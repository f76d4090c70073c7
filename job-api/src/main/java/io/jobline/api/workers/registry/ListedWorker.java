package io.jobline.api.workers.registry;

import java.time.Instant;
import java.util.List;

/**
 * One worker in {@code GET /api/workers}: what the instances that see it announced, merged.
 *
 * @param kind       {@code in-process} or {@code external}
 * @param status     {@code active} (runs a job), {@code idle}, or {@code lost} (not seen within its expiry)
 * @param instances  the service instances that announce it (an external worker may call several)
 * @param slotsTotal the runner's concurrency; for an external worker its attempts held plus its polls waiting; null:
 *                   not known
 * @param jobs       the attempts it runs (null where the caller may not see job ids)
 */
@io.swagger.v3.oas.annotations.media.Schema(name = "Worker")
public record ListedWorker(String workerId,
                           @io.swagger.v3.oas.annotations.media.Schema(allowableValues = {"in-process", "external"}) String kind,
                           @io.swagger.v3.oas.annotations.media.Schema(allowableValues = {"active", "idle", "lost"}) String status,
                           List<String> instances, List<String> types,
                           @io.swagger.v3.oas.annotations.media.Schema(nullable = true) Integer slotsTotal, int slotsInUse,
                           @io.swagger.v3.oas.annotations.media.Schema(nullable = true, description = "The attempts it runs "
                                   + "(admins only; null for others)") List<WorkerSnapshot.Attempt> jobs,
                           @io.swagger.v3.oas.annotations.media.Schema(nullable = true) Instant startedAt,
                           Instant lastSeenAt) {

    ListedWorker withoutJobs() {
        return new ListedWorker(workerId, kind, status, instances, types, slotsTotal, slotsInUse, null, startedAt, lastSeenAt);
    }
}
