package io.jobline.api.status;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/** Retained jobs per status, and per type (GET /api/jobs/stats). */
record JobStats(
        @Schema(description = "Jobs per status: pending, running, completed, failed, cancelled") Map<String, Long> counts,
        long total,
        List<TypeCounts> types) {

    record TypeCounts(
            String type,
            @Schema(description = "Jobs of the type per status (only the statuses it has)") Map<String, Long> counts,
            long total,
            @Schema(nullable = true, description = "Completed over completed plus failed; null before any finished")
            Double successRate,
            @Schema(nullable = true, description = "Average run time of the completed ones; null before any completed")
            Double averageDurationSeconds) {
    }
}
