package io.jobline.api.status;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.access.Caller;
import io.jobline.api.openapi.Problems;
import io.jobline.api.problem.ApiException;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.projections.JobProjections;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.stats.TypeStats;

/**
 * GET /api/jobs/stats: retained jobs per status, and per type the success rate and average run time; of the caller's
 * own jobs (an admin's: of every job).
 */
@RestController
@Tag(name = "jobs")
class JobStatsController {

    private final JobQueries queries;
    private final JobProjections projections;

    JobStatsController(JobQueries queries, JobProjections projections) {
        this.queries = queries;
        this.projections = projections;
    }

    @GetMapping("/api/jobs/stats")
    @Operation(operationId = "getJobStats", summary = "Counts of the caller's jobs", description = "Retained jobs per status, "
            + "and per type the success rate and average run time; of the caller's own jobs (an admin's: of every job).")
    @ApiResponse(responseCode = "200", description = "The counts")
    @Problems({503})
    JobStats stats(@AuthenticationPrincipal Caller caller) {
        if (!projections.isCaughtUp()) {
            throw ApiException.catchingUp("the counts");
        }
        List<TypeStats> all = caller.isAdmin() ? queries.stats() : queries.stats(caller.owner());
        List<TypeStats> byType = all.stream().sorted(Comparator.comparing(TypeStats::type)).toList();
        Map<String, Long> counts = new TreeMap<>();
        for (JobStatus status : JobStatus.values()) {
            if (status != JobStatus.DELETED) {
                counts.put(status.wireName(), 0L);
            }
        }
        byType.forEach(t -> t.counts().forEach((status, n) -> counts.merge(status, n, Long::sum)));
        return new JobStats(counts, counts.values().stream().mapToLong(Long::longValue).sum(), byType.stream()
                .map(t -> new JobStats.TypeCounts(t.type(), t.counts(), t.total(), t.successRate(), t.averageDurationSeconds()))
                .toList());
    }
}
