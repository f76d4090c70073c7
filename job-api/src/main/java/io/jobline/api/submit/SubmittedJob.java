package io.jobline.api.submit;

/** The answer to an accepted submit. */
record SubmittedJob(String jobId, String status, String message) {
}
