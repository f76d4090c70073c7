package io.jobline.api.status;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.access.Caller;
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
    JobResponse job(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        return JobResponse.of(lookup.require(id, caller), Instant.now());
    }

    /**
     * A page of jobs, newest first. Page on with {@code after} (the previous page's {@code next_after}): it costs
     * the same on every page. {@code offset} skips jobs by counting them, so it is bounded. A caller that is not an
     * admin lists its own jobs only: {@code owner} is the caller, and another owner matches nothing.
     */
    @GetMapping
    Map<String, Object> list(@RequestParam(required = false) String status,
                             @RequestParam(required = false) String type,
                             @RequestParam(required = false) String owner,
                             @RequestParam(defaultValue = "50") int limit,
                             @RequestParam(defaultValue = "0") int offset,
                             @RequestParam(required = false) String after,
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobs", page.jobs().stream().map(j -> JobResponse.of(j, now)).toList());
        body.put("count", page.count());
        body.put("limit", limit);
        body.put("offset", offset);
        body.put("next_after", page.next());
        return body;
    }

    @GetMapping("/{id}/result")
    ResponseEntity<Object> result(@PathVariable String id, @AuthenticationPrincipal Caller caller) throws java.io.IOException {
        JobView job = lookup.require(id, caller);
        switch (job.status()) {
            case COMPLETED -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("job_id", job.jobId());
                body.put("status", job.status().wireName());
                body.put("result", result(job));
                body.put("artifacts", JobResponse.FileResponse.of(job.jobId(), job.artifacts()));
                return ResponseEntity.ok(body);
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
    Map<String, Object> events(@PathVariable String id, @RequestParam(defaultValue = "0") long after,
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", job.jobId());
        body.put("events", page.stream().map(EventJson::of).toList());
        body.put("count", page.size());
        body.put("next_after", page.size() == limit ? page.get(page.size() - 1).getSequence() : null);
        return body;
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
