package io.jobline.api.submit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.stereotype.Service;

import io.jobline.api.command.CommandAppender;
import io.jobline.core.system.KafkaSettings;
import io.jobline.api.problem.ApiException;
import io.jobline.api.status.JobLookup;
import io.jobline.core.files.FileStore;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.view.JobView;
import io.jobline.api.workers.WorkerDispatch;
import io.jobline.processor.dispatch.EventTail;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobSubmitted;
import io.jobline.schemas.event.SubmitRefused;

/**
 * Accepts one job: plans it against its type, answers a replayed Idempotency-Key with the job it made, refuses a
 * duplicate run, stores the uploads, appends SubmitJob and waits only for the broker's acknowledgement, never for
 * the work; a job with a dedup key also waits for the decider, which refuses a duplicate run that the projections
 * did not show yet. Nothing is appended for a request refused here, and the uploads of a refused job are removed.
 */
@Service
class JobSubmitter {

    /** How long a submit with a dedup key waits for the decider's answer before a 503. */
    static final Duration DECISION_WAIT = Duration.ofSeconds(10);
    /** How long an accepted job with a dedup key then waits for the projection to show it. */
    static final Duration PROJECTED_WAIT = Duration.ofSeconds(2);

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
    private final EventTail events;

    JobSubmitter(JobPlanner planner, IdempotentSubmits idempotent, AcceptedJobs accepted, FileStore files,
                 CommandAppender appender, JobLookup lookup, JobQueries queries, SubmitQuotas quotas, KafkaSettings kafka,
                 WorkerDispatch dispatch) {
        this.events = dispatch.events();
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
        return dedupLocks.serialized(plan.type() + "\n" + plan.dedupKey(), () -> {
            // The holder the projections already show is refused here; the decider refuses the rest (a race).
            Optional<String> holder = queries.activeJobWithDedupKey(plan.type(), plan.dedupKey())
                    .filter(id -> lookup.find(id).map(job -> job.status().isActive()).orElse(false));
            if (holder.isPresent()) {
                throw duplicate(plan, holder.get());
            }
            return appendDecided(jobId, request, plan);
        });
    }

    /**
     * Appends the SubmitJob of a job with a dedup key and waits for the decider's answer: the job (JobSubmitted) or
     * a refusal naming the job that holds the key (SubmitRefused), whichever instance took the other submit. Once
     * made, the job is also waited for in the projection, so that a read on any instance finds it.
     */
    private Appended appendDecided(String jobId, SubmitRequest request, JobPlan plan) {
        CompletableFuture<JobEvent> decided = new CompletableFuture<>();
        try (AutoCloseable watch = events.watch(jobId, event -> {
            if (event.getPayload() instanceof JobSubmitted || event.getPayload() instanceof SubmitRefused) {
                decided.complete(event);
            }
        })) {
            StagedUploads uploads = StagedUploads.store(files, jobId, request.uploads());
            JobCommand command = accepted.command(jobId, request, plan, uploads.files(), plan.hash());
            appender.append(command, uploads::discard);
            JobEvent decision;
            try {
                decision = decided.get(DECISION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw ApiException.unavailable("The job was sent but not decided within " + DECISION_WAIT.toSeconds()
                        + " s: it may or may not exist; submit it again (the same Idempotency-Key or dedup key finds it)");
            }
            if (decision.getPayload() instanceof SubmitRefused refused) {
                uploads.discard();
                throw duplicate(plan, refused.getDuplicateOf());
            }
            awaitProjected(jobId);
            return new Appended(accepted.accepted(command), command.getCommandId());
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while the job was decided");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits (a little) until the projection holding the job finds it. */
    private void awaitProjected(String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + PROJECTED_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (queries.find(jobId).isPresent()) {
                    return;
                }
            } catch (RuntimeException e) {
                return; // its holder cannot answer now (a rebalance): reads answer 503 until it can
            }
            Thread.sleep(5);
        }
    }

    private ApiException duplicate(JobPlan plan, String holder) {
        String status;
        try {
            status = lookup.findWithoutWaiting(holder).map(job -> job.status().wireName()).orElse("pending");
        } catch (RuntimeException e) {
            status = "pending"; // its holder cannot answer now; the decider saw it pending or running
        }
        return ApiException.jobConflict("Duplicate job", "A " + plan.type() + " job with dedup key '" + plan.dedupKey()
                + "' is already pending or running: " + holder, holder, status, null);
    }

    /** Stores the uploads, then appends; uploads of a command Kafka refused are removed. */
    private Appended append(String jobId, SubmitRequest request, JobPlan plan) {
        StagedUploads uploads = StagedUploads.store(files, jobId, request.uploads());
        JobCommand command = accepted.command(jobId, request, plan, uploads.files(), plan.hash());
        appender.append(command, uploads::discard);
        return new Appended(accepted.accepted(command), command.getCommandId());
    }
}
