package io.jobline.processor.decider;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;

import io.jobline.processor.support.StateSerde;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.Tick;
import io.jobline.schemas.topic.JobTopics;

/**
 * job-commands → decide against the job's state → job-events. The only writer of job-events: one task per
 * partition, so each job's commands are decided one at a time, and with exactly_once_v2 the events, the state and
 * the consumed offsets commit together. A second sink appends the task's {@link Tick}s to its own partition of
 * job-commands: the clock its timeouts are judged by (see {@link DeciderProcessor}).
 */
public final class DeciderTopology {

    public static final String STATE_STORE = "job-decider-state";
    static final String EVENTS_SINK = "job-events-sink";
    static final String TICKS_SINK = "job-commands-ticks-sink";

    private DeciderTopology() {
    }

    /** How often running attempts are checked against their timeouts on the wall clock (and a tick appended if one is due). */
    public static final Duration TIMEOUT_CHECK_INTERVAL = Duration.ofMillis(500);

    public static Topology build(JobTopics topics, DecisionListener listener) {
        JobDecider decider = new JobDecider(() -> UUID.randomUUID().toString());
        Topology topology = new Topology();
        topology.addSource("job-commands-source", topics.commands().keySerde().deserializer(),
                topics.commands().valueSerde().deserializer(), topics.commands().name());
        topology.addProcessor("decider", () -> new DeciderProcessor(decider, listener, TIMEOUT_CHECK_INTERVAL),
                "job-commands-source");
        // Cached: the several states a job goes through within one commit interval reach the changelog as one record.
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), new StateSerde<>(JobState.class))
                .withCachingEnabled(), "decider");
        topology.addSink(EVENTS_SINK, topics.events().name(), topics.events().keySerde().serializer(),
                topics.events().valueSerde().serializer(), "decider");
        topology.<String, JobCommand>addSink(TICKS_SINK, topics.commands().name(), topics.commands().keySerde().serializer(),
                topics.commands().valueSerde().serializer(), new ToTicksPartition(), "decider");
        return topology;
    }

    /** A tick goes to the partition it names: the one its decider reads. */
    private static final class ToTicksPartition implements StreamPartitioner<String, JobCommand> {

        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, JobCommand value, int numPartitions) {
            return Optional.of(Set.of(((Tick) value.getPayload()).getPartition()));
        }
    }
}
