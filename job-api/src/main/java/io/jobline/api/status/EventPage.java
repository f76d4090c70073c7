package io.jobline.api.status;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/** A page of a job's events, in order (GET /api/jobs/{id}/events). */
record EventPage(
        @Schema(format = "uuid") String jobId,
        @ArraySchema(schema = @Schema(ref = "#/components/schemas/JobEvent")) List<JsonNode> events,
        int count,
        @Schema(nullable = true, description = "Pass as after= for the next page; null when this page was not full")
        Long nextAfter) {
}
