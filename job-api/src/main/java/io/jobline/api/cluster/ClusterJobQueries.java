package io.jobline.api.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.HostInfo;

import io.jobline.api.problem.ApiException;
import io.jobline.projections.JobsTopology;
import io.jobline.projections.query.JobFilter;
import io.jobline.projections.query.JobPage;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.stats.ActiveJobs;
import io.jobline.projections.stats.TypeStats;
import io.jobline.projections.view.JobView;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.topic.JobTopics;

/**
 * The projections of the whole cluster, read from any instance: a job's reads go to the instance whose stores hold
 * its partition (this one, or another over HTTP); listings and stats merge every instance's part. Alone, or on a
 * random port, it is this instance's {@code local} queries.
 */
public final class ClusterJobQueries implements JobQueries {

    private final JobQueries local;
    private final Peers peers;
    private final Serde<JobEvent> events;
    private final BooleanSupplier localCaughtUp;

    public ClusterJobQueries(JobQueries local, Peers peers, Serde<JobEvent> events, BooleanSupplier localCaughtUp) {
        this.local = local;
        this.peers = peers;
        this.events = events;
        this.localCaughtUp = localCaughtUp;
    }

    @Override
    public Optional<JobView> find(String jobId) {
        Optional<HostInfo> owner = peers.ownerOf(jobId);
        if (owner.isEmpty()) {
            Optional<JobView> here = local.find(jobId);
            if (here.isEmpty() && peers.isClustered() && !peers.servesUpToDate(jobId)) {
                throw ApiException.catchingUp("job " + jobId + " (its partition is being restored here)");
            }
            return here;
        }
        PeerMessages.Answer answer = askHolder(owner.get(), PeerMessages.Query.job(PeerMessages.Op.FIND, jobId));
        if (answer.job() == null && !answer.caughtUp()) {
            throw ApiException.catchingUp("job " + jobId);
        }
        return Optional.ofNullable(answer.job());
    }

    @Override
    public List<JobEvent> history(String jobId, long afterSequence, int limit) {
        Optional<HostInfo> owner = peers.ownerOf(jobId);
        if (owner.isEmpty()) {
            requireUpToDate(jobId);
            return local.history(jobId, afterSequence, limit);
        }
        PeerMessages.Answer answer = askHolder(owner.get(), new PeerMessages.Query(PeerMessages.Op.HISTORY, jobId,
                afterSequence, limit, 0, null, null, null, null, null));
        return answer.events() == null ? List.of()
                : answer.events().stream().map(bytes -> events.deserializer().deserialize(JobTopics.EVENTS, bytes)).toList();
    }

    @Override
    public Optional<Instant> deletedAt(String jobId) {
        Optional<HostInfo> owner = peers.ownerOf(jobId);
        if (owner.isEmpty()) {
            return local.deletedAt(jobId);
        }
        Long at = askHolder(owner.get(), PeerMessages.Query.job(PeerMessages.Op.DELETED_AT, jobId)).deletedAt();
        return Optional.ofNullable(at).map(Instant::ofEpochMilli);
    }

    /**
     * Each instance's page of its own partitions (as long as offset and limit together), merged in the listing's
     * order: the same cursor pages through the cluster, and the count is the sum.
     */
    @Override
    public JobPage list(JobFilter filter, int limit, int offset, String after) {
        List<HostInfo> others = peers.others();
        if (others.isEmpty()) {
            return local.list(filter, limit, offset, after);
        }
        requireEveryPartitionHeld("the listing");
        int wanted = (int) Math.min(Integer.MAX_VALUE, (long) limit + offset);
        List<JobPage> parts = new ArrayList<>();
        parts.add(local.list(filter, wanted, 0, after));
        for (HostInfo peer : others) {
            parts.add(whole(peers.ask(peer, new PeerMessages.Query(PeerMessages.Op.LIST, null, 0, wanted, 0, after, filter,
                    null, null, null)), "the listing").page());
        }
        List<JobView> merged = new ArrayList<>();
        long count = 0;
        for (JobPage part : parts) {
            merged.addAll(part.jobs());
            count += part.count();
        }
        merged.sort(Comparator.comparing(JobsTopology::indexKey));
        List<JobView> page = merged.subList(Math.min(offset, merged.size()), Math.min(merged.size(), wanted));
        String next = page.size() == limit && limit > 0 ? JobsTopology.indexKey(page.get(page.size() - 1)) : null;
        return new JobPage(List.copyOf(page), count, next);
    }

    @Override
    public List<TypeStats> stats() {
        List<HostInfo> others = peers.others();
        if (!others.isEmpty()) {
            requireEveryPartitionHeld("the counts");
        }
        List<TypeStats> all = new ArrayList<>(local.stats());
        others.forEach(peer -> all.addAll(whole(peers.ask(peer, PeerMessages.Query.of(PeerMessages.Op.STATS)), "the counts").stats()));
        return sum(all);
    }

    @Override
    public List<TypeStats> stats(String owner) {
        List<HostInfo> others = peers.others();
        if (!others.isEmpty()) {
            requireEveryPartitionHeld("the counts");
        }
        List<TypeStats> all = new ArrayList<>(local.stats(owner));
        others.forEach(peer -> all.addAll(whole(peers.ask(peer, new PeerMessages.Query(PeerMessages.Op.OWNER_STATS, null,
                0, 0, 0, null, null, owner, null, null)), "the counts").stats()));
        return sum(all);
    }

    /**
     * A sum or a merge of every instance's part is whole only when every partition has a holder: during a
     * rebalance, 503 (try again) rather than a short answer.
     */
    private void requireEveryPartitionHeld(String what) {
        if (!peers.everyPartitionHeld() || !peers.localPartitionsUpToDate()) {
            throw ApiException.unavailable("Part of the jobs is moving between instances (a rebalance), so " + what
                    + " would be short; try again shortly");
        }
    }

