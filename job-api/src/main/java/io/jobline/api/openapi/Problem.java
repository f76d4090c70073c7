package io.jobline.api.openapi;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Documentation only: the RFC 9457 problem every error is answered with ({@code application/problem+json}), with the
 * members of our own that some problems carry. Spring's {@code ProblemDetail} writes it.
 */
@Schema(name = "Problem", additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
        requiredProperties = {"title", "status", "detail"},
        description = "An RFC 9457 problem. Besides the standard members, a problem may carry members of its own: those "
                + "below, and on a batch's 503 the batch's answer (count, accepted, unconfirmed, jobs).")
public record Problem(
        @Schema(description = "A URI that identifies the problem type; absent means about:blank", format = "uri-reference")
        String type,
        @Schema(description = "A short summary of the problem type", example = "Bad request")
        String title,
        @Schema(description = "The HTTP status", example = "400")
        int status,
        @Schema(description = "What is wrong, and often how to fix it")
        String detail,
        @Schema(description = "The request's path", format = "uri-reference")
        String instance,
        @Schema(description = "The job the problem is about", format = "uuid")
        String jobId,
        @Schema(description = "The job's status, when that is why the request was refused")
        String jobStatus,
        @Schema(description = "The job's error (a 409 about a failed job), or the OAuth error code of a 401", example = "invalid_token")
        String error,
        @Schema(description = "Every violation of a job type's input schema (400 on submit)")
        List<String> errors,
        @Schema(description = "Why an attempt's call was refused (409)", allowableValues = {"superseded", "cancelled", "timed_out", "finished"})
        String reason,
        @Schema(description = "The attempt a refused call was about (409)")
        Integer attempt,
        @Schema(description = "The job's current attempt (409)")
        Integer currentAttempt,
        @Schema(description = "The limit a body went over (413)")
        Long limitBytes) {
}
