package io.jobline.core.logging;

import org.slf4j.MDC;

/**
 * Names the job a thread is working on in the logging context (MDC), so that every line written meanwhile, by
 * Jobline or by a job type's own code, carries {@code job_id} (and {@code attempt}): a structured log can be searched
 * by job. Closing it puts back what the thread had before.
 *
 * <pre>{@code try (JobLogContext ignored = JobLogContext.of(jobId, attempt)) { ... } }</pre>
 */
public final class JobLogContext implements AutoCloseable {

    public static final String JOB_ID = "job_id";
    public static final String ATTEMPT = "attempt";

    private final String previousJob;
    private final String previousAttempt;

    private JobLogContext(String jobId, Integer attempt) {
        previousJob = MDC.get(JOB_ID);
        previousAttempt = MDC.get(ATTEMPT);
        put(JOB_ID, jobId);
        put(ATTEMPT, attempt == null || attempt <= 0 ? null : attempt.toString());
    }

    /** The context of one attempt of a job. */
    public static JobLogContext of(String jobId, int attempt) {
        return new JobLogContext(jobId, attempt);
    }

    /** The context of a job, whichever attempt. */
    public static JobLogContext of(String jobId) {
        return new JobLogContext(jobId, null);
    }

    @Override
    public void close() {
        put(JOB_ID, previousJob);
        put(ATTEMPT, previousAttempt);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
