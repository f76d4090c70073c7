package io.jobline.projections.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.jobline.projections.JobsTopology;
import io.jobline.projections.stats.TypeStats;
import io.jobline.projections.view.JobView;
import io.jobline.schemas.event.JobEvent;

/**
 * Queries over the projection stores of this process, which hold every retained job of the partitions this instance
 * serves. A listing merges the partitions' indexes (each sorted newest first) until it has its page, and reads the
 * views of that page only; its count comes from the stats, or from the indexes when it filters by owner.
 */
public final class StoreJobQueries implements JobQueries {

    private final Supplier<ReadOnlyKeyValueStore<String, JobView>> jobs;
    private final Supplier<List<ReadOnlyKeyValueStore<String, ListedJob>>> indexes;
    private final Supplier<ReadOnlyKeyValueStore<String, JobEvent>> history;
    private final Supplier<ReadOnlyKeyValueStore<String, TypeStats>> stats;
    private final Supplier<ReadOnlyKeyValueStore<String, String>> dedupKeys;
    private final Supplier<ReadOnlyKeyValueStore<String, Long>> tombstones;

    public StoreJobQueries(Supplier<ReadOnlyKeyValueStore<String, JobView>> jobs,
                           Supplier<ReadOnlyKeyValueStore<String, JobEvent>> history,
                           Supplier<ReadOnlyKeyValueStore<String, TypeStats>> stats,
                           Supplier<ReadOnlyKeyValueStore<String, String>> dedupKeys,
                           Supplier<List<ReadOnlyKeyValueStore<String, ListedJob>>> indexes,
                           Supplier<ReadOnlyKeyValueStore<String, Long>> tombstones) {
        this.jobs = jobs;
        this.indexes = indexes;
        this.history = history;
        this.stats = stats;
        this.dedupKeys = dedupKeys;
        this.tombstones = tombstones;
    }

    @Override
    public Optional<Instant> deletedAt(String jobId) {
        return Optional.ofNullable(tombstones.get().get(jobId)).map(Instant::ofEpochMilli);
    }

    /** Each partition keeps its own stats per type; they are added up here. */
    @Override
    public List<TypeStats> stats() {
        java.util.Map<String, TypeStats> byType = new java.util.TreeMap<>();
        try (KeyValueIterator<String, TypeStats> it = stats.get().all()) {
            it.forEachRemaining(kv -> byType.merge(kv.value.type(), kv.value, TypeStats::plus));
        }
        return List.copyOf(byType.values());
    }

    @Override
    public Optional<String> activeJobWithDedupKey(String type, String dedupKey) {
        return Optional.ofNullable(dedupKeys.get().get(JobsTopology.dedupKey(type, dedupKey)));
    }

    @Override
    public Optional<JobView> find(String jobId) {
        return Optional.ofNullable(jobs.get().get(jobId));
    }

    @Override
    public JobPage list(JobFilter filter, int limit, int offset) {
        // Without an owner filter the stats know how many match: the scan stops at the page's end or at the last
        // match, and does not start when nothing matches. Filtered by owner, every match is counted.
        long known = filter.owner() == null ? countFromStats(filter) : -1;
        List<String> ids = new ArrayList<>();
        long[] matched = {0};
        if (known != 0) {
            forEachMatch(filter, jobId -> {
                if (matched[0]++ >= offset && ids.size() < limit) {
                    ids.add(jobId);
                }
                return known < 0 || (ids.size() < limit && matched[0] < known);
            });
        }
        long count = known < 0 ? matched[0] : known;
        ReadOnlyKeyValueStore<String, JobView> views = jobs.get();
        List<JobView> page = new ArrayList<>(ids.size());
        for (String id : ids) {
            JobView view = views.get(id);
            // Index and view are read at different moments: a job that changed in between is left out.
            if (view != null && filter.matches(view)) {
                page.add(view);
            }
        }
        return new JobPage(List.copyOf(page), count);
    }

    /** Hands the ids of the matching jobs, newest first, to {@code next} until it returns false. */
    private void forEachMatch(JobFilter filter, Predicate<String> next) {
        List<KeyValueIterator<String, ListedJob>> open = new ArrayList<>();
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing(Head::key));
        try {
            for (ReadOnlyKeyValueStore<String, ListedJob> index : indexes.get()) {
                KeyValueIterator<String, ListedJob> it = index.range(JobsTopology.INDEX_FIRST, JobsTopology.INDEX_LAST);
                open.add(it);
                Head.advance(it, heads);
            }
            while (!heads.isEmpty()) {
                Head head = heads.poll();
                if (filter.matches(head.entry().value) && !next.test(JobsTopology.jobIdOfIndexKey(head.key()))) {
                    return;
                }
                Head.advance(head.from(), heads);
            }
        } finally {
            open.forEach(KeyValueIterator::close);
        }
    }

    /** The stats count the same views, by type and status. */
    private long countFromStats(JobFilter filter) {
        long n = 0;
        for (TypeStats typeStats : stats()) {
            if (filter.type() == null || filter.type().equals(typeStats.type())) {
                n += filter.status() == null ? typeStats.total() : typeStats.count(filter.status());
            }
        }
        return n;
    }

    /** The next entry of one partition's index. */
    private record Head(KeyValue<String, ListedJob> entry, KeyValueIterator<String, ListedJob> from) {

        String key() {
            return entry.key;
        }

        /** Queues the next entry of {@code it}, if it has one. */
        static void advance(KeyValueIterator<String, ListedJob> it, PriorityQueue<Head> heads) {
            if (it.hasNext()) {
                heads.add(new Head(it.next(), it));
            }
        }
    }

    @Override
    public List<JobEvent> history(String jobId) {
        List<JobEvent> events = new ArrayList<>();
        try (KeyValueIterator<String, JobEvent> it = history.get()
                .prefixScan(JobsTopology.historyPrefix(jobId), Serdes.String().serializer())) {
            it.forEachRemaining(kv -> events.add(kv.value));
        }
        return events;
    }
}
