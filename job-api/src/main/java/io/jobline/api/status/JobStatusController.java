package io.jobline.api.status;

import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobline.api.problem.ApiException;
import io.jobline.processor.files.FileStore;
import io.jobline.processor.files.StoredFile;
import io.jobline.processor.lifecycle.JobStatus;
import io.jobline.processor.support.Json;
import io.jobline.projections.JobProjections;
import io.jobline.projections.query.JobFilter;
import io.jobline.projections.query.JobPage;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.view.JobView;
import tools.jackson.databind.JsonNode;

/** Reading jobs: one, a filtered list, a result, a history. */
@RestController
@RequestMapping("/api/jobs")
class JobStatusController {

    static final int MAX_LIMIT = 1000;

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
    JobResponse job(@PathVariable String id) {
        return JobResponse.of(lookup.require(id), Instant.now());
    }

    @GetMapping
    Map<String, Object> list(@RequestParam(required = false) String status,
                             @RequestParam(required = false) String type,
                             @RequestParam(required = false) String owner,
                             @RequestParam(defaultValue = "50") int limit,
                             @RequestParam(defaultValue = "0") int offset) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be from 1 to " + MAX_LIMIT);
        }
        if (offset < 0) {
            throw ApiException.badRequest("offset must not be negative");
        }
        if (!projections.isCaughtUp()) {
            throw ApiException.catchingUp("the listing");
        }
        JobPage page = queries.list(new JobFilter(status(status), blankToNull(type), blankToNull(owner)), limit, offset);
        Instant now = Instant.now();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobs", page.jobs().stream().map(j -> JobResponse.of(j, now)).toList());
        body.put("count", page.count());
        body.put("limit", limit);
        body.put("offset", offset);
        return body;
    }

    @GetMapping("/{id}/result")
    ResponseEntity<Object> result(@PathVariable String id) throws java.io.IOException {
        JobView job = lookup.require(id);
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

    @GetMapping("/{id}/events")
    Map<String, Object> events(@PathVariable String id) {
        JobView job = lookup.require(id);
        var events = queries.history(job.jobId()).stream().map(EventJson::of).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", job.jobId());
        body.put("events", events);
        body.put("count", events.size());
        return body;
    }

    private JsonNode result(JobView job) throws java.io.IOException {
        if (job.resultJson() != null) {
            return Json.parse(job.resultJson());
        }
        for (StoredFile artifact : job.artifacts()) {
            if (artifact.name().equals("result.json")) {
                try (var in = Files.newInputStream(files.path(artifact))) {
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
