package io.jobline.api.submit;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Documentation only: the request bodies of a submit, which the controller reads as JSON trees to check them itself
 * (every problem named in the 400).
 */
public final class SubmitDocs {

    private SubmitDocs() {
    }

    @Schema(name = "SubmitJobRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record JobRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "A job type's name (GET /api/job-types)",
                    pattern = "\\S", example = "demo") String type,
            @Schema(nullable = true, description = "The job's input: an object valid by the type's input_schema; "
                    + "absent or null: {}") java.util.Map<String, Object> input,
            @Schema(nullable = true) Options options,
            @Schema(name = "notify", nullable = true) Notify webhook) {
    }

    @Schema(name = "Notify", additionalProperties = Schema.AdditionalPropertiesValue.FALSE,
            description = "The job's own webhook (README: Webhooks)")
    record Notify(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "An http(s) URL on a public address",
                    example = "https://example.com/hooks/jobline") String url,
            @Schema(nullable = true, description = "Which of the job's events are sent; absent: terminal")
            @ArraySchema(schema = @Schema(allowableValues = {"terminal", "stage", "progress"})) List<String> events) {
    }

    @Schema(name = "SubmitOptions", additionalProperties = Schema.AdditionalPropertiesValue.FALSE,
            description = "Override the job type's defaults for this job (README: Retries and timeouts)")
    public record Options(
            @Schema(nullable = true, minimum = "1", maximum = "100") Integer maxAttempts,
            @Schema(nullable = true, minimum = "0", maximum = "604800000", description = "At most backoff_max_ms") Long backoffMs,
            @Schema(nullable = true, minimum = "1", maximum = "10") Double backoffMultiplier,
            @Schema(nullable = true, minimum = "0", maximum = "604800000") Long backoffMaxMs,
            @Schema(nullable = true, minimum = "100", maximum = "604800000", description = "null: no job timeout") Long timeoutMs,
            @Schema(nullable = true, minimum = "100", maximum = "604800000", description = "null: no stage timeout") Long stageTimeoutMs,
            @Schema(nullable = true, minimum = "100", maximum = "604800000", description = "null: no heartbeat timeout")
            Long heartbeatTimeoutMs,
            @Schema(nullable = true, minimum = "0", maximum = "100") Integer maxRestarts,
            @Schema(nullable = true, minimum = "-100", maximum = "100", description = "Higher starts first") Integer priority) {
    }

    /** A policy in the names of the submit options ({@link SubmitOptions#describe}). */
    @Schema(name = "JobOptions", description = "The retry and timeout options in force (null: that timeout is off)")
    public record Effective(int maxAttempts, long backoffMs, double backoffMultiplier, long backoffMaxMs,
                            @Schema(nullable = true) Long timeoutMs, @Schema(nullable = true) Long stageTimeoutMs,
                            @Schema(nullable = true) Long heartbeatTimeoutMs, int maxRestarts) {
    }

    @Schema(name = "SubmitJobForm", description = "A job with files: the type, the input and options as JSON text, and "
            + "file parts (any field names; each file is named by its filename)")
    record Form(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = "\\S", example = "csv-report") String type,
            @Schema(description = "JSON text of an object", example = "{\"delimiter\": \",\"}") String input,
            @Schema(description = "JSON text of SubmitOptions") String options,
            @Schema(name = "notify", description = "JSON text of Notify") String webhook,
            @ArraySchema(schema = @Schema(types = "string", format = "binary")) List<String> file) {
    }

    @Schema(name = "SubmitBatchRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record BatchRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            @ArraySchema(minItems = 1, maxItems = SubmitJobController.MAX_BATCH) List<JobRequest> jobs) {
    }
}
