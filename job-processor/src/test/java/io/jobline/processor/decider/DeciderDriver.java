package io.jobline.processor.decider;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import io.jobline.core.command.CommandSender;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.offer.JobOffer;
import io.jobline.schemas.registry.SchemaRegistry;
import io.jobline.schemas.topic.JobTopics;

/**
 * The decider topology on a TopologyTestDriver (exactly-once), with its command input and event output. The ticks
 * it sends are kept in {@link #ticks}; {@link #advanceWallClockTime} reads them back at once, as a partition with
 * nothing else to read would.
 */
final class DeciderDriver implements AutoCloseable {

    final TopologyTestDriver driver;
    final TestInputTopic<String, JobCommand> commands;
    final TestOutputTopic<String, JobEvent> events;
    final TestOutputTopic<String, JobOffer> offers;
    /** Ticks the decider sent and nobody has read back yet. */
    final List<JobCommand> ticks = new ArrayList<>();

    DeciderDriver(DecisionListener listener, Instant wallClock) {
        JobTopics topics = new JobTopics(SchemaRegistry.forUrl(null));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "decider-test");
        // Its own state folder: the default one under /tmp is shared by every build running on the host.
        props.put(StreamsConfig.STATE_DIR_CONFIG, io.jobline.core.testing.TempFolders.create("decider-test").toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        CommandSender tickSender = tick -> {
            ticks.add(tick);
            return CompletableFuture.completedFuture(null);
        };
        driver = new TopologyTestDriver(DeciderTopology.build(topics, listener, tickSender), props, wallClock);
        commands = driver.createInputTopic(JobTopics.COMMANDS, topics.commands().keySerde().serializer(),
                topics.commands().valueSerde().serializer());
        events = driver.createOutputTopic(JobTopics.EVENTS, topics.events().keySerde().deserializer(),
                topics.events().valueSerde().deserializer());
        offers = driver.createOutputTopic(JobTopics.OFFERS, topics.offers().keySerde().deserializer(),
                topics.offers().valueSerde().deserializer());
    }

    /** Moves the wall clock on, then reads back the ticks sent meanwhile. */
    void advanceWallClockTime(Duration duration) {
        driver.advanceWallClockTime(duration);
        readTicks();
    }

    /** Reads back every tick sent so far, behind whatever was piped before. */
    void readTicks() {
        List<JobCommand> sent = List.copyOf(ticks);
        ticks.clear();
        sent.forEach(tick -> commands.pipeInput(tick.getJobId(), tick));
    }

    @Override
    public void close() {
        driver.close();
    }
}
