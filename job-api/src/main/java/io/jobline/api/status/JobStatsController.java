package io.jobline.api.status;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.access.Caller;
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
class JobStatsController {

    private final JobQueries queries;
    private final JobProjections projections;

    JobStatsController(JobQueries queries, JobProjections projections) {
        this.queries = queries;
        this.projections = projections;
    }

    @GetMapping("/api/jobs/stats")
    Map<String, Object> stats(@AuthenticationPrincipal Caller caller) {
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("counts", counts);
        body.put("total", counts.values().stream().mapToLong(Long::longValue).sum());
        body.put("types", byType.stream().map(t -> {
            Map<String, Object> type = new LinkedHashMap<>();
            type.put("type", t.type());
            type.put("counts", t.counts());
            type.put("total", t.total());
            type.put("success_rate", t.successRate());
            type.put("average_duration_seconds", t.averageDurationSeconds());
            return type;
        }).toList());
        return body;
    }
}
