package io.jobline.projections.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.jobline.projections.JobsTopology;
import io.jobline.projections.stats.TypeStats;
import io.jobline.projections.view.JobView;
import io.jobline.schemas.event.JobEvent;

/**
 * Queries over the projection stores of this process. A listing scans the view store (O(jobs held)); the view
 * store holds every retained job of the partitions this instance serves.
 */
public final class StoreJobQueries implements JobQueries {

    private static final Comparator<JobView> NEWEST_FIRST = Comparator.comparing(JobView::createdAt)
            .thenComparing(JobView::jobId).reversed();

    private final Supplier<ReadOnlyKeyValueStore<String, JobView>> jobs;
    private final Supplier<ReadOnlyKeyValueStore<String, JobEvent>> history;
    private final Supplier<ReadOnlyKeyValueStore<String, TypeStats>> stats;
    private final Supplier<ReadOnlyKeyValueStore<String, String>> dedupKeys;

    public StoreJobQueries(Supplier<ReadOnlyKeyValueStore<String, JobView>> jobs,
                           Supplier<ReadOnlyKeyValueStore<String, JobEvent>> history,
                           Supplier<ReadOnlyKeyValueStore<String, TypeStats>> stats,
                           Supplier<ReadOnlyKeyValueStore<String, String>> dedupKeys) {
        this.jobs = jobs;
        this.history = history;
        this.stats = stats;
        this.dedupKeys = dedupKeys;
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
        List<JobView> matching = new ArrayList<>();
        try (KeyValueIterator<String, JobView> all = jobs.get().all()) {
            all.forEachRemaining(kv -> {
                if (filter.matches(kv.value)) {
                    matching.add(kv.value);
                }
            });
        }
        matching.sort(NEWEST_FIRST);
        int from = Math.min(offset, matching.size());
        int to = Math.min(from + limit, matching.size());
        return new JobPage(List.copyOf(matching.subList(from, to)), matching.size());
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
