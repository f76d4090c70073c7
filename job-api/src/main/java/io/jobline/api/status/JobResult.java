package io.jobline.api.status;

import java.util.List;

import io.jobline.api.status.JobResponse.FileResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/** A completed job's result (GET /api/jobs/{id}/result). */
record JobResult(
        @Schema(format = "uuid") String jobId,
        @Schema(allowableValues = "completed") String status,
        @Schema(description = "The job's result: any JSON value (its result.json artifact, when it has one), null when it has none")
        JsonNode result,
        List<FileResponse> artifacts) {
}
