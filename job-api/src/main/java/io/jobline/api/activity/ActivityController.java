package io.jobline.api.activity;

import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.access.Caller;
import io.jobline.api.problem.ApiException;
import io.jobline.projections.JobProjections;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.stats.ActiveJobs;

/**
 * What the dashboard's charts read: {@code GET /api/jobs/activity} (the last hour's finished jobs, of the caller's
 * own jobs; an admin's: of every job) and {@code GET /api/jobs/queues} (pending and running jobs per type and
 * priority, of every owner: the type counts are public to any key already).
 */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "jobs")
class ActivityController {

    private final RecentFinishes finishes;
    private final JobQueries queries;
    private final JobProjections projections;

    ActivityController(RecentFinishes finishes, JobQueries queries, JobProjections projections) {
        this.finishes = finishes;
        this.queries = queries;
        this.projections = projections;
    }

    @GetMapping("/api/jobs/activity")
    @io.swagger.v3.oas.annotations.Operation(operationId = "getJobActivity", summary = "Finished jobs per minute and run "
            + "times per type, over the last hour", description = "Of the caller's jobs (an admin's: all), as this "
            + "instance folded them since it started")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The activity")
    Activity activity(@RequestParam(required = false) String type, @AuthenticationPrincipal Caller caller) {
        Predicate<RecentFinishes.Finish> filter = f -> (type == null || type.isBlank() || type.equals(f.type()))
                && (caller.isAdmin() || caller.owner().equals(f.owner()));
        return finishes.activity(filter);
    }

    record Queue(String type, int priority, long pending, long running) {
    }

    record Queues(List<Queue> queues) {
    }

    @GetMapping("/api/jobs/queues")
    @io.swagger.v3.oas.annotations.Operation(operationId = "getJobQueues", summary = "Pending and running jobs per type "
            + "and priority", description = "Of every job (with several instances, their sum; 503 while partitions move)")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The queues")
    @io.jobline.api.openapi.Problems({503})
    Queues queues() {
        if (!projections.isCaughtUp()) {
            throw ApiException.catchingUp("the queues");
        }
        return new Queues(queries.queues().stream()
                .filter(a -> a.pending() > 0 || a.running() > 0)
                .sorted(Comparator.comparing(ActiveJobs::type).thenComparing(Comparator.comparingInt(ActiveJobs::priority).reversed()))
                .map(a -> new Queue(a.type(), a.priority(), a.pending(), a.running()))
                .toList());
    }
}
