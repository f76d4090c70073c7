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
import io.jobline.api.problem.ApiException;
import io.jobline.core.support.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** POST /api/jobs, as JSON or as multipart/form-data with files; the job's owner is the caller. */
@RestController
@RequestMapping("/api/jobs")
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
    ResponseEntity<SubmittedJob> submitJson(@RequestBody JsonNode body,
                                            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                            @AuthenticationPrincipal Caller caller) {
        return answer(submitter.submit(jsonRequest(body, idempotencyKey, caller.owner())));
    }

    private static SubmitRequest jsonRequest(JsonNode body, String idempotencyKey, String owner) {
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
                List.of(), owner, idempotencyKey);
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<SubmittedJob> submitMultipart(MultipartHttpServletRequest request,
                                                 @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
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
        return answer(submitter.submit(new SubmitRequest(type, input, options, notify, uploads, caller.owner(), idempotencyKey)));
    }

    /**
     * POST /api/jobs/batch: {"jobs": [{"type", "input", "options", "notify"}, ...]}, up to {@value #MAX_BATCH} jobs, each
     * answered on its own. 202 when every job was accepted (200 when an Idempotency-Key replay made none), 207 when
     * Kafka confirmed only some in time, 503 when it confirmed none; the body lists every job either way.
     */
    @PostMapping(path = "/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> submitBatch(@RequestBody JsonNode body,
                                                    @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
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
                requests.add(jsonRequest(jobs.get(i), idempotencyKey, caller.owner()));
            } catch (ApiException e) {
                throw ApiException.badRequest("jobs[" + i + "]: " + e.getMessage());
            }
        }
        BatchSubmitter.Outcome outcome = batches.submit(requests, caller.owner(), idempotencyKey);
        long unconfirmed = outcome.unconfirmed();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("count", outcome.jobs().size());
        answer.put("accepted", outcome.jobs().size() - unconfirmed);
        answer.put("unconfirmed", unconfirmed);
        answer.put("jobs", outcome.jobs());
        if (unconfirmed == outcome.jobs().size()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", "Kafka confirmed none of the "
                    + unconfirmed + " jobs in time; send the batch again" + (idempotencyKey == null
                    ? " (with an Idempotency-Key, to be sure each job is made once)" : " with the same Idempotency-Key"), answer,
                    ApiException.UNAVAILABLE_RETRY_AFTER);
        }
        if (unconfirmed > 0) {
            return ResponseEntity.status(HttpStatus.MULTI_STATUS).body(answer);
        }
        return (outcome.created() ? ResponseEntity.accepted() : ResponseEntity.ok()).body(answer);
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
