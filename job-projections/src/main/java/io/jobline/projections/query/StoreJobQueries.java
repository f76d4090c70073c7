package io.jobline.projections.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.jobline.core.lifecycle.JobStatus;
import io.jobline.projections.JobsTopology;
import io.jobline.projections.stats.ActiveJobs;
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
            it.forEachRemaining(kv -> {
                if (JobsTopology.isTypeStatsKey(kv.key)) {
                    byType.merge(kv.value.type(), kv.value, TypeStats::plus);
                }
            });
        }
        return List.copyOf(byType.values());
    }

    @Override
    public List<TypeStats> stats(String owner) {
        java.util.Map<String, TypeStats> byType = new java.util.TreeMap<>();
        String prefix = JobsTopology.ownerStatsPrefix(owner);
        try (KeyValueIterator<String, TypeStats> it = stats.get().range(prefix, prefix + Character.MAX_VALUE)) {
            it.forEachRemaining(kv -> byType.merge(kv.value.type(), kv.value, TypeStats::plus));
        }
        return List.copyOf(byType.values());
    }

    @Override
    public List<ActiveJobs> activeByPriority() {
        java.util.Map<String, ActiveJobs> byKey = new java.util.TreeMap<>();
        String prefix = JobsTopology.PRIORITY_STATS_PREFIX;
        try (KeyValueIterator<String, TypeStats> it = stats.get().range(prefix, prefix + Character.MAX_VALUE)) {
            it.forEachRemaining(kv -> byKey.merge(kv.key, new ActiveJobs(kv.value.type(),
                    JobsTopology.priorityOfStatsKey(kv.key), kv.value.count(JobStatus.PENDING),
                    kv.value.count(JobStatus.RUNNING)), StoreJobQueries::plus));
        }
        return List.copyOf(byKey.values());
    }

    private static ActiveJobs plus(ActiveJobs a, ActiveJobs b) {
        return new ActiveJobs(a.type(), a.priority(), a.pending() + b.pending(), a.running() + b.running());
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
    public JobPage list(JobFilter filter, int limit, int offset, String after) {
        // Without an owner filter the stats know how many match: the scan stops at the page's end or at the last
        // match, and does not start when nothing matches. Filtered by owner, every match is counted.
        long known = filter.owner() == null ? countFromStats(filter) : -1;
        List<String> keys = new ArrayList<>();
        long[] matched = {0};
        if (known != 0) {
            forEachMatch(filter, after, key -> {
                if (matched[0]++ >= offset && keys.size() < limit) {
                    keys.add(key);
                }
                return known < 0 || (keys.size() < limit && matched[0] < known);
            });
        }
        long count = known >= 0 ? known : after == null ? matched[0] : countMatches(filter);
        ReadOnlyKeyValueStore<String, JobView> views = jobs.get();
        List<JobView> page = new ArrayList<>(keys.size());
        for (String key : keys) {
            JobView view = views.get(JobsTopology.jobIdOfIndexKey(key));
            // Index and view are read at different moments: a job that changed in between is left out.
            if (view != null && filter.matches(view)) {
                page.add(view);
            }
        }
        String next = keys.size() == limit ? keys.get(keys.size() - 1) : null;
        return new JobPage(List.copyOf(page), count, next);
    }

    /** Hands the index keys of the matching jobs, newest first after {@code after}, to {@code next} until it returns false. */
    private void forEachMatch(JobFilter filter, String after, Predicate<String> next) {
        List<KeyValueIterator<String, ListedJob>> open = new ArrayList<>();
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing(Head::key));
        try {
            for (ReadOnlyKeyValueStore<String, ListedJob> index : indexes.get()) {
                KeyValueIterator<String, ListedJob> it = index.range(after == null ? JobsTopology.INDEX_FIRST : after,
                        JobsTopology.INDEX_LAST);
                open.add(it);
                Head.advance(it, after, heads);
            }
            while (!heads.isEmpty()) {
                Head head = heads.poll();
                if (filter.matches(head.entry().value) && !next.test(head.key())) {
                    return;
                }
                Head.advance(head.from(), after, heads);
            }
        } finally {
            open.forEach(KeyValueIterator::close);
        }
    }

    /** Every match, counted through the index: what an owner filter costs (the stats do not count by owner). */
    private long countMatches(JobFilter filter) {
        long[] n = {0};
        forEachMatch(filter, null, key -> {
            n[0]++;
            return true;
        });
        return n[0];
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

        /** Queues the next entry of {@code it} other than the cursor {@code after}, if it has one. */
        static void advance(KeyValueIterator<String, ListedJob> it, String after, PriorityQueue<Head> heads) {
            while (it.hasNext()) {
                KeyValue<String, ListedJob> entry = it.next();
                if (!entry.key.equals(after)) {
                    heads.add(new Head(entry, it));
                    return;
                }
            }
        }
    }

    @Override
    public List<JobEvent> history(String jobId, long afterSequence, int limit) {
        List<JobEvent> events = new ArrayList<>();
        long from = Math.max(0, afterSequence) + 1;
        try (KeyValueIterator<String, JobEvent> it = history.get()
                .range(JobsTopology.historyKey(jobId, from), JobsTopology.historyKey(jobId, Long.MAX_VALUE))) {
            while (it.hasNext() && events.size() < limit) {
                events.add(it.next().value);
            }
        }
        return events;
    }
}
