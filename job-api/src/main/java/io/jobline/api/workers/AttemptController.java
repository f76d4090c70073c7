package io.jobline.api.workers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

import io.jobline.api.command.CommandAppender;
import io.jobline.api.openapi.Problems;
import io.jobline.api.problem.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.jobline.api.status.JobResponse.FileResponse;
import io.jobline.api.workers.registry.ExternalWorkers;
import io.jobline.core.command.JobCommands;
import io.jobline.core.files.FileNames;
import io.jobline.core.files.FileStore;
import io.jobline.core.jobtype.StagePlans;
import io.jobline.worker.StoredFile;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.support.Json;
import io.jobline.schemas.command.JobCommand;
import tools.jackson.databind.JsonNode;

/**
 * The calls an external worker makes about the attempt it runs, under {@code /api/jobs/{id}/attempts/{attempt}}:
 * each is checked by {@link AttemptFence}, then appended as the command an in-process worker would send. The
 * attempt number fences them: the decider refuses any report of an attempt that is not current.
 */
@RestController
@RequestMapping("/api/jobs/{id}/attempts/{attempt}")
@Tag(name = "workers", description = "The worker protocol (docs/worker-protocol.md)")
class AttemptController {

    /** Larger checkpoints and results go to the file store, as artifacts, named in a small one. */
    static final int MAX_INLINE_JSON_BYTES = 64 * 1024;

    private final AttemptFence fence;
    private final DeclaredPlans plans;
    private final CommandAppender appender;
    private final JobCommands commands;
    private final FileStore files;
    private final ExternalWorkers workers;
    private final Clock clock = Clock.systemUTC();

    private final CancelRequests cancels;

    AttemptController(AttemptFence fence, DeclaredPlans plans, CommandAppender appender, JobCommands commands,
                      FileStore files, ExternalWorkers workers, CancelRequests cancels) {
        this.cancels = cancels;
        this.workers = workers;
        this.fence = fence;
        this.plans = plans;
        this.appender = appender;
        this.commands = commands;
        this.files = files;
    }

    record HeartbeatRequest(@Schema(nullable = true, description = "The stage being run; absent: the current one") Integer stage,
                            @Schema(nullable = true, minimum = "0", maximum = "1", description = "The fraction of the stage done; "
                                    + "absent: a heartbeat only") Double progress,
                            @Schema(nullable = true) String message) {
    }

    record HeartbeatAnswer(@Schema(description = "The job was cancelled: stop") boolean cancelRequested,
                           @Schema(nullable = true, description = "Send the next heartbeat before this; null once cancelled")
                           Instant leaseExpiresAt) {
    }

    /** @param nextStages for a job with dynamic stages: the stages still to run after this one; null: as planned */
    record StageCompleteRequest(@Schema(nullable = true, description = "Any JSON, at most 64 KiB: where the next attempt resumes")
                                JsonNode checkpoint,
                                @Schema(nullable = true, description = "A job with dynamic stages: the stages still to run "
                                        + "after this one") List<String> nextStages) {
    }

    record StageCompleteAnswer(@Schema(nullable = true, description = "The stage to run now; null after the last")
                               Integer nextStage, Instant leaseExpiresAt) {
    }

    record CompleteRequest(@Schema(nullable = true, description = "Any JSON, at most 64 KiB (more: an artifact)") JsonNode result) {
    }

