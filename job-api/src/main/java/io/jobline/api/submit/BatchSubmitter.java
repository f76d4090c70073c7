package io.jobline.api.submit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;

import io.jobline.api.command.CommandAppender;
import io.jobline.core.system.KafkaSettings;
import io.jobline.api.problem.ApiException;
import io.jobline.api.status.JobLookup;
import io.jobline.projections.view.JobView;
import io.jobline.schemas.command.JobCommand;

/**
 * Accepts many JSON jobs at once. All are planned first (a bad one refuses the batch, naming its index), then the
 * new ones are appended together and each is answered on its own: accepted, or not confirmed by Kafka in time
 * (never reported failed: it may run). With an Idempotency-Key each item gets an id of its own from the key, so the
 * same batch sent again within 24 hours answers the jobs it made and appends only those that are missing.
 */
@Service
class BatchSubmitter {

    private final JobPlanner planner;
    private final IdempotentSubmits idempotent;
    private final AcceptedJobs accepted;
    private final CommandAppender appender;
    private final SubmitQuotas quotas;
    private final JobLookup lookup;
    private final StripedLocks locks = new StripedLocks();
    private final int partitions;

    BatchSubmitter(JobPlanner planner, IdempotentSubmits idempotent, AcceptedJobs accepted, CommandAppender appender,
                   SubmitQuotas quotas, JobLookup lookup, KafkaSettings kafka) {
        this.partitions = kafka.partitions();
        this.lookup = lookup;
        this.quotas = quotas;
        this.planner = planner;
        this.idempotent = idempotent;
        this.accepted = accepted;
        this.appender = appender;
    }

    /** Each item's answer, in the order of the request; {@code created}: whether this request appended any. */
    record Outcome(List<SubmittedJob> jobs, boolean created) {

        long unconfirmed() {
            return jobs.stream().filter(SubmittedJob::isUnconfirmed).count();
        }
    }

    Outcome submit(List<SubmitRequest> requests, io.jobline.api.access.Caller caller, String key) {
        String owner = caller.owner();
        List<JobPlan> plans = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            plans.add(planItem(i, requests.get(i)));
        }
        quotas.admit(caller, requests.size());
        if (key == null) {
            List<String> ids = plans.stream().map(p -> p.placedId(UUID.randomUUID().toString(), partitions)).toList();
            return appendMissing(ids, requests, plans, null, null, emptyEarlier(requests.size()));
        }
        IdempotencyKeys.validate(key);
        String hash = RequestHash.ofBatch(plans.stream().map(JobPlan::hash).toList());
        return locks.serialized(owner + "\n" + key, () -> {
            Optional<IdempotentSubmits.Earlier> earlier = idempotent.find(key, day -> ids(owner, key, day, plans));
            earlier.ifPresent(found -> found.jobs().stream().flatMap(Optional::stream).findFirst()
                    .ifPresent(job -> IdempotentSubmits.requireSameRequest(job, hash, key)));
            long day = earlier.map(IdempotentSubmits.Earlier::day).orElse(idempotent.today());
            return appendMissing(ids(owner, key, day, plans), requests, plans, hash, key,
                    earlier.map(IdempotentSubmits.Earlier::jobs).orElse(emptyEarlier(requests.size())));
        });
    }

    private JobPlan planItem(int index, SubmitRequest request) {
        JobPlan plan;
        try {
            plan = planner.plan(request);
        } catch (ApiException e) {
            throw new ApiException(e.status(), e.title(), "jobs[" + index + "]: " + e.getMessage(), e.properties());
        } catch (io.jobline.worker.InvalidJobInputException e) {
            throw ApiException.badRequest("jobs[" + index + "]: " + e.getMessage());
        }
        if (plan.dedupKey() != null) {
            throw ApiException.badRequest("jobs[" + index + "]: a job with a dedup key must be submitted on its own");
        }
        return plan;
    }

    /**
     * Appends the items no earlier request made, in one go; answers every item. In a cluster, an item whose
     * SubmitJob another instance appended first under the same key (the same batch sent to two instances at once:
     * the decider takes the first) is answered as a replay of that one's job, or the whole batch 422 when that
     * request differed.
     */
    private Outcome appendMissing(List<String> ids, List<SubmitRequest> requests, List<JobPlan> plans, String batchHash,
                                  String key, List<Optional<JobView>> earlier) {
        List<JobCommand> missing = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (earlier.get(i).isEmpty()) {
                JobPlan plan = plans.get(i);
                missing.add(accepted.command(ids.get(i), requests.get(i), plan, List.of(),
                        batchHash != null ? batchHash : plan.hash()));
            }
        }
        List<Boolean> acknowledged = missing.isEmpty() ? List.of() : appender.appendEach(missing);
        List<Optional<JobView>> raced = key == null || missing.isEmpty() ? null
                : lookup.racedTo(missing.stream().map(JobCommand::getJobId).toList(),
                        missing.stream().map(JobCommand::getCommandId).toList());
        List<SubmittedJob> answers = new ArrayList<>(ids.size());
        boolean created = false;
        int next = 0;
        for (int i = 0; i < ids.size(); i++) {
            if (earlier.get(i).isPresent()) {
                answers.add(SubmittedJob.replayed(earlier.get(i).get()));
                continue;
            }
            JobCommand command = missing.get(next);
            Optional<JobView> winner = raced != null && acknowledged.get(next) ? raced.get(next) : Optional.empty();
            if (winner.isPresent()) {
                IdempotentSubmits.requireSameRequest(winner.get(), batchHash, key);
                answers.add(SubmittedJob.replayed(winner.get()));
            } else {
                answers.add(acknowledged.get(next) ? accepted.accepted(command)
                        : SubmittedJob.unconfirmed(command.getJobId(), batchHash != null));
                created = true;
            }
            next++;
        }
        return new Outcome(List.copyOf(answers), created);
    }

    private List<String> ids(String owner, String key, long day, List<JobPlan> plans) {
        List<String> ids = new ArrayList<>(plans.size());
        for (int i = 0; i < plans.size(); i++) {
            ids.add(plans.get(i).placedId(IdempotencyKeys.batchItemId(owner, key, day, i), partitions));
        }
        return ids;
    }

    private static List<Optional<JobView>> emptyEarlier(int count) {
        List<Optional<JobView>> none = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            none.add(Optional.empty());
        }
        return none;
    }
}
