package io.jobline.api.openapi;

import io.swagger.v3.oas.annotations.media.Schema;

/** Documentation only: an event of a job's history as GET /api/jobs/{id}/events writes it (status.EventJson). */
@Schema(name = "JobEvent", description = "An event of the job's history, as in the job-events topic")
public record JobEvent(
        String eventId,
        @Schema(format = "uuid") String jobId,
        @Schema(description = "The payload's record name", example = "StageCompleted") String type,
        @Schema(description = "The event's number in the job's history, from 1") long sequence,
        int attempt,
        @Schema(format = "date-time") String timestamp,
        @Schema(description = "The payload's fields (the Avro record's names); input, result_json and checkpoint as "
                + "JSON, with sealed secrets masked") java.util.Map<String, Object> data) {
}