    record FailRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = "\\S", description = "What went wrong")
                       String error,
                       @Schema(nullable = true, description = "false: fail the job without a retry; absent: true") Boolean retryable) {
    }

    record ReleaseRequest(@Schema(nullable = true) String reason) {
    }

    /** The answer of complete, fail and release: what the job becomes. */
    record AttemptAnswer(@Schema(allowableValues = {"completed", "pending", "failed"}) String status,
                         @Schema(nullable = true) Instant nextAttemptAt) {
    }

    /** Progress and heartbeat in one: renews the lease, and says whether the job was cancelled. */
    @PostMapping("/heartbeat")
    @Operation(operationId = "heartbeat", summary = "Report progress, renew the lease", description = "A heartbeat, "
            + "with progress when given; says whether the job was cancelled.")
    @ApiResponse(responseCode = "200", description = "The lease renewed, or cancel_requested")
    @ApiResponse(responseCode = "409", description = "The attempt is no longer current (reason: superseded, cancelled, "
            + "timed_out, finished): stop, and send nothing more for it")
    @Problems({400, 404, 409, 413, 503})
    HeartbeatAnswer heartbeat(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable String id, @Parameter(description = "The attempt number of the task", schema = @Schema(minimum = "1")) @PathVariable int attempt,
                              @RequestBody(required = false) HeartbeatRequest body) {
        CurrentAttempt job;
        try {
            job = plans.latest(fence.check(id, attempt));
        } catch (ApiException e) {
            if ("cancelled".equals(e.properties().get("reason"))) {
                workers.released(id, attempt);
                return new HeartbeatAnswer(true, null);
            }
            throw e;
        }
        if (cancels.isRequested(id, attempt)) {
            // Accepted here a moment ago; the job's view shows it once the decider has decided it.
            workers.released(id, attempt);
            return new HeartbeatAnswer(true, null);
        }
        HeartbeatRequest request = body == null ? new HeartbeatRequest(null, null, null) : body;
        int stage = request.stage() == null ? job.stage() : request.stage();
        String worker = job.workerId();
        if (request.progress() != null) {
            double fraction = request.progress();
            if (!(fraction >= 0 && fraction <= 1)) {
                throw ApiException.badRequest("'progress' is the fraction of the stage done: from 0 to 1");
            }
            int total = Math.max(1, job.stagesTotal());
            int overall = (int) Math.floor(((stage - 1) + fraction) * 100 / total);
            appender.append(commands.progress(id, worker, attempt, stage, Math.max(0, Math.min(100, overall)), request.message()));
        } else {
            appender.append(commands.heartbeat(id, worker, attempt, stage));
        }
        return new HeartbeatAnswer(false, Lease.expiry(clock.instant(), job.heartbeatTimeoutMs()));
    }

    /**
     * Completes a stage with its checkpoint, and starts the next one. The worker of a job with dynamic stages may
     * name the stages still to run after it ({@code next_stages}): they replace the rest of the plan.
     */
    @PostMapping("/stages/{stage}/complete")
    @Operation(operationId = "completeStage", summary = "Complete a stage, start the next", description = "With its "
            + "checkpoint. A repeat after a lost answer gets the same answer and appends nothing.")
    @ApiResponse(responseCode = "200", description = "The next stage, if any")
    @ApiResponse(responseCode = "409", description = "The attempt is no longer current (reason: superseded, cancelled, "
            + "timed_out, finished): stop, and send nothing more for it")
    @ApiResponse(responseCode = "422", description = "next_stages for a job whose plan is fixed")
    @Problems({400, 404, 409, 413, 422, 503})
    StageCompleteAnswer completeStage(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable String id, @Parameter(description = "The attempt number of the task", schema = @Schema(minimum = "1")) @PathVariable int attempt,
                                      @Parameter(schema = @Schema(minimum = "1")) @PathVariable int stage,
                                      @RequestBody(required = false) StageCompleteRequest body) {
        CurrentAttempt job = plans.latest(fence.check(id, attempt));
        if (stage < 1 || stage > job.stagesTotal()) {
            throw ApiException.badRequest("Job " + id + " has stages 1 to " + job.stagesTotal() + ", not " + stage);
        }
        List<String> nextStages = body == null ? null : body.nextStages();
        List<String> plan = nextStages == null ? job.stages() : replanned(job, stage, nextStages);
        String checkpoint = inlineJson("checkpoint", body == null ? null : body.checkpoint());
        String worker = job.workerId();
        Integer next = stage < plan.size() ? stage + 1 : null;
        if (stage <= job.completedStages()) {
            // Completed already: a repeat after a lost answer gets the same answer, and appends nothing.
            return new StageCompleteAnswer(next, Lease.expiry(clock.instant(), job.heartbeatTimeoutMs()));
        }
        JobCommand complete = commands.completeStage(id, worker, attempt, stage, checkpoint, nextStages);
        if (next == null) {
            appender.append(complete);
        } else {
            appender.appendEach(List.of(complete, commands.startStage(id, worker, attempt, next, plan.get(next - 1))));
        }
        if (nextStages != null) {
            plans.declared(id, attempt, stage, plan);
        }
        return new StageCompleteAnswer(next, Lease.expiry(clock.instant(), job.heartbeatTimeoutMs()));
    }

    /** The plan once stage {@code stage} completes with {@code nextStages} after it; 422 for a job whose plan is fixed. */
    private static List<String> replanned(CurrentAttempt job, int stage, List<String> nextStages) {
        if (Boolean.FALSE.equals(job.dynamicStages())) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Fixed stage plan", "Job " + job.jobId()
                    + " was not submitted with dynamic stages (its type does not declare \"dynamic_stages\": true):"
                    + " its plan cannot change, so 'next_stages' is not allowed", Map.of("job_id", job.jobId()));
        }
        String invalid = StagePlans.invalidNext(stage, nextStages);
        if (invalid != null) {
            throw ApiException.badRequest("'next_stages': " + invalid);
        }
        List<String> plan = new ArrayList<>(job.stages().subList(0, stage));
        plan.addAll(nextStages);
        return List.copyOf(plan);
    }

    /** Stores a file the attempt produced; the attempt's files are the job's artifacts when it completes. */
    @PutMapping("/artifacts/{name}")
    @Operation(operationId = "uploadArtifact", summary = "Upload a file the attempt produced", description = "The "
            + "attempt's files become the job's artifacts when it completes.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, description = "The bytes",
                    content = @Content(mediaType = "*/*", schema = @Schema(types = "string", format = "binary"))))
    @ApiResponse(responseCode = "201", description = "Stored")
    @ApiResponse(responseCode = "409", description = "The attempt is no longer current (reason: superseded, cancelled, "
            + "timed_out, finished): stop, and send nothing more for it")
    @Problems({400, 404, 409, 413, 503})
    ResponseEntity<FileResponse> uploadArtifact(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable String id, @Parameter(description = "The attempt number of the task", schema = @Schema(minimum = "1")) @PathVariable int attempt, @PathVariable String name,
                                                @Parameter(hidden = true) @RequestHeader(value = "Content-Type", required = false)
                                                String contentType,
                                                @Parameter(hidden = true) InputStream content) throws IOException {
        fence.check(id, attempt);
        String safe = safeName(name);
        StoredFile stored = files.save(id, artifactFolder(attempt), safe,
                contentType == null ? "application/octet-stream" : contentType, content);
        return ResponseEntity.status(HttpStatus.CREATED).body(FileResponse.of(id, List.of(stored)).get(0));
    }

    private static String safeName(String name) {
        try {
            return FileNames.safe(name);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    record UploadUrlRequest(@Schema(nullable = true, description = "absent: application/octet-stream") String contentType) {
    }

    /**
     * Where to PUT artifact {@code name}: {@code presigned}, a URL of the object store to send the bytes to without
     * the worker's key, with exactly {@code headers}, until {@code expires_at}; else this service's own upload call
     * (the local store). Either way the file is one of the attempt's artifacts, taken when the attempt completes.
     */
    record UploadUrlAnswer(@Schema(allowableValues = "PUT") String method, String url,
                           @Schema(description = "Send exactly these headers") Map<String, String> headers,
                           boolean presigned, @Schema(nullable = true) Instant expiresAt) {
    }

    @PostMapping("/artifacts/{name}/upload-url")
    @Operation(operationId = "artifactUploadUrl", summary = "Where to upload an artifact", description = "An object "
            + "store's presigned URL (sent without the worker's key), or this service's own upload call.")
    @ApiResponse(responseCode = "200", description = "Where to PUT the bytes")
    @ApiResponse(responseCode = "409", description = "The attempt is no longer current (reason: superseded, cancelled, "
            + "timed_out, finished): stop, and send nothing more for it")
    @Problems({400, 404, 409, 413, 503})
    UploadUrlAnswer uploadUrl(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable String id, @Parameter(description = "The attempt number of the task", schema = @Schema(minimum = "1")) @PathVariable int attempt, @PathVariable String name,
                              @RequestBody(required = false) UploadUrlRequest body) {
        fence.check(id, attempt);
        String safe = safeName(name);
        String contentType = body == null || body.contentType() == null || body.contentType().isBlank()
                ? "application/octet-stream" : body.contentType();
        return files.uploadUrl(id, artifactFolder(attempt), safe, contentType)
                .map(signed -> new UploadUrlAnswer(signed.method(), signed.url().toString(), signed.headers(), true, signed.expiresAt()))
                .orElseGet(() -> new UploadUrlAnswer("PUT", "/api/jobs/" + id + "/attempts/" + attempt + "/artifacts/"
                        + UriUtils.encodePathSegment(safe, StandardCharsets.UTF_8), Map.of("Content-Type", contentType), false, null));
    }

    /** Completes the job (and its last stage) with its result and the artifacts uploaded in this attempt. */
    @PostMapping("/complete")
    @Operation(operationId = "completeJob", summary = "Complete the job", description = "With its result and the "
            + "artifacts uploaded in this attempt.")
    @ApiResponse(responseCode = "200", description = "Completed")
    @ApiResponse(responseCode = "409", description = "The attempt is no longer current (reason: superseded, cancelled, "
            + "timed_out, finished): stop, and send nothing more for it")
    @Problems({400, 404, 409, 413, 503})
    AttemptAnswer complete(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable String id, @Parameter(description = "The attempt number of the task", schema = @Schema(minimum = "1")) @PathVariable int attempt, @RequestBody(required = false) CompleteRequest body)
            throws IOException {
        CurrentAttempt job = fence.check(id, attempt);
        String result = inlineJson("result", body == null ? null : body.result());
        List<StoredFile> artifacts = files.list(id, artifactFolder(attempt));
        appender.append(commands.complete(id, job.workerId(), attempt, result, artifacts));
        workers.released(id, attempt);
        return answer(JobStatus.COMPLETED, null);
    }

    /** Fails the attempt: retried after a backoff while the policy allows (and the error is retryable), else the job fails. */
    @PostMapping("/fail")
    @Operation(operationId = "failAttempt", summary = "Fail the attempt", description = "Retried after a backoff while "
            + "the policy allows and the error is retryable (status pending); else the job fails.")
    @ApiResponse(responseCode = "200", description = "Failed: what the job becomes")
    @ApiResponse(responseCode = "409", description = "The attempt is no longer current (reason: superseded, cancelled, "
            + "timed_out, finished): stop, and send nothing more for it")
    @Problems({400, 404, 409, 413, 503})
    AttemptAnswer fail(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable String id, @Parameter(description = "The attempt number of the task", schema = @Schema(minimum = "1")) @PathVariable int attempt, @RequestBody FailRequest body) {
        CurrentAttempt job = fence.check(id, attempt);
        if (body == null || body.error() == null || body.error().isBlank()) {
            throw ApiException.badRequest("'error' must say what went wrong");
        }
        boolean retryable = body.retryable() == null || body.retryable();
        appender.append(commands.fail(id, job.workerId(), attempt, truncate(body.error()), job.stage(), retryable));
        workers.released(id, attempt);
        boolean retried = retryable && job.failures() + 1 < job.maxAttempts();
        return answer(retried ? JobStatus.PENDING : JobStatus.FAILED, null);
    }

    /** Gives the job back unharmed: pending again at once, not counted as a failure. */
    @PostMapping("/release")
    @Operation(operationId = "releaseJob", summary = "Give the job back unharmed", description = "Pending again at once, "
            + "not counted as a failure.")
    @ApiResponse(responseCode = "200", description = "Released")
    @ApiResponse(responseCode = "409", description = "The attempt is no longer current (reason: superseded, cancelled, "
            + "timed_out, finished): stop, and send nothing more for it")
    @Problems({400, 404, 409, 413, 503})
    AttemptAnswer release(@Parameter(description = "The job's id", schema = @Schema(format = "uuid")) @PathVariable String id, @Parameter(description = "The attempt number of the task", schema = @Schema(minimum = "1")) @PathVariable int attempt, @RequestBody(required = false) ReleaseRequest body) {
        CurrentAttempt job = fence.check(id, attempt);
        appender.append(commands.release(id, job.workerId(), attempt, body == null ? null : truncate(body.reason())));
        workers.released(id, attempt);
        return answer(JobStatus.PENDING, null);
    }

    static String artifactFolder(int attempt) {
        return FileStore.ARTIFACTS + "/attempt-" + attempt;
    }

    private static String inlineJson(String what, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        String json = Json.write(node);
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_INLINE_JSON_BYTES) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Too large", "The " + what + " is over "
                    + MAX_INLINE_JSON_BYTES / 1024 + " KiB: upload the data as an artifact and name it in the " + what,
                    Map.of("limit_bytes", MAX_INLINE_JSON_BYTES));
        }
        return json;
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 4000 ? text : text.substring(0, 4000);
    }

    private static AttemptAnswer answer(JobStatus status, Instant nextAttemptAt) {
        return new AttemptAnswer(status.wireName(), nextAttemptAt);
    }
}
