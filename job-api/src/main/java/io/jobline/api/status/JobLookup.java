package io.jobline.api.status;

import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.springframework.stereotype.Component;

import io.jobline.api.access.Caller;
import io.jobline.api.access.JobAccess;
import io.jobline.api.problem.ApiException;
import io.jobline.projections.JobProjections;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.view.JobView;

/**
 * Finds a job: in the projection, or among the jobs this process has just accepted (also while the projection
 * stores are still starting).
 */
@Component
public class JobLookup {

    /** How long a miss waits to read the commands appended until then (a submit through another instance). */
    static final java.time.Duration TAIL_WAIT = java.time.Duration.ofSeconds(2);

    /** In a cluster, how long a job accepted here is answered from memory while its holder cannot answer. */
    static final java.time.Duration JUST_ACCEPTED = java.time.Duration.ofSeconds(5);

    private final JobQueries queries;
    private final RecentSubmissions recent;
    private final JobProjections projections;
    private final Optional<SubmitTail> tail;

    JobLookup(JobQueries queries, RecentSubmissions recent, JobProjections projections,
              org.springframework.beans.factory.ObjectProvider<SubmitTail> tail) {
        this.queries = queries;
        this.recent = recent;
        this.projections = projections;
        this.tail = Optional.ofNullable(tail.getIfAvailable());
    }

    public Optional<JobView> find(String jobId) {
        Optional<JobView> projected;
        try {
            projected = queries.find(jobId);
        } catch (InvalidStateStoreException | ApiException e) {
            // The stores that hold the job (here, or at another instance) cannot answer now: a job this instance
            // accepted moments ago is answered as accepted; any other is a 503 (another instance's submit, seen on the
            // tail, may have moved on since: not answered from there).
            Optional<JobView> accepted = recent.find(jobId).filter(this::justAccepted);
            if (accepted.isPresent()) {
                return accepted;
            }
            throw e;
        }
        if (projected.isPresent()) {
            recent.forget(jobId);
            return projected;
        }
        return justSubmitted(jobId);
    }

    /**
     * In a cluster, the job another instance's SubmitJob for {@code jobId} made, when that one came before this
     * instance's {@code commandId} (an Idempotency-Key sent to two instances at once: the decider takes the first);
     * empty when this instance's came first, or alone.
     */
    public Optional<JobView> racedTo(String jobId, String commandId) {
        return racedTo(List.of(jobId), List.of(commandId)).get(0);
    }

    /** {@link #racedTo} of each job of a batch ({@code jobIds[i]} appended by {@code commandIds[i]}), in one read. */
    public List<Optional<JobView>> racedTo(List<String> jobIds, List<String> commandIds) {
        if (tail.isEmpty()) {
            return jobIds.stream().map(id -> Optional.<JobView>empty()).toList();
        }
        List<Optional<SubmitTail.First>> firsts = tail.get().first(jobIds, TAIL_WAIT);
        List<Optional<JobView>> raced = new java.util.ArrayList<>(jobIds.size());
        for (int i = 0; i < jobIds.size(); i++) {
            String commandId = commandIds.get(i);
            raced.add(firsts.get(i).filter(first -> !first.commandId().equals(commandId)).map(SubmitTail.First::job));
        }
        return raced;
    }

    /**
     * As {@link #find}, without waiting to read job-commands up to its end on a miss: for a check whose race is settled
     * later (an Idempotency-Key's first look; {@link #racedTo} settles it after the append).
     */
    public Optional<JobView> findWithoutWaiting(String jobId) {
        Optional<JobView> accepted = recent.find(jobId).or(() -> tail.flatMap(t -> t.peek(jobId)));
        try {
            Optional<JobView> projected = queries.find(jobId);
            return projected.isPresent() ? projected : accepted;
        } catch (InvalidStateStoreException | ApiException e) {
            if (accepted.isPresent()) {
                return accepted;
            }
            throw e;
        }
    }

    /**
     * Whether a job accepted here may still be answered as just accepted while the stores holding it cannot answer.
     * In a cluster this instance's projection does not see most jobs it accepts, so it never learns that one has
     * moved on: after {@link #JUST_ACCEPTED} such a job is a 503 rather than a stale "pending".
     */
    private boolean justAccepted(JobView job) {
        return tail.isEmpty() || job.createdAt().isAfter(java.time.Instant.now().minus(JUST_ACCEPTED));
    }

    /** Accepted here moments ago, or (in a cluster) through another instance. */
    private Optional<JobView> justSubmitted(String jobId) {
        Optional<JobView> here = recent.find(jobId);
        if (here.isPresent() || tail.isEmpty()) {
            return here;
        }
        return tail.get().find(jobId, TAIL_WAIT);
    }

    /**
     * The job, or 404 when the projection, caught up with the log, does not have it. Before it has caught up (just
     * after a start), a job it lacks may still exist: that is a 503 with Retry-After, never a 404.
     */
    public JobView require(String jobId) {
        return find(JobIds.require(jobId)).orElseThrow(() -> notFound(jobId));
    }

    /** The job, when {@code caller} may see it; another owner's job is answered as one that does not exist. */
    public JobView require(String jobId, Caller caller) {
        JobView job = require(jobId);
        if (!JobAccess.sees(caller, job.owner())) {
            throw notFound(jobId);
        }
        return job;
    }

    private ApiException notFound(String jobId) {
        if (!projections.isCaughtUp()) {
            return ApiException.catchingUp("job " + jobId);
        }
        return ApiException.jobNotFound(jobId);
    }
}