    /** Another instance's part, refused (503) while that instance's projection is still catching up. */
    private static PeerMessages.Answer whole(PeerMessages.Answer part, String what) {
        if (!part.caughtUp()) {
            throw ApiException.catchingUp(what);
        }
        return part;
    }

    /** This instance's own partitions: what its gauges report (a sum over instances is the cluster's). */
    @Override
    public List<ActiveJobs> activeByPriority() {
        return local.activeByPriority();
    }

    /** Every instance's pending and running jobs summed per type and priority; 503 during a rebalance. */
    @Override
    public List<ActiveJobs> queues() {
        List<HostInfo> others = peers.others();
        if (others.isEmpty()) {
            return local.activeByPriority();
        }
        requireEveryPartitionHeld("the queues");
        Map<String, ActiveJobs> summed = new TreeMap<>();
        List<ActiveJobs> all = new ArrayList<>(local.activeByPriority());
        others.forEach(peer -> all.addAll(whole(peers.ask(peer, PeerMessages.Query.of(PeerMessages.Op.QUEUES)), "the queues")
                .queues()));
        for (ActiveJobs part : all) {
            summed.merge(part.type() + "\n" + part.priority(), part, (a, b) -> new ActiveJobs(a.type(), a.priority(),
                    a.pending() + b.pending(), a.running() + b.running()));
        }
        return List.copyOf(summed.values());
    }

    @Override
    public Optional<String> activeJobWithDedupKey(String type, String dedupKey) {
        Optional<String> here = local.activeJobWithDedupKey(type, dedupKey);
        if (here.isPresent()) {
            return here;
        }
        for (HostInfo peer : peers.others()) {
            String found = peers.ask(peer, new PeerMessages.Query(PeerMessages.Op.DEDUP, null, 0, 0, 0, null, null, null,
                    type, dedupKey)).dedupJob();
            if (found != null) {
                return Optional.of(found);
            }
        }
        return Optional.empty();
    }

    /** The answer to another instance's question, from this instance's own stores. */
    PeerMessages.Answer answer(PeerMessages.Query query) {
        boolean caughtUp = localCaughtUp.getAsBoolean();
        PeerMessages.Answer none = PeerMessages.Answer.empty(caughtUp);
        if (query.jobId() != null && !holds(query.jobId())) {
            return PeerMessages.Answer.moved();
        }
        switch (query.op()) {
            case FIND:
                JobView found = local.find(query.jobId()).orElse(null);
                // Not found in a partition still being restored here: the asker answers 503, not 404.
                return new PeerMessages.Answer(found, null, null, null, null, null,
                        caughtUp && (found != null || peers.servesUpToDate(query.jobId())));
            case HISTORY:
                if (peers.isClustered() && !peers.servesUpToDate(query.jobId())) {
                    return PeerMessages.Answer.moved(); // being restored here: the asker answers 503
                }
                return new PeerMessages.Answer(null, local.history(query.jobId(), query.afterSequence(), query.limit()).stream()
                        .map(this::bytes).toList(), null, null, null, null, caughtUp);
            case DELETED_AT:
                return new PeerMessages.Answer(null, null, null, null, local.deletedAt(query.jobId())
                        .map(Instant::toEpochMilli).orElse(null), null, caughtUp);
            case LIST:
                return new PeerMessages.Answer(null, null, local.list(query.filter() == null ? JobFilter.ALL : query.filter(),
                        query.limit(), query.offset(), query.cursor()), null, null, null, caughtUp && peers.localPartitionsUpToDate());
            case STATS:
                return new PeerMessages.Answer(null, null, null, local.stats(), null, null, caughtUp && peers.localPartitionsUpToDate());
            case OWNER_STATS:
                return new PeerMessages.Answer(null, null, null, local.stats(query.owner()), null, null,
                        caughtUp && peers.localPartitionsUpToDate());
            case QUEUES:
                return PeerMessages.Answer.queues(local.activeByPriority(), caughtUp && peers.localPartitionsUpToDate());
            case DEDUP:
                return new PeerMessages.Answer(null, null, null, null, null,
                        local.activeJobWithDedupKey(query.type(), query.dedupKey()).orElse(null), caughtUp);
            default:
                return none;
        }
    }

    /** Whether this instance's projection holds (actively) the partition of {@code jobId} now. */
    private boolean holds(String jobId) {
        try {
            return peers.ownerOf(jobId).isEmpty();
        } catch (ApiException e) {
            return false; // being assigned
        }
    }

    /** A job's history read here while its partition is still being restored would have a gap: 503 until it is not. */
    private void requireUpToDate(String jobId) {
        if (peers.isClustered() && !peers.servesUpToDate(jobId)) {
            throw ApiException.catchingUp("job " + jobId + " (its partition is being restored here)");
        }
    }

    /** An answer from the job's holder; a moved partition is a 503 (the asker tries again), never a 404. */
    private PeerMessages.Answer askHolder(HostInfo owner, PeerMessages.Query query) {
        PeerMessages.Answer answer = peers.ask(owner, query);
        if (answer.notHeld()) {
            throw ApiException.catchingUp("job " + query.jobId() + " (its partition is moving between instances)");
        }
        return answer;
    }

    private byte[] bytes(JobEvent event) {
        return events.serializer().serialize(JobTopics.EVENTS, event);
    }

    private static List<TypeStats> sum(List<TypeStats> all) {
        Map<String, TypeStats> byType = new TreeMap<>();
        all.forEach(s -> byType.merge(s.type(), s, TypeStats::plus));
        return List.copyOf(byType.values());
    }
}
