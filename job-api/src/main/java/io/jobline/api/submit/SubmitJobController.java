package io.jobline.api.submit;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

import io.jobline.api.access.Caller;
import io.jobline.api.openapi.Problems;
import io.jobline.api.problem.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.jobline.core.support.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** POST /api/jobs, as JSON or as multipart/form-data with files; the job's owner is the caller. */
@RestController
@RequestMapping("/api/jobs")
@Tag(name = "jobs")
class SubmitJobController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final int MAX_BATCH = 1000;
    private static final Set<String> FIELDS = Set.of("type", "input", "options", "notify");

    private final JobSubmitter submitter;
    private final BatchSubmitter batches;

    SubmitJobController(JobSubmitter submitter, BatchSubmitter batches) {
        this.submitter = submitter;
        this.batches = batches;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "submitJob", summary = "Submit a job", description = "As JSON, or as multipart/form-data "
            + "with files. The job's owner is the caller. An unknown type or an input its schema refuses gets 400 (errors "
            + "lists every violation). With an Idempotency-Key, the same request within 24 h answers the job it made.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SubmitDocs.JobRequest.class)),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = SubmitDocs.Form.class))}))
    @ApiResponse(responseCode = "202", description = "Accepted: a new job, pending", headers = @Header(name = "Location",
            description = "The job's URL", schema = @Schema(types = "string")))
    @ApiResponse(responseCode = "200", description = "The job this Idempotency-Key made before; nothing new",
            headers = @Header(name = "Location", description = "The job's URL", schema = @Schema(types = "string")))
    @ApiResponse(responseCode = "409", description = "A job of the type with the same dedup key is pending or running, "
            + "or this Idempotency-Key's job was deleted (job_id names it)")
    @ApiResponse(responseCode = "413", description = "The body, an upload, or the owner's upload quota is over its limit")
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request")
    @ApiResponse(responseCode = "429", description = "The owner's submit rate or active jobs quota is reached")
    @ApiResponse(responseCode = "503", description = "Kafka did not confirm in time: the job may or may not exist; retry "
            + "with the same Idempotency-Key")
    @Problems({400, 409, 413, 415, 422, 429, 503})
    ResponseEntity<SubmittedJob> submitJson(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SubmitDocs.JobRequest.class)))
                                            @RequestBody JsonNode body,
                                            @Parameter(description = "1 to 255 visible ASCII characters: the same key within 24 hours answers the job(s) it made",
                    schema = @Schema(pattern = "^[\\x21-\\x7e]{1,255}$")) @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                            @AuthenticationPrincipal Caller caller) {
        return answer(submitter.submit(jsonRequest(body, idempotencyKey, caller)));
    }

    private static SubmitRequest jsonRequest(JsonNode body, String idempotencyKey, Caller caller) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("The body must be a JSON object like {\"type\": \"demo\", \"input\": {}}");
        }
        for (String field : body.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw ApiException.badRequest("Unknown field '" + field + "'; a job has 'type', 'input', 'options' and 'notify'");
            }
        }
        JsonNode type = body.get("type");
        if (type == null || !type.isString() || type.asString().isBlank()) {
            throw ApiException.badRequest("'type' is required and must be a non-empty string");
        }
        return new SubmitRequest(type.asString(), input(body.get("input")), body.get("options"), body.get("notify"),
                List.of(), caller.owner(), idempotencyKey, caller.keyId());
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(operationId = "submitJob", summary = "Submit a job", description = "As JSON, or as multipart/form-data "
            + "with files. The job's owner is the caller. An unknown type or an input its schema refuses gets 400 (errors "
            + "lists every violation). With an Idempotency-Key, the same request within 24 h answers the job it made.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SubmitDocs.JobRequest.class)),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = SubmitDocs.Form.class))}))
    @ApiResponse(responseCode = "202", description = "Accepted: a new job, pending", headers = @Header(name = "Location",
            description = "The job's URL", schema = @Schema(types = "string")))
    @ApiResponse(responseCode = "200", description = "The job this Idempotency-Key made before; nothing new",
            headers = @Header(name = "Location", description = "The job's URL", schema = @Schema(types = "string")))
    @ApiResponse(responseCode = "409", description = "A job of the type with the same dedup key is pending or running, "
            + "or this Idempotency-Key's job was deleted (job_id names it)")
    @ApiResponse(responseCode = "413", description = "The body, an upload, or the owner's upload quota is over its limit")
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request")
    @ApiResponse(responseCode = "429", description = "The owner's submit rate or active jobs quota is reached")
    @ApiResponse(responseCode = "503", description = "Kafka did not confirm in time: the job may or may not exist; retry "
            + "with the same Idempotency-Key")
    @Problems({400, 409, 413, 422, 429, 503})
    ResponseEntity<SubmittedJob> submitMultipart(@Parameter(hidden = true) MultipartHttpServletRequest request,
                                                 @Parameter(description = "1 to 255 visible ASCII characters: the same key within 24 hours answers the job(s) it made",
                    schema = @Schema(pattern = "^[\\x21-\\x7e]{1,255}$")) @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                                 @AuthenticationPrincipal Caller caller) {
        String type = request.getParameter("type");
        if (type == null || type.isBlank()) {
            throw ApiException.badRequest("The form needs a 'type' field");
        }
        JsonNode input = input(formJson(request, "input"));
        JsonNode options = formJson(request, "options");
        JsonNode notify = formJson(request, "notify");
        List<Upload> uploads = new ArrayList<>();
        request.getMultiFileMap().values().forEach(parts -> parts.forEach(part -> uploads.add(upload(part))));
        return answer(submitter.submit(new SubmitRequest(type, input, options, notify, uploads, caller.owner(), idempotencyKey,
                caller.keyId())));
    }

    /**
     * POST /api/jobs/batch: {"jobs": [{"type", "input", "options", "notify"}, ...]}, up to {@value #MAX_BATCH} jobs, each
     * answered on its own. 202 when every job was accepted (200 when an Idempotency-Key replay made none), 207 when
     * Kafka confirmed only some in time, 503 when it confirmed none; the body lists every job either way.
     */
    @PostMapping(path = "/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "submitJobBatch", summary = "Submit up to 1,000 JSON jobs at once", description = "All are "
            + "checked before any is appended: a bad one rejects the batch (400, naming its index). No files or dedup keys.")
    @ApiResponse(responseCode = "202", description = "Every job accepted")
    @ApiResponse(responseCode = "200", description = "An Idempotency-Key replay that made no job now")
    @ApiResponse(responseCode = "207", description = "Kafka confirmed only some in time: those are pending, the others "
            + "unconfirmed (send the batch again with the same Idempotency-Key)")
    @ApiResponse(responseCode = "409", description = "This Idempotency-Key's jobs were deleted (job_id names one)")
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used with a different batch")
    @ApiResponse(responseCode = "503", description = "Kafka confirmed none in time; the problem lists every job in jobs")
    @Problems({400, 409, 413, 415, 422, 429, 503})
    ResponseEntity<BatchAnswer> submitBatch(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SubmitDocs.BatchRequest.class)))
                                            @RequestBody JsonNode body,
                                            @Parameter(description = "1 to 255 visible ASCII characters: the same key within 24 hours answers the job(s) it made",
                    schema = @Schema(pattern = "^[\\x21-\\x7e]{1,255}$")) @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                                    @AuthenticationPrincipal Caller caller) {
        JsonNode jobs = body == null ? null : body.get("jobs");
        if (body == null || !body.isObject() || body.size() != 1 || jobs == null || !jobs.isArray() || jobs.isEmpty()) {
            throw ApiException.badRequest("The body must be {\"jobs\": [{\"type\": \"noop\", \"input\": {}}, ...]} with 1 to "
                    + MAX_BATCH + " jobs");
        }
        if (jobs.size() > MAX_BATCH) {
            throw ApiException.badRequest("At most " + MAX_BATCH + " jobs per batch; got " + jobs.size());
        }
        List<SubmitRequest> requests = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            try {
                requests.add(jsonRequest(jobs.get(i), idempotencyKey, caller));
            } catch (ApiException e) {
                throw ApiException.badRequest("jobs[" + i + "]: " + e.getMessage());
            }
        }
        BatchSubmitter.Outcome outcome = batches.submit(requests, caller, idempotencyKey);
        long unconfirmed = outcome.unconfirmed();
        BatchAnswer batch = new BatchAnswer(outcome.jobs().size(), outcome.jobs().size() - unconfirmed, unconfirmed,
                outcome.jobs());
        if (unconfirmed == outcome.jobs().size()) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("count", batch.count());
            answer.put("accepted", batch.accepted());
            answer.put("unconfirmed", batch.unconfirmed());
            answer.put("jobs", batch.jobs());
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", "Kafka confirmed none of the "
                    + unconfirmed + " jobs in time; send the batch again" + (idempotencyKey == null
                    ? " (with an Idempotency-Key, to be sure each job is made once)" : " with the same Idempotency-Key"), answer,
                    ApiException.UNAVAILABLE_RETRY_AFTER);
        }
        if (unconfirmed > 0) {
            return ResponseEntity.status(HttpStatus.MULTI_STATUS).body(batch);
        }
        return (outcome.created() ? ResponseEntity.accepted() : ResponseEntity.ok()).body(batch);
    }

    private static JsonNode formJson(MultipartHttpServletRequest request, String field) {
        String text = request.getParameter(field);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Json.parse(text);
        } catch (JacksonException e) {
            throw ApiException.badRequest("The '" + field + "' field is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonNode input(JsonNode input) {
        if (input == null || input.isNull()) {
            return Json.MAPPER.createObjectNode();
        }
        if (!input.isObject()) {
            throw ApiException.badRequest("'input' must be a JSON object");
        }
        return input;
    }

    /** 202 for a new job; 200 with the existing job for a replayed Idempotency-Key. */
    private static ResponseEntity<SubmittedJob> answer(JobSubmitter.Outcome outcome) {
        SubmittedJob job = outcome.job();
        return (outcome.created() ? ResponseEntity.accepted() : ResponseEntity.ok())
                .location(URI.create("/api/jobs/" + job.jobId())).body(job);
    }

    private static Upload upload(MultipartFile part) {
        return new Upload() {
            @Override
            public String name() {
                return part.getOriginalFilename() == null || part.getOriginalFilename().isBlank()
                        ? part.getName() : part.getOriginalFilename();
            }

            @Override
            public long size() {
                return part.getSize();
            }

            @Override
            public String contentType() {
                return part.getContentType();
            }

            @Override
            public InputStream open() throws IOException {
                return part.getInputStream();
            }
        };
    }
}
