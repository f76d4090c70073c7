package io.jobline.api.status;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** A page of jobs, newest first (GET /api/jobs). */
record JobList(
        List<JobResponse> jobs,
        @Schema(description = "Jobs matching the filters, on every page") long count,
        int limit,
        int offset,
        @Schema(nullable = true, description = "Pass as after= for the next page; null on the last page") String nextAfter) {
}
