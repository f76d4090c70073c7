package io.jobline.api.submit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import io.jobline.api.problem.ApiException;
import io.jobline.api.system.JoblineProperties;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.stats.TypeStats;

/**
 * What one owner may submit: jobs per second (at most that many in any one second, a sliding window) and active
 * jobs (pending and running, counted by the projections); a submit past either is answered 429 before anything is
 * appended, with Retry-After and the RateLimit headers. And the bytes of uploads its retained jobs hold: past them,
 * 413. Limits are per owner, from the defaults or the owner's own; 0 means no limit.
 */
@Component
class SubmitQuotas {

    /** When to try again after the active-jobs quota: jobs take a while to finish, a poll every few seconds is enough. */
    static final Duration ACTIVE_RETRY_AFTER = Duration.ofSeconds(5);

    private final JoblineProperties.Quotas quotas;
    private final JobQueries queries;
    private final LongSupplier nanos;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    @Autowired
    SubmitQuotas(JoblineProperties properties, JobQueries queries) {
        this(properties.quotas(), queries, System::nanoTime);
    }

    SubmitQuotas(JoblineProperties.Quotas quotas, JobQueries queries, LongSupplier nanos) {
        this.quotas = quotas == null ? JoblineProperties.Quotas.NONE : quotas;
        this.queries = queries;
        this.nanos = nanos;
    }

    /** Admits {@code jobs} new jobs of {@code owner}, or throws a 429 problem. */
    void admit(String owner, int jobs) {
        JoblineProperties.Quota quota = quotas.of(owner);
        if (quota.activeJobs() > 0) {
            long active = active(owner);
            if (active + jobs > quota.activeJobs()) {
                throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Too many active jobs",
                        "Owner '" + owner + "' has " + active + " jobs pending or running, and may have "
                                + quota.activeJobs() + "; " + jobs + " more would pass that",
                        Map.of("active_jobs", active, "limit", quota.activeJobs()), ACTIVE_RETRY_AFTER);
            }
        }
        if (quota.submitsPerSecond() > 0) {
            int rate = quota.submitsPerSecond();
            windows.computeIfAbsent(owner, o -> new Window()).take(owner, rate, jobs, nanos.getAsLong());
        }
    }

    /**
     * Admits {@code bytes} more of uploads for {@code owner}, or throws a 413 problem: the files its retained jobs
     * hold (as the projections count them) and these would pass its quota. Deleting jobs frees their share.
     */
    void admitUploads(String owner, long bytes) {
        long limit = quotas.of(owner).uploadBytes();
        if (limit <= 0 || bytes == 0) {
            return;
        }
        long stored = 0;
        for (TypeStats stats : queries.stats(owner)) {
            stored += stats.uploadBytes();
        }
        if (stored + bytes > limit) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Upload quota exceeded",
                    "Owner '" + owner + "' holds " + stored + " bytes of uploads in its jobs and may hold " + limit
                            + "; these " + bytes + " bytes would pass that (delete finished jobs to free their files)",
                    Map.of("stored_bytes", stored, "limit", limit, "owner", owner));
        }
    }

    private long active(String owner) {
        long active = 0;
        for (TypeStats stats : queries.stats(owner)) {
            active += stats.count(JobStatus.PENDING) + stats.count(JobStatus.RUNNING);
        }
        return active;
    }

    /** When the jobs of the last second were admitted: at most {@code rate} of them in any one second. */
    private static final class Window {
        private static final long SECOND = 1_000_000_000L;
        private final ArrayDeque<Long> admitted = new ArrayDeque<>();

        synchronized void take(String owner, int rate, int jobs, long now) {
            while (!admitted.isEmpty() && now - admitted.peekFirst() >= SECOND) {
                admitted.pollFirst();
            }
            if (admitted.size() + jobs <= rate) {
                for (int i = 0; i < jobs; i++) {
                    admitted.addLast(now);
                }
                return;
            }
            if (jobs > rate) {
                throw tooMany(owner, rate, "A batch of " + jobs + " jobs is more than the " + rate
                        + " a second owner '" + owner + "' may submit; split it", 1);
            }
            // The oldest admissions that must leave the window before these jobs fit.
            long freeAt = admitted.stream().skip(admitted.size() + jobs - rate - 1).findFirst().orElse(now) + SECOND;
            long wait = Math.max(1, (long) Math.ceil((freeAt - now) / 1e9));
            throw tooMany(owner, rate, "Owner '" + owner + "' may submit " + rate + " jobs a second", wait);
        }

        private ApiException tooMany(String owner, int rate, String detail, long retryAfterSeconds) {
            return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Too many requests", detail,
                    Map.of("limit", rate, "owner", owner), Duration.ofSeconds(retryAfterSeconds),
                    Map.of("RateLimit-Limit", Integer.toString(rate),
                            "RateLimit-Remaining", Integer.toString(Math.max(0, rate - admitted.size())),
                            "RateLimit-Reset", Long.toString(retryAfterSeconds),
                            "RateLimit-Policy", rate + ";w=1"));
        }
    }
}
