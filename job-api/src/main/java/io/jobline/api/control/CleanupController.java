package io.jobline.api.control;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.problem.ApiException;

/** POST /api/jobs/cleanup?days=N: deletes the jobs that finished more than N days ago. */
@RestController
class CleanupController {

    private static final int MAX_DAYS = 36_500;

    private final Retention retention;

    CleanupController(Retention retention) {
        this.retention = retention;
    }

    @PostMapping("/api/jobs/cleanup")
    Map<String, Object> cleanup(@RequestParam(name = "days", required = false) String days) {
        int n = days(days);
        Instant cutoff = retention.now().minus(Duration.ofDays(n));
        List<String> deleted = retention.deleteFinishedBefore(cutoff, "cleanup: finished more than " + n + " days ago");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deleted", deleted.size());
        body.put("finished_before", cutoff);
        body.put("job_ids", deleted);
        body.put("message", deleted.isEmpty() ? "No finished job is that old"
                : "Deletion accepted for " + deleted.size() + " job(s); they disappear from listings within moments");
        return body;
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
