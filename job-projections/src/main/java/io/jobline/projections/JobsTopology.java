package io.jobline.projections;

import java.time.Duration;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import io.jobline.core.support.StateSerde;
import io.jobline.projections.catchup.FoldProgress;
import io.jobline.projections.query.ListedJob;
import io.jobline.projections.stats.TypeStats;
import io.jobline.projections.view.JobView;
import io.jobline.projections.view.JobViewFold;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.topic.JobTopics;

/**
 * job-events → queryable stores: {@link #JOBS_STORE} (job id → current view), {@link #HISTORY_STORE} (job id +
 * sequence → event, for a job's timeline) and {@link #STATS_STORE} (job type → counts by status and run time,
 * updated from each view's before and after), and {@link #INDEX_STORE} (creation time + job id → status, type and
 * owner) that lists jobs newest first without reading every view. A deleted job leaves all but the stats and is
 * uncounted. After each fold the {@link ViewListener} is told.
 */
public final class JobsTopology {

    public static final String JOBS_STORE = "jobs";
    public static final String HISTORY_STORE = "job-history";
    public static final String STATS_STORE = "job-stats";
    /** {@code <type>\n<dedup key>} -> id of the pending or running job holding that key. */
    public static final String DEDUP_STORE = "job-dedup-keys";
    /** {@link #indexKey} -> the job's status, type and owner; keys sort newest first. */
    public static final String INDEX_STORE = "job-index";
    /** Every index key is in this range; the marker below is not. */
    public static final String INDEX_FIRST = "0";
    public static final String INDEX_LAST = ":";
    /**
     * Job id -> when it was deleted (epoch millis), for deleted jobs that were submitted with an Idempotency-Key:
     * a submit reusing the key within its window must learn that its job is gone, not make one the decider refuses.
     * Kept {@link #TOMBSTONES_KEPT}, a day longer than the key's window (keys are looked up by UTC day).
     */
    public static final String TOMBSTONE_STORE = "job-tombstones";
    static final Duration TOMBSTONES_KEPT = Duration.ofHours(48);
    /** Written once the jobs held before the index existed are indexed (stores from an older version). */
    static final String INDEX_BUILT = "~built";

    private JobsTopology() {
    }

    public static Topology build(JobTopics topics) {
        return build(topics, ViewListener.NONE);
    }

    public static Topology build(JobTopics topics, ViewListener listener) {
        return build(topics, listener, new FoldProgress());
    }

