package io.jobline.processor.decider;

import java.time.Duration;
import java.util.UUID;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import io.jobline.core.command.CommandSender;
import io.jobline.core.support.StateSerde;
import io.jobline.schemas.topic.JobTopics;

/**
 * job-commands → decide against the job's state → job-events, and the pending jobs no local worker took at once →
 * job-offers (see {@link DeciderProcessor}). The only writer of job-events: one task per
 * partition, so each job's commands are decided one at a time, and with exactly_once_v2 the events, the offers,
 * the state and the consumed offsets commit together. Timeouts are judged by the ticks each task appends to its own partition
 * through {@code ticks}, the producer its workers report through (see {@link DeciderProcessor}).
 */
public final class DeciderTopology {

    public static final String STATE_STORE = "job-decider-state";

    private DeciderTopology() {
    }

    /** How often running attempts are checked against their timeouts on the wall clock (and a tick sent if one is due). */
    public static final Duration TIMEOUT_CHECK_INTERVAL = Duration.ofMillis(500);

    static final String SOURCE = "job-commands-source";
    static final String DECIDER = "decider";
    static final String EVENTS_SINK = "job-events-sink";
    static final String OFFERS_SINK = "job-offers-sink";

    public static Topology build(JobTopics topics, DecisionListener listener, CommandSender ticks) {
        JobDecider decider = new JobDecider(() -> UUID.randomUUID().toString());
        Topology topology = new Topology();
        topology.addSource(SOURCE, topics.commands().keySerde().deserializer(), topics.commands().valueSerde().deserializer(),
                topics.commands().name());
        topology.addProcessor(DECIDER, () -> new DeciderProcessor(decider, listener, ticks, TIMEOUT_CHECK_INTERVAL), SOURCE);
        // Cached: the several states a job goes through within one commit interval reach the changelog as one record.
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), new StateSerde<>(JobState.class))
                .withCachingEnabled(), DECIDER);
        topology.addSink(EVENTS_SINK, topics.events().name(), topics.events().keySerde().serializer(),
                topics.events().valueSerde().serializer(), DECIDER);
        topology.addSink(OFFERS_SINK, topics.offers().name(), topics.offers().keySerde().serializer(),
                topics.offers().valueSerde().serializer(), DECIDER);
        return topology;
    }
}
