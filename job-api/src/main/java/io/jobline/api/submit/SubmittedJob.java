package io.jobline.api.submit;

import io.jobline.projections.view.JobView;
import io.swagger.v3.oas.annotations.media.Schema;

/** The answer about one submitted job: a new one, one an Idempotency-Key made before, or one not confirmed. */
record SubmittedJob(
        @Schema(format = "uuid") String jobId,
        @Schema(description = "pending for a new job; a replayed Idempotency-Key's job's status; unconfirmed in a batch "
                + "when Kafka did not confirm it in time", allowableValues = {"pending", "running", "completed", "failed",
                "cancelled", "unconfirmed"}) String status,
        String message) {

    static final String UNCONFIRMED = "unconfirmed";

    static SubmittedJob pending(String jobId) {
        return new SubmittedJob(jobId, "pending", "Job accepted. Follow it at /api/jobs/" + jobId);
    }

    static SubmittedJob replayed(JobView job) {
        return new SubmittedJob(job.jobId(), job.status().wireName(),
                "Already submitted with this Idempotency-Key. Follow it at /api/jobs/" + job.jobId());
    }

    /** Kafka did not confirm the append in time: the job may or may not exist. */
    static SubmittedJob unconfirmed(String jobId, boolean keyed) {
        return new SubmittedJob(jobId, UNCONFIRMED, "Kafka did not confirm this job in time: it may or may not exist. "
                + (keyed ? "Send the batch again with the same Idempotency-Key: each job is made exactly once."
                        : "Send the batch with an Idempotency-Key to retry it safely."));
    }

    boolean isUnconfirmed() {
        return UNCONFIRMED.equals(status);
    }
}