    /** {@code progress} is told which partitions run and what they folded: how readiness knows they caught up. */
    public static Topology build(JobTopics topics, ViewListener listener, FoldProgress progress) {
        StreamsBuilder builder = new StreamsBuilder();
        // The stores whose keys are rewritten (a job's view, a type's counts) are cached: what a key goes through
        // within one commit interval reaches the changelog as one record. History keys are written once each.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(JOBS_STORE), Serdes.String(), new StateSerde<>(JobView.class))
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(HISTORY_STORE), Serdes.String(), topics.events().valueSerdeForStores()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATS_STORE), Serdes.String(), new StateSerde<>(TypeStats.class))
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DEDUP_STORE), Serdes.String(), Serdes.String())
                .withCachingEnabled());
        // Cached too: a short job's pending, running and completed within one commit reach the changelog as one record.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(INDEX_STORE), Serdes.String(), new StateSerde<>(ListedJob.class))
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TOMBSTONE_STORE), Serdes.String(), Serdes.Long()));
        builder.stream(topics.events().name(), Consumed.with(topics.events().keySerde(), topics.events().valueSerde()))
                .process(() -> new FoldEvents(listener, progress), JOBS_STORE, HISTORY_STORE, STATS_STORE, DEDUP_STORE,
                        INDEX_STORE, TOMBSTONE_STORE);
        return builder.build();
    }

    /** History keys sort by job, then by sequence: {@code <job id>/<sequence, 19 digits>}. */
    public static String historyKey(String jobId, long sequence) {
        return appendDigits(new StringBuilder(jobId.length() + 20).append(jobId).append('/'), sequence).toString();
    }

    /**
     * Index keys sort newest first, then by job id: {@code <Long.MAX_VALUE - creation epoch millis, 19 digits><job
     * id>}.
     */
    public static String indexKey(JobView job) {
        long created = job.createdAt() == null ? 0 : job.createdAt().toEpochMilli();
        return appendDigits(new StringBuilder(19 + job.jobId().length()), Long.MAX_VALUE - created).append(job.jobId()).toString();
    }

    public static String jobIdOfIndexKey(String key) {
        return key.substring(19);
    }

    private static StringBuilder appendDigits(StringBuilder key, long value) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < 19; i++) {
            key.append('0');
        }
        return key.append(digits);
    }

    public static String dedupKey(String type, String key) {
        return type + "\n" + key;
    }

    public static String historyPrefix(String jobId) {
        return jobId + "/";
    }

    /**
     * The stats store also counts each owner's jobs per type, under keys that sort apart from the type names:
     * {@code \0<owner>\0<type>}.
     */
    public static String ownerStatsKey(String owner, String type) {
        return ownerStatsPrefix(owner) + type;
    }

    public static String ownerStatsPrefix(String owner) {
        return "\0" + owner + "\0";
    }

    /** Whether a stats key counts a whole type (not one owner's jobs of it, nor a marker). */
    public static boolean isTypeStatsKey(String key) {
        return !key.isEmpty() && key.charAt(0) > '\1';
    }

    /**
     * Set once a partition's stats count every retained job by owner too (jobs from before that are counted once).
     * Its version moves when the owner counts gain a figure (v2: upload bytes), so that they are counted again.
     */
    static final String OWNER_STATS_BUILT = "\1owner-stats-built-v2";

    /**
     * The stats store also counts the pending and running jobs of each type and priority (for the metrics), under
     * keys that sort apart from the type names and the owners' keys: {@code \1priority\0<type>\0<priority>}.
     */
    public static String priorityStatsKey(String type, int priority) {
        return PRIORITY_STATS_PREFIX + type + "\0" + priority;
    }

    public static final String PRIORITY_STATS_PREFIX = "\1priority\0";

    /** The priority a {@link #priorityStatsKey} counts. */
    public static int priorityOfStatsKey(String key) {
        return Integer.parseInt(key.substring(key.lastIndexOf('\0') + 1));
    }

    /** Set once a partition's stats count its active jobs by priority (jobs from before that are counted once). */
    static final String PRIORITY_STATS_BUILT = "\1priority-stats-built";

    private static final class FoldEvents implements Processor<String, JobEvent, Void, Void> {
        private static final int CACHED_VIEWS = 10_000;

        private final ViewListener listener;
        private final FoldProgress progress;
        /** Views as last written, so a job's next event does not read and parse its view again (this is the store's only writer). */
        private final java.util.Map<String, JobView> recentViews = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<String, JobView> eldest) {
                return size() > CACHED_VIEWS;
            }
        };
        /** Counts as last written, per type: a handful of keys, read on every event. */
        private final java.util.Map<String, TypeStats> recentStats = new java.util.HashMap<>();
        private KeyValueStore<String, JobView> jobs;
        private KeyValueStore<String, JobEvent> history;
        private KeyValueStore<String, TypeStats> stats;
        private KeyValueStore<String, String> dedupKeys;
        private KeyValueStore<String, ListedJob> index;
        private KeyValueStore<String, Long> tombstones;
        private Cancellable indexing;
        private Cancellable countingOwners;
        private Cancellable countingPriorities;
        private ProcessorContext<Void, Void> context;

        FoldEvents(ViewListener listener, FoldProgress progress) {
            this.listener = listener;
            this.progress = progress;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            jobs = context.getStateStore(JOBS_STORE);
            history = context.getStateStore(HISTORY_STORE);
            stats = context.getStateStore(STATS_STORE);
            dedupKeys = context.getStateStore(DEDUP_STORE);
            index = context.getStateStore(INDEX_STORE);
            tombstones = context.getStateStore(TOMBSTONE_STORE);
            context.schedule(Duration.ofHours(1), PunctuationType.WALL_CLOCK_TIME, this::forgetOldTombstones);
            if (index.get(INDEX_BUILT) == null) {
                // Outside process(), so that it also runs on a partition that receives no new event.
                indexing = context.schedule(Duration.ofMillis(1), PunctuationType.WALL_CLOCK_TIME, now -> indexEveryJob());
            }
            if (stats.get(OWNER_STATS_BUILT) == null) {
                countingOwners = context.schedule(Duration.ofMillis(1), PunctuationType.WALL_CLOCK_TIME,
                        now -> countEveryJobByOwner());
            }
            if (stats.get(PRIORITY_STATS_BUILT) == null) {
                countingPriorities = context.schedule(Duration.ofMillis(1), PunctuationType.WALL_CLOCK_TIME,
                        now -> countEveryActiveJobByPriority());
            }
            // Also on a task revived after an aborted transaction: the stores went back to the last commit.
            recentViews.clear();
            recentStats.clear();
            progress.started(context.taskId().partition());
        }

        @Override
        public void close() {
            progress.stopped(context.taskId().partition());
            recentViews.clear();
            recentStats.clear();
        }

        @Override
        public void process(Record<String, JobEvent> record) {
            fold(record.value());
            context.recordMetadata().ifPresent(at -> progress.folded(at.partition(), at.offset()));
        }

        private void fold(JobEvent event) {
            if (event == null) {
                return;
            }
            if (countingOwners != null) {
                countEveryJobByOwner();
            }
            if (countingPriorities != null) {
                countEveryActiveJobByPriority();
            }
            String jobId = event.getJobId();
            JobView before = recentViews.containsKey(jobId) ? recentViews.get(jobId) : jobs.get(jobId);
            JobView after = JobViewFold.apply(before, event);
            if (after == before) {
                return;
            }
            if (after == null) {
                recentViews.remove(jobId);
                jobs.delete(jobId);
                index.delete(indexKey(before));
                forgetHistory(jobId);
                if (before.idempotencyKey() != null) {
                    tombstones.put(jobId, event.getTimestamp().toEpochMilli());
                }
            } else {
                recentViews.put(jobId, after);
                jobs.put(jobId, after);
                if (before == null || before.status() != after.status()) {
                    index.put(indexKey(after), ListedJob.of(after));
                }
                history.put(historyKey(jobId, event.getSequence()), event);
            }
            JobView job = after != null ? after : before;
            count(job.type(), job.type(), before, after);
            count(ownerStatsKey(job.owner(), job.type()), job.type(), before, after);
            count(priorityStatsKey(job.type(), job.effectivePriority()), job.type(), active(before), active(after));
            holdDedupKey(jobId, after != null ? after : before, after != null && after.status().isActive());
            listener.folded(event, before, after);
        }

        /** Moves one job's count under {@code key} from {@code before}'s status to {@code after}'s. */
        private void count(String key, String type, JobView before, JobView after) {
            TypeStats typeStats = recentStats.containsKey(key) ? recentStats.get(key) : stats.get(key);
            TypeStats counted = (typeStats == null ? TypeStats.empty(type) : typeStats).apply(before, after);
            if (!counted.equals(typeStats)) {
                // Most events (stages, progress) move no job between statuses: nothing to write.
                recentStats.put(key, counted);
                if (counted.total() == 0 && key.startsWith(PRIORITY_STATS_PREFIX)) {
                    // A priority no active job has any more: up to 201 a type, no need to keep them.
                    stats.delete(key);
                } else {
                    stats.put(key, counted);
                }
            }
        }

        /**
         * Counts the jobs this partition held before it counted them by owner; in one transaction, before the next
         * event is folded, then never again.
         */
        private void countEveryJobByOwner() {
            java.util.Map<String, TypeStats> byOwner = new java.util.HashMap<>();
            try (KeyValueIterator<String, JobView> all = jobs.all()) {
                all.forEachRemaining(kv -> byOwner.merge(ownerStatsKey(kv.value.owner(), kv.value.type()),
                        TypeStats.empty(kv.value.type()).apply(null, kv.value), TypeStats::plus));
            }
            byOwner.forEach(stats::put);
            stats.put(OWNER_STATS_BUILT, TypeStats.empty(""));
            countingOwners.cancel();
            countingOwners = null;
        }

        /** The same as {@link #countEveryJobByOwner}, for the active jobs by priority. */
        private void countEveryActiveJobByPriority() {
            java.util.Map<String, TypeStats> byPriority = new java.util.HashMap<>();
            try (KeyValueIterator<String, JobView> all = jobs.all()) {
                all.forEachRemaining(kv -> {
                    if (kv.value.status().isActive()) {
                        byPriority.merge(priorityStatsKey(kv.value.type(), kv.value.effectivePriority()),
                                TypeStats.empty(kv.value.type()).apply(null, kv.value), TypeStats::plus);
                    }
                });
            }
            byPriority.forEach(stats::put);
            stats.put(PRIORITY_STATS_BUILT, TypeStats.empty(""));
            countingPriorities.cancel();
            countingPriorities = null;
        }

        /** The job while it is pending or running; null otherwise, so that the priority counts hold active jobs only. */
        private static JobView active(JobView job) {
            return job != null && job.status().isActive() ? job : null;
        }

        /** Indexes the jobs this partition held before it had an index; in one transaction, then never again. */
        private void indexEveryJob() {
            try (KeyValueIterator<String, JobView> all = jobs.all()) {
                all.forEachRemaining(kv -> index.put(indexKey(kv.value), ListedJob.of(kv.value)));
            }
            index.put(INDEX_BUILT, new ListedJob(null, null, null));
            indexing.cancel();
        }

        private void forgetOldTombstones(long now) {
            java.util.List<String> old = new java.util.ArrayList<>();
            try (KeyValueIterator<String, Long> all = tombstones.all()) {
                all.forEachRemaining(kv -> {
                    if (kv.value < now - TOMBSTONES_KEPT.toMillis()) {
                        old.add(kv.key);
                    }
                });
            }
            old.forEach(tombstones::delete);
        }

        /** A job holds its dedup key while it is pending or running. */
        private void holdDedupKey(String jobId, JobView job, boolean active) {
            if (job.dedupKey() == null) {
                return;
            }
            String key = dedupKey(job.type(), job.dedupKey());
            if (active) {
                dedupKeys.put(key, jobId);
            } else if (jobId.equals(dedupKeys.get(key))) {
                dedupKeys.delete(key);
            }
        }

        private void forgetHistory(String jobId) {
            java.util.List<String> keys = new java.util.ArrayList<>();
            try (KeyValueIterator<String, JobEvent> events = history.prefixScan(historyPrefix(jobId), Serdes.String().serializer())) {
                events.forEachRemaining(kv -> keys.add(kv.key));
            }
            keys.forEach(history::delete);
        }
    }
}
