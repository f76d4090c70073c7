package io.jobline.api.submit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Service;

import io.jobline.api.command.CommandAppender;
import io.jobline.core.system.KafkaSettings;
import io.jobline.api.problem.ApiException;
import io.jobline.api.status.JobLookup;
import io.jobline.core.files.FileStore;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.view.JobView;
import io.jobline.schemas.command.JobCommand;

/**
 * Accepts one job: plans it against its type, answers a replayed Idempotency-Key with the job it made, refuses a
 * duplicate run, stores the uploads, appends SubmitJob and waits only for the broker's acknowledgement, never for
 * the work. Nothing is appended for a refused request, and its uploads are removed.
 */
@Service
class JobSubmitter {

    private final JobPlanner planner;
    private final IdempotentSubmits idempotent;
    private final AcceptedJobs accepted;
    private final FileStore files;
    private final CommandAppender appender;
    private final JobLookup lookup;
    private final JobQueries queries;
    private final SubmitQuotas quotas;
    private final int partitions;
    private final StripedLocks idempotencyLocks = new StripedLocks();
    private final StripedLocks dedupLocks = new StripedLocks();
    /** Dedup keys of jobs accepted here that the projection may not show yet: key -> job id. */
    private final Map<String, String> recentDedupKeys = new ConcurrentHashMap<>();

    JobSubmitter(JobPlanner planner, IdempotentSubmits idempotent, AcceptedJobs accepted, FileStore files,
                 CommandAppender appender, JobLookup lookup, JobQueries queries, SubmitQuotas quotas, KafkaSettings kafka) {
        this.partitions = kafka.partitions();
        this.quotas = quotas;
        this.planner = planner;
        this.idempotent = idempotent;
        this.accepted = accepted;
        this.files = files;
        this.appender = appender;
        this.lookup = lookup;
        this.queries = queries;
    }

    /** The job, and whether this request created it (false: an Idempotency-Key replay). */
    record Outcome(SubmittedJob job, boolean created) {
    }

    Outcome submit(SubmitRequest request) {
        JobPlan plan = planner.plan(request);
        quotas.admit(request.owner(), request.keyId(), 1);
        quotas.admitUploads(request.owner(), request.keyId(), request.uploads().stream().mapToLong(Upload::size).sum());
        String key = request.idempotencyKey();
        if (key == null) {
            return new Outcome(create(plan.placedId(UUID.randomUUID().toString(), partitions), request, plan).job(), true);
        }
        IdempotencyKeys.validate(key);
        String owner = request.owner();
        return idempotencyLocks.serialized(owner + "\n" + key, () -> {
            Optional<IdempotentSubmits.Earlier> earlier = idempotent.find(key,
                    day -> List.of(plan.placedId(IdempotencyKeys.jobId(owner, key, day), partitions)));
            if (earlier.isPresent()) {
                JobView job = earlier.get().jobs().get(0).orElseThrow();
                IdempotentSubmits.requireSameRequest(job, plan.hash(), key);
                return new Outcome(SubmittedJob.replayed(job), false);
            }
            String jobId = plan.placedId(IdempotencyKeys.jobId(owner, key, idempotent.today()), partitions);
            Appended made = create(jobId, request, plan);
            Optional<JobView> winner = lookup.racedTo(jobId, made.commandId());
            if (winner.isPresent()) {
                // Another instance appended a SubmitJob under the same key first: the decider takes that one.
                IdempotentSubmits.requireSameRequest(winner.get(), plan.hash(), key);
                return new Outcome(SubmittedJob.replayed(winner.get()), false);
            }
            return new Outcome(made.job(), true);
        });
    }

    /** A SubmitJob appended, and the job it is for. */
    private record Appended(SubmittedJob job, String commandId) {
    }

    private Appended create(String jobId, SubmitRequest request, JobPlan plan) {
        if (plan.dedupKey() == null) {
            return append(jobId, request, plan);
        }
        String scoped = plan.type() + "\n" + plan.dedupKey();
        return dedupLocks.serialized(scoped, () -> {
            Optional<String> holder = queries.activeJobWithDedupKey(plan.type(), plan.dedupKey())
                    .or(() -> Optional.ofNullable(recentDedupKeys.get(scoped)))
                    .filter(id -> lookup.find(id).map(job -> job.status().isActive()).orElse(false));
            if (holder.isPresent()) {
                throw ApiException.jobConflict("Duplicate job", "A " + plan.type() + " job with dedup key '"
                        + plan.dedupKey() + "' is already pending or running: " + holder.get(), holder.get(),
                        lookup.find(holder.get()).map(job -> job.status().wireName()).orElse("pending"), null);
            }
            recentDedupKeys.remove(scoped);
            Appended job = append(jobId, request, plan);
            recentDedupKeys.put(scoped, jobId);
            return job;
        });
    }

    /** Stores the uploads, then appends; uploads of a command Kafka refused are removed. */
    private Appended append(String jobId, SubmitRequest request, JobPlan plan) {
        StagedUploads uploads = StagedUploads.store(files, jobId, request.uploads());
        JobCommand command = accepted.command(jobId, request, plan, uploads.files(), plan.hash());
        appender.append(command, uploads::discard);
        return new Appended(accepted.accepted(command), command.getCommandId());
    }
}
