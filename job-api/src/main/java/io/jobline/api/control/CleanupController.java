package io.jobline.api.control;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.openapi.Problems;
import io.jobline.api.problem.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** POST /api/jobs/cleanup?days=N: deletes the jobs that finished more than N days ago. */
@RestController
@Tag(name = "jobs")
class CleanupController {

    private static final int MAX_DAYS = 36_500;

    private final Retention retention;

    CleanupController(Retention retention) {
        this.retention = retention;
    }

    @PostMapping("/api/jobs/cleanup")
    @Operation(operationId = "cleanupJobs", summary = "Delete old finished jobs (admin)",
            description = "Deletes every job that finished (completed, failed, cancelled) more than days= days ago.")
    @ApiResponse(responseCode = "200", description = "The jobs whose deletion was accepted")
    @Problems({400, 503})
    CleanupAnswer cleanup(@Parameter(required = true, description = "Jobs that finished more than this many days ago",
            schema = @Schema(types = "integer", minimum = "0", maximum = "" + MAX_DAYS))
                          @RequestParam(name = "days", required = false) String days) {
        int n = days(days);
        Instant cutoff = retention.now().minus(Duration.ofDays(n));
        List<String> deleted = retention.deleteFinishedBefore(cutoff, "cleanup: finished more than " + n + " days ago");
        return new CleanupAnswer(deleted.size(), cutoff, deleted, deleted.isEmpty() ? "No finished job is that old"
                : "Deletion accepted for " + deleted.size() + " job(s); they disappear from listings within moments");
    }

    private static int days(String days) {
        if (days == null || days.isBlank()) {
            throw ApiException.badRequest("'days' is required: delete the jobs that finished more than that many days ago");
        }
        try {
            int n = Integer.parseInt(days.trim());
            if (n >= 0 && n <= MAX_DAYS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("'days' must be an integer from 0 to " + MAX_DAYS + "; got '" + days + "'");
    }
}
