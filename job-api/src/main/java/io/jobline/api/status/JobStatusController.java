package io.jobline.api.status;

import java.time.Instant;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.access.Caller;
import io.jobline.api.openapi.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.jobline.api.access.JobAccess;
import io.jobline.api.problem.ApiException;
import io.jobline.core.files.FileStore;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.support.Json;
import io.jobline.projections.JobProjections;
import io.jobline.projections.query.JobFilter;
import io.jobline.projections.query.JobPage;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.view.JobView;
import io.jobline.schemas.event.JobEvent;
import io.jobline.worker.StoredFile;
import tools.jackson.databind.JsonNode;

/** Reading jobs: one, a filtered list, a result, a history; the caller's own (an admin's: everyone's). */
@RestController
@RequestMapping("/api/jobs")
@Tag(name = "jobs", description = "Submit, follow, control and delete jobs")
class JobStatusController {

    static final int MAX_LIMIT = 1000;
    static final int MAX_OFFSET = 10_000;
    static final int MAX_EVENTS = 1000;

    private final JobLookup lookup;
    private final JobQueries queries;
    private final FileStore files;
    private final JobProjections projections;

    JobStatusController(JobLookup lookup, JobQueries queries, FileStore files, JobProjections projections) {
        this.lookup = lookup;
        this.queries = queries;
        this.files = files;
        this.projections = projections;
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getJob", summary = "A job", description = "The job's status, progress, stages, attempts, "
            + "errors, input (secrets masked) and files.")
    @ApiResponse(responseCode = "200", description = "The job")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @Problems({400, 404, 503})
    JobResponse job(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable String id,
                    @AuthenticationPrincipal Caller caller) {
        return JobResponse.of(lookup.require(id, caller), Instant.now());
    }

