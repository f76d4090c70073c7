package io.jobline.api.submit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import io.jobline.api.access.ApiKey;
import io.jobline.api.access.ApiKeys;
import io.jobline.api.access.Caller;
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
 *
 * <p>A key made with quotas of its own has those in place of its owner's, limit by limit (one it leaves out is the
 * owner's). Its submits per second are counted in a window of the key's own, apart from its owner's: its submits do
 * not use up what the owner's other keys may submit, nor theirs its. Active jobs and upload bytes are always what
 * the owner holds (a job does not record the key it came with): a key's own limit there only sets how much of that
 * the key may add to.
 */
@Component
class SubmitQuotas {

    /** When to try again after the active-jobs quota: jobs take a while to finish, a poll every few seconds is enough. */
    static final Duration ACTIVE_RETRY_AFTER = Duration.ofSeconds(5);

    private final JoblineProperties.Quotas quotas;
    private final JobQueries queries;
    private final LongSupplier nanos;
    private final Function<String, Optional<ApiKey.Quotas>> keyQuotas;
    /** By owner, and by "key " and id for a key with its own rate. */
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    @Autowired
    SubmitQuotas(JoblineProperties properties, JobQueries queries, ApiKeys keys) {
        this(properties.quotas(), queries, System::nanoTime,
                id -> keys.find(id).map(ApiKey::quotas));
    }

    SubmitQuotas(JoblineProperties.Quotas quotas, JobQueries queries, LongSupplier nanos) {
        this(quotas, queries, nanos, id -> Optional.empty());
    }

    SubmitQuotas(JoblineProperties.Quotas quotas, JobQueries queries, LongSupplier nanos,
                 Function<String, Optional<ApiKey.Quotas>> keyQuotas) {
        this.quotas = quotas == null ? JoblineProperties.Quotas.NONE : quotas;
        this.queries = queries;
        this.nanos = nanos;
        this.keyQuotas = keyQuotas;
    }

    /** Admits {@code jobs} new jobs of {@code owner} with no key of its own quotas, or throws a 429 problem. */
    void admit(String owner, int jobs) {
        admit(owner, null, jobs);
    }

    /** Admits {@code jobs} new jobs of the caller, or throws a 429 problem. */
    void admit(Caller caller, int jobs) {
        admit(caller.owner(), caller.keyId(), jobs);
    }

    void admit(String owner, String keyId, int jobs) {
        ApiKey.Quotas own = own(keyId);
        JoblineProperties.Quota quota = quota(owner, own);
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
            boolean keysOwn = own != null && own.submitsPerSecond() != null;
            String limited = keysOwn ? "Key '" + keyId + "' of owner '" + owner + "'" : "Owner '" + owner + "'";
            windows.computeIfAbsent(keysOwn ? "key " + keyId : owner, o -> new Window())
                    .take(limited, owner, rate, jobs, nanos.getAsLong());
        }
    }

    /**
     * Admits {@code bytes} more of uploads for {@code owner}, or throws a 413 problem: the files its retained jobs
     * hold (as the projections count them) and these would pass its quota. Deleting jobs frees their share.
     */
    void admitUploads(String owner, long bytes) {
        admitUploads(owner, null, bytes);
    }

    void admitUploads(String owner, String keyId, long bytes) {
        long limit = quota(owner, own(keyId)).uploadBytes();
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

    /** The key's own limits; null for no key, a key without them, or a key this instance does not know. */
    private ApiKey.Quotas own(String keyId) {
        return keyId == null ? null : keyQuotas.apply(keyId).orElse(null);
    }

    /** Each limit from the key's own, else the owner's override, else the default. */
    private JoblineProperties.Quota quota(String owner, ApiKey.Quotas own) {
        JoblineProperties.Quota owners = quotas.of(owner);
        if (own == null) {
            return owners;
        }
        return new JoblineProperties.Quota(
                own.submitsPerSecond() != null ? own.submitsPerSecond() : owners.submitsPerSecond(),
                own.activeJobs() != null ? own.activeJobs() : owners.activeJobs(),
                own.uploadBytes() != null ? own.uploadBytes() : owners.uploadBytes());
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

        /** {@code who}: "Owner 'alice'" or "Key '...' of owner 'alice'", for the problem's detail. */
        synchronized void take(String who, String owner, int rate, int jobs, long now) {
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
                        + " a second " + Character.toLowerCase(who.charAt(0)) + who.substring(1) + " may submit; split it", 1);
            }
            // The oldest admissions that must leave the window before these jobs fit.
            long freeAt = admitted.stream().skip(admitted.size() + jobs - rate - 1).findFirst().orElse(now) + SECOND;
            long wait = Math.max(1, (long) Math.ceil((freeAt - now) / 1e9));
            throw tooMany(owner, rate, who + " may submit " + rate + " jobs a second", wait);
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
