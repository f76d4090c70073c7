package io.jobline.api.submit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import io.jobline.api.problem.ApiException;
import io.jobline.api.status.JobLookup;
import io.jobline.projections.JobProjections;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.view.JobView;

/**
 * What an Idempotency-Key already made. Keyed jobs get their ids from the owner, the key and the UTC day
 * ({@link IdempotencyKeys}), so a replay looks under today's and yesterday's ids and counts a job younger than
 * {@link IdempotencyKeys#WINDOW}. A key whose job was deleted within the window is answered 409: its job is gone,
 * and a SubmitJob under the same id would be refused by the decider (a 202 for a job that never exists).
 */
@Component
class IdempotentSubmits {

    private final JobLookup lookup;
    private final JobQueries queries;
    private final JobProjections projections;
    private final Clock clock = Clock.systemUTC();

    IdempotentSubmits(JobLookup lookup, JobQueries queries, JobProjections projections) {
        this.lookup = lookup;
        this.queries = queries;
        this.projections = projections;
    }

    /** The day (days since the epoch, UTC) a new keyed submit gets its ids from. */
    long today() {
        return IdempotencyKeys.day(clock.instant());
    }

    /**
     * The jobs the key made on the most recent day it made any within the window; empty when it made none.
     * {@code idsOfDay} gives the ids the key's jobs have on a day (one for a submit, one per item for a batch).
     *
     * @throws ApiException 409 when one of them was deleted; 503 while the projections catch up after a start
     */
    Optional<Earlier> find(String key, LongFunction<List<String>> idsOfDay) {
        Instant now = clock.instant();
        long today = IdempotencyKeys.day(now);
        for (long day : new long[] {today, today - 1}) {
            List<String> ids = idsOfDay.apply(day);
            List<Optional<JobView>> jobs = ids.stream().map(id -> lookup.findWithoutWaiting(id)
                    .filter(job -> key.equals(job.idempotencyKey()))
                    .filter(job -> job.createdAt().isAfter(now.minus(IdempotencyKeys.WINDOW)))).toList();
            for (String id : ids) {
                Optional<Instant> deleted = queries.deletedAt(id);
                if (deleted.isPresent()) {
                    throw new ApiException(HttpStatus.CONFLICT, "Idempotency key's job deleted", "Idempotency-Key '" + key
                            + "' was used for job " + id + ", which was deleted at " + deleted.get()
                            + "; send a new key to submit a new job", Map.of("job_id", id));
                }
            }
            if (jobs.stream().anyMatch(Optional::isPresent)) {
                return Optional.of(new Earlier(day, jobs));
            }
        }
        if (!projections.isCaughtUp()) {
            throw ApiException.catchingUp("the job made with Idempotency-Key '" + key + "'");
        }
        return Optional.empty();
    }

    /** Refuses a replay whose request differs from the one that made the job. */
    static void requireSameRequest(JobView job, String hash, String key) {
        if (!hash.equals(job.requestHash())) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused",
                    "Idempotency-Key '" + key + "' was used for a different request in the last 24 hours (job "
                            + job.jobId() + "); send a new key for a new job", Map.of("job_id", job.jobId()));
        }
    }

    /** The key's jobs on {@code day}, in the order of their ids: each found, or empty when not (yet) there. */
    record Earlier(long day, List<Optional<JobView>> jobs) {
    }
}
