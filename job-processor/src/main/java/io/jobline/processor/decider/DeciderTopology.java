package io.jobline.processor.decider;

import java.time.Duration;
import java.util.UUID;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import io.jobline.core.command.CommandSender;
import io.jobline.core.support.StateSerde;
import io.jobline.schemas.topic.JobTopics;

/**
 * job-commands → decide against the job's state → job-events. The only writer of job-events: one task per
 * partition, so each job's commands are decided one at a time, and with exactly_once_v2 the events, the state and
 * the consumed offsets commit together. Timeouts are judged by the ticks each task appends to its own partition
 * through {@code ticks}, the producer its workers report through (see {@link DeciderProcessor}).
 */
public final class DeciderTopology {

    public static final String STATE_STORE = "job-decider-state";

    private DeciderTopology() {
    }

    /** How often running attempts are checked against their timeouts on the wall clock (and a tick sent if one is due). */
    public static final Duration TIMEOUT_CHECK_INTERVAL = Duration.ofMillis(500);

    public static Topology build(JobTopics topics, DecisionListener listener, CommandSender ticks) {
        StreamsBuilder builder = new StreamsBuilder();
        // Cached: the several states a job goes through within one commit interval reach the changelog as one record.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), new StateSerde<>(JobState.class))
                .withCachingEnabled());
        JobDecider decider = new JobDecider(() -> UUID.randomUUID().toString());
        builder.stream(topics.commands().name(), Consumed.with(topics.commands().keySerde(), topics.commands().valueSerde()))
                .process(() -> new DeciderProcessor(decider, listener, ticks, TIMEOUT_CHECK_INTERVAL), STATE_STORE)
                .to(topics.events().name(), Produced.with(topics.events().keySerde(), topics.events().valueSerde()));
        return builder.build();
    }
}
