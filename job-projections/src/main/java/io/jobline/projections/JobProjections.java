package io.jobline.projections;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.jobline.core.system.KafkaSettings;
import io.jobline.core.system.StreamsConfigs;
import io.jobline.projections.catchup.EventLogEnd;
import io.jobline.projections.catchup.FoldProgress;
import io.jobline.projections.catchup.ProjectionCatchUp;
import io.jobline.projections.query.JobQueries;
import io.jobline.projections.query.ListedJob;
import io.jobline.projections.query.StoreJobQueries;
import io.jobline.schemas.topic.JobTopics;

/** The running projections: {@link JobsTopology} on Kafka Streams, queried through {@link #queries()}. */
public final class JobProjections implements AutoCloseable {

    public static final String APPLICATION_ID = "jobline-projections";
    /** Standby copies of each partition's stores kept by other instances of a cluster. */
    static final int STANDBY_REPLICAS = 1;

    private final KafkaStreams streams;
    private final JobQueries queries;
    private final ProjectionCatchUp catchUp;
    private final int eventPartitions;

    /**
     * {@code clustered}: other instances hold the other partitions and this one keeps standby copies of some of
     * theirs; the stats and dedup stores are then read from this instance's active tasks only (a standby copy is
     * another instance's part, and may be behind).
     */
    private JobProjections(KafkaStreams streams, EventLogEnd atStart, FoldProgress progress, boolean clustered) {
        this.streams = streams;
        this.eventPartitions = atStart.lastEvent().size();
        this.catchUp = new ProjectionCatchUp(atStart, progress, () -> heldPartitions(streams));
        this.queries = new StoreJobQueries(
                () -> streams.store(StoreQueryParameters.fromNameAndType(JobsTopology.JOBS_STORE,
                        QueryableStoreTypes.<String, io.jobline.projections.view.JobView>keyValueStore()).enableStaleStores()),
                () -> streams.store(StoreQueryParameters.fromNameAndType(JobsTopology.HISTORY_STORE,
                        QueryableStoreTypes.<String, io.jobline.schemas.event.JobEvent>keyValueStore()).enableStaleStores()),
                () -> streams.store(stale(StoreQueryParameters.fromNameAndType(JobsTopology.STATS_STORE,
                        QueryableStoreTypes.<String, io.jobline.projections.stats.TypeStats>keyValueStore()), !clustered)),
                () -> streams.store(stale(StoreQueryParameters.fromNameAndType(JobsTopology.DEDUP_STORE,
                        QueryableStoreTypes.<String, String>keyValueStore()), !clustered)),
                () -> indexes(streams),
                () -> streams.store(StoreQueryParameters.fromNameAndType(JobsTopology.TOMBSTONE_STORE,
                        QueryableStoreTypes.<String, Long>keyValueStore()).enableStaleStores()));
    }

    private static <T> StoreQueryParameters<T> stale(StoreQueryParameters<T> parameters, boolean stale) {
        return stale ? parameters.enableStaleStores() : parameters;
    }

    /** The listing index of each partition this instance holds, one store each: each is sorted, all of them are not. */
    private static List<ReadOnlyKeyValueStore<String, ListedJob>> indexes(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .map(task -> streams.store(StoreQueryParameters.fromNameAndType(JobsTopology.INDEX_STORE,
                                QueryableStoreTypes.<String, ListedJob>keyValueStore())
                        .withPartition(task.taskId().partition()).enableStaleStores()))
                .toList();
    }

    public static JobProjections start(KafkaSettings kafka, JobTopics topics) {
        return start(kafka, topics, ViewListener.NONE);
    }

    /** The partitions assigned to this instance (restoring or running), or null while a rebalance is under way. */
    private static List<Integer> heldPartitions(KafkaStreams streams) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return null;
        }
        return streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .map(task -> task.taskId().partition())
                .toList();
    }

    /** Notes where job-events ends, then starts folding it; {@link #isCaughtUp()} says when it got there. */
    public static JobProjections start(KafkaSettings kafka, JobTopics topics, ViewListener listener) {
        return start(kafka, topics, listener, null);
    }

    /**
     * {@code applicationServer}: this instance's {@code host:port} as the other instances reach its API (Streams'
     * {@code application.server}, so any instance can tell which one holds a job); null when it is not reachable.
     */
    public static JobProjections start(KafkaSettings kafka, JobTopics topics, ViewListener listener, String applicationServer) {
        EventLogEnd atStart = EventLogEnd.read(kafka.clientConfig(), topics.events().name(), APPLICATION_ID);
        FoldProgress progress = new FoldProgress();
        java.util.Properties config = StreamsConfigs.forApplication(kafka, APPLICATION_ID, kafka.projectionCommitIntervalMs());
        if (applicationServer != null) {
            config.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
            // A warm copy of each partition on another instance: when its holder goes, the copy takes over after
            // replaying only what it lacks, instead of the partition's whole changelog.
            config.put(org.apache.kafka.streams.StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, STANDBY_REPLICAS);
        }
        KafkaStreams streams = new KafkaStreams(JobsTopology.build(topics, listener, progress), config);
        StreamsConfigs.replaceFailedThreads(streams, APPLICATION_ID);
        streams.start();
        return new JobProjections(streams, atStart, progress, applicationServer != null);
    }

    /**
     * Whether the stores are restored and hold every event that was in the log when this process started: until
     * then, a job they do not have may still exist.
     */
    public boolean isCaughtUp() {
        return catchUp.isCaughtUp();
    }

    /** Partitions held here that have not caught up yet; -1 while they are being assigned. */
    public long partitionsBehind() {
        return catchUp.partitionsBehind();
    }

    /** The partitions of job-events whose stores this instance holds, as active tasks and as standby copies. */
    public record Held(java.util.SortedSet<Integer> active, java.util.SortedSet<Integer> standby) {
    }

    public Held held() {
        java.util.SortedSet<Integer> active = new java.util.TreeSet<>();
        java.util.SortedSet<Integer> standby = new java.util.TreeSet<>();
        streams.metadataForLocalThreads().forEach(thread -> {
            thread.activeTasks().forEach(task -> active.add(task.taskId().partition()));
            thread.standbyTasks().forEach(task -> standby.add(task.taskId().partition()));
        });
        return new Held(active, standby);
    }

    /** job-events' partition count, as it was when this process started. */
    public int eventPartitions() {
        return eventPartitions;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public JobQueries queries() {
        return queries;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