    /**
     * A page of jobs, newest first. Page on with {@code after} (the previous page's {@code next_after}): it costs
     * the same on every page. {@code offset} skips jobs by counting them, so it is bounded. A caller that is not an
     * admin lists its own jobs only: {@code owner} is the caller, and another owner matches nothing.
     */
    @GetMapping
    @Operation(operationId = "listJobs", summary = "A page of the caller's jobs, newest first", description = "Page on with "
            + "after= (the previous page's next_after); offset= skips jobs by counting them. A caller that is not an admin "
            + "lists its own jobs only.")
    @ApiResponse(responseCode = "200", description = "The page")
    @Problems({400, 503})
    JobList list(@Parameter(description = "Only jobs of this status", schema = @Schema(allowableValues = {"pending",
                         "running", "completed", "failed", "cancelled"})) @RequestParam(required = false) String status,
                 @Parameter(description = "Only jobs of this type") @RequestParam(required = false) String type,
                 @Parameter(description = "Only jobs of this owner (an admin's filter; another caller sees its own only)")
                 @RequestParam(required = false) String owner,
                 @Parameter(schema = @Schema(minimum = "1", maximum = "" + MAX_LIMIT, defaultValue = "50"))
                 @RequestParam(defaultValue = "50") int limit,
                 @Parameter(schema = @Schema(minimum = "0", maximum = "" + MAX_OFFSET, defaultValue = "0"))
                 @RequestParam(defaultValue = "0") int offset,
                 @Parameter(description = "The previous page's next_after") @RequestParam(required = false) String after,
                 @AuthenticationPrincipal Caller caller) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be from 1 to " + MAX_LIMIT);
        }
        if (offset < 0 || offset > MAX_OFFSET) {
            throw ApiException.badRequest("offset must be from 0 to " + MAX_OFFSET
                    + "; to page further, pass the last page's next_after as after=");
        }
        if (after != null && !ListingCursor.isValid(after)) {
            throw ApiException.badRequest("after must be the next_after of an earlier page");
        }
        if (!projections.isCaughtUp()) {
            throw ApiException.catchingUp("the listing");
        }
        JobAccess.ListingOwner listed = JobAccess.listingOwner(caller, blankToNull(owner));
        JobPage page = listed.matchesAny()
                ? queries.list(new JobFilter(status(status), blankToNull(type), listed.owner()), limit, offset, after)
                : new JobPage(List.of(), 0, null);
        Instant now = Instant.now();
        return new JobList(page.jobs().stream().map(j -> JobResponse.of(j, now)).toList(), page.count(), limit, offset,
                page.next());
    }

    @GetMapping("/{id}/result")
    @Operation(operationId = "getJobResult", summary = "A job's result", description = "200 with the result once the job "
            + "completed; 202 with the job while it is pending or running; 409 when it failed or was cancelled.")
    @ApiResponse(responseCode = "200", description = "The job completed: its result and artifacts",
            content = @Content(schema = @Schema(implementation = JobResult.class)))
    @ApiResponse(responseCode = "202", description = "Not finished yet: the job as GET /api/jobs/{id} shows it",
            content = @Content(schema = @Schema(implementation = JobResponse.class)))
    @ApiResponse(responseCode = "409", description = "The job failed or was cancelled: it has no result (job_status and "
            + "error say why)")
    @Problems({400, 404, 409, 503})
    ResponseEntity<Object> result(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable String id,
                                  @AuthenticationPrincipal Caller caller) throws java.io.IOException {
        JobView job = lookup.require(id, caller);
        switch (job.status()) {
            case COMPLETED -> {
                return ResponseEntity.ok(new JobResult(job.jobId(), job.status().wireName(), result(job),
                        JobResponse.FileResponse.of(job.jobId(), job.artifacts())));
            }
            case FAILED, CANCELLED -> throw ApiException.jobConflict("Job has no result", "Job " + job.jobId() + " is "
                    + job.status().wireName() + (job.error() == null ? "" : ": " + job.error()), job.jobId(),
                    job.status().wireName(), job.error());
            default -> {
                return ResponseEntity.status(HttpStatus.ACCEPTED).body(JobResponse.of(job, Instant.now()));
            }
        }
    }

    /** The job's events in order, a page at a time: {@code after} a sequence number, at most {@code limit}. */
    @GetMapping("/{id}/events")
    @Operation(operationId = "listJobEvents", summary = "A job's events, in order", description = "A page of the job's "
            + "history: the events after sequence number after=, at most limit=.")
    @ApiResponse(responseCode = "200", description = "The page")
    @Problems({400, 404, 503})
    EventPage events(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable String id,
                     @Parameter(description = "A sequence number: the events after it", schema = @Schema(minimum = "0",
                             defaultValue = "0")) @RequestParam(defaultValue = "0") long after,
                     @Parameter(schema = @Schema(minimum = "1", maximum = "" + MAX_EVENTS, defaultValue = "" + MAX_EVENTS))
                     @RequestParam(defaultValue = "" + MAX_EVENTS) int limit,
                     @AuthenticationPrincipal Caller caller) {
        if (after < 0) {
            throw ApiException.badRequest("after must be a sequence number (0 or more)");
        }
        if (limit < 1 || limit > MAX_EVENTS) {
            throw ApiException.badRequest("limit must be from 1 to " + MAX_EVENTS);
        }
        JobView job = lookup.require(id, caller);
        List<JobEvent> page = queries.history(job.jobId(), after, limit);
        return new EventPage(job.jobId(), page.stream().<JsonNode>map(EventJson::of).toList(), page.size(),
                page.size() == limit ? page.get(page.size() - 1).getSequence() : null);
    }

    private JsonNode result(JobView job) throws java.io.IOException {
        if (job.resultJson() != null) {
            return Json.parse(job.resultJson());
        }
        for (StoredFile artifact : job.artifacts()) {
            if (artifact.name().equals("result.json")) {
                try (var in = files.open(artifact)) {
                    return Json.MAPPER.readTree(in);
                }
            }
        }
        return Json.MAPPER.nullNode();
    }

    private static JobStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return JobStatus.fromWireName(status);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Unknown status '" + status + "'; one of pending, running, completed, failed, cancelled");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
