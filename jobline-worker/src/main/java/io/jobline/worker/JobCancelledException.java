package io.jobline.worker;

/** Thrown from a progress report once the job was cancelled, so a stage stops at its next report. */
public class JobCancelledException extends RuntimeException {
    public JobCancelledException(String jobId) {
        super("Job " + jobId + " was cancelled");
    }
}
