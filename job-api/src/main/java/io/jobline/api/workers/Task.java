package io.jobline.api.workers;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.jobline.api.submit.SubmitOptions;
import io.jobline.processor.dispatch.OfferedJob;
import io.jobline.core.files.FileRefs;
import io.jobline.core.files.FileStore;
import io.jobline.core.policy.Policy;
import io.jobline.core.secrets.SecretInputs;
import io.jobline.core.secrets.SecretKeys;
import io.jobline.core.support.Json;
import io.jobline.schemas.offer.JobOffer;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * What a long poll hands a worker: everything its attempt needs (the input's secrets opened), and the attempt number
 * that fences its calls, and the W3C trace context of the job (null with tracing off) for the worker to continue and
 * send back as the {@code traceparent} header of its calls.
 */
record Task(
        @Schema(format = "uuid") String jobId,
        String type,
        @Schema(nullable = true, description = "A declared type's version") Integer typeVersion,
        int attempt,
        int priority,
        @Schema(types = "object", description = "The job's input, secrets opened") JsonNode input,
        List<String> stages,
        @Schema(description = "The stage to start at (after the last completed one)") int firstStage,
        @Schema(description = "The last completed stage's checkpoint, or null") JsonNode checkpoint,
        List<TaskFile> files,
        @Schema(implementation = io.jobline.api.submit.SubmitDocs.Effective.class) Map<String, Object> options,
        long heartbeatIntervalMs,
        Instant leaseExpiresAt,
        @Schema(nullable = true, description = "The W3C trace context of the job; null with tracing off") String traceparent) {

    /** @throws SecretKeys.SecretException when a secret of the input does not open with this process's keys */
    static Task of(OfferedJob job, Instant now, SecretInputs secrets, FileStore store) {
        JobOffer offer = job.offer();
        Policy policy = Policy.of(offer.getPolicy());
        return new Task(offer.getJobId(), offer.getType(), offer.getTypeVersion(), job.attempt(), offer.getPriority(),
                secrets.open(offer.getJobId(), Json.parse(offer.getInput())), List.copyOf(offer.getStages()), offer.getFirstStage(),
                offer.getCheckpoint() == null ? null : Json.parse(offer.getCheckpoint()),
                TaskFile.of(offer.getJobId(), FileRefs.toStored(offer.getFiles()), store), SubmitOptions.describe(policy),
                Lease.heartbeatInterval(policy.heartbeatTimeoutMs()).toMillis(), Lease.expiry(now, policy.heartbeatTimeoutMs()),
                job.traceParent());
    }
}
