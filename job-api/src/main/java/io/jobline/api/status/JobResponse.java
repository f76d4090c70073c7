package io.jobline.api.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.secrets.SecretInputs;
import io.jobline.core.support.Json;
import io.jobline.projections.view.AttemptError;
import io.jobline.projections.view.JobView;
import io.jobline.worker.StoredFile;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/** A job as the REST API shows it (field names become snake_case in JSON). */
public record JobResponse(
        @Schema(format = "uuid") String jobId,
        String type,
        @Schema(nullable = true, description = "The version of the declared job type the job was submitted with, which "
                + "it keeps whatever the type became since; null for a built-in type") Integer typeVersion,
        String owner,
        @Schema(allowableValues = {"pending", "running", "completed", "failed", "cancelled"}) String status,
        @Schema(description = "Percent done, 0 to 100") int progress,
        @Schema(nullable = true) String progressMessage,
        @Schema(nullable = true, description = "The current (or last) stage's name") String stage,
        int stageNumber,
        int stagesTotal,
        List<StageResponse> stages,
        int attempt,
        int maxAttempts,
        @Schema(nullable = true, description = "The last attempt's error") String error,
        @ArraySchema(schema = @Schema(implementation = AttemptErrorResponse.class)) List<AttemptError> errors,
        @Schema(nullable = true, description = "When a failed attempt is retried") Instant nextAttemptAt,
        Instant createdAt,
        @Schema(nullable = true) Instant startedAt,
        @Schema(nullable = true) Instant completedAt,
        Instant updatedAt,
        Double elapsedSeconds,
        @Schema(nullable = true, description = "At the rate progress moved since the job started; 0 once finished")
        Double estimatedSecondsRemaining,
        @Schema(types = "object", description = "The job's input, sealed secrets masked") JsonNode input,
        @Schema(description = "Files uploaded with the job") List<FileResponse> files,
        @Schema(description = "Files the job produced") List<FileResponse> artifacts) {

    public record StageResponse(int number, String name, @Schema(nullable = true) Instant startedAt,
                                @Schema(nullable = true) Instant completedAt) {
    }

    /** Documentation only: an {@link AttemptError} as JSON. */
    @Schema(name = "AttemptError")
    record AttemptErrorResponse(int attempt, @Schema(nullable = true) Integer stage, String error,
                                @Schema(nullable = true) Instant at) {
    }

    /** A downloadable file of the job, with its URL. */
    public record FileResponse(String name, long size, String contentType,
                               @Schema(description = "Where to download it (GET)", example = "/api/jobs/0f5c3a52-3b7e-4d0b-9a8e-8f1b2f6c9d10/artifacts/result.json")
                               String url) {

        public static List<FileResponse> of(String jobId, List<StoredFile> files) {
            return files.stream().map(f -> new FileResponse(f.name(), f.size(), f.contentType(),
                    "/api/jobs/" + jobId + "/artifacts/" + f.name())).toList();
        }
    }

    public static JobResponse of(JobView job, Instant now) {
        Instant end = job.completedAt() != null ? job.completedAt() : now;
        return new JobResponse(job.jobId(), job.type(), job.typeVersion(), job.owner(), job.status().wireName(), job.progress(),
                job.progressMessage(), job.stage(), job.stageNumber(), job.stagesTotal(),
                job.stages().stream().map(s -> new StageResponse(s.number(), s.name(), s.startedAt(), s.completedAt())).toList(),
                job.attempt(), Math.max(1, job.maxAttempts()), job.error(),
                job.errors() == null ? List.of() : job.errors(), job.nextAttemptAt(), job.createdAt(), job.startedAt(), job.completedAt(), job.updatedAt(),
                seconds(job.createdAt(), end), estimateRemaining(job, now), SecretInputs.mask(Json.parse(job.input())),
                FileResponse.of(job.jobId(), job.files()), FileResponse.of(job.jobId(), job.artifacts()));
    }

    /** Time left at the rate progress has moved since the job started; null where there is no rate yet. */
    private static Double estimateRemaining(JobView job, Instant now) {
        if (job.status() == JobStatus.PENDING || job.status().isFinished() || job.startedAt() == null) {
            return job.status().isFinished() ? 0.0 : null;
        }
        if (job.progress() <= 0 || job.progress() >= 100) {
            return null;
        }
        double elapsed = seconds(job.startedAt(), now);
        return round(elapsed * (100 - job.progress()) / job.progress());
    }

    private static double seconds(Instant from, Instant to) {
        return round(Math.max(0, Duration.between(from, to).toMillis()) / 1000.0);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
