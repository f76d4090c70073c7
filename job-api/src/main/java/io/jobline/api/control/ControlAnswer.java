package io.jobline.api.control;

import io.swagger.v3.oas.annotations.media.Schema;

/** The answer to cancel, retry and delete: accepted, and what happens next. */
record ControlAnswer(
        @Schema(format = "uuid") String jobId,
        @Schema(description = "What the job becomes", allowableValues = {"cancelling", "pending", "deleting"}) String status,
        String message) {
}
