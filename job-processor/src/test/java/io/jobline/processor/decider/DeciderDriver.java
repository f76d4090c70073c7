package io.jobline.processor.decider;

import java.time.Instant;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.registry.SchemaRegistry;
import io.jobline.schemas.topic.JobTopics;

/**
 * The decider topology on a TopologyTestDriver (exactly-once), with its command input and event output. The driver
 * reads the ticks the decider appends to job-commands back at once, as a decider with nothing else to read would.
 */
final class DeciderDriver implements AutoCloseable {

    final TopologyTestDriver driver;
    final TestInputTopic<String, JobCommand> commands;
    final TestOutputTopic<String, JobEvent> events;
    /** What the decider appends to job-commands itself: its ticks. */
    final TestOutputTopic<String, JobCommand> ticks;

    DeciderDriver(DecisionListener listener, Instant wallClock) {
        JobTopics topics = new JobTopics(SchemaRegistry.forUrl(null));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "decider-test");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(DeciderTopology.build(topics, listener), props, wallClock);
        commands = driver.createInputTopic(JobTopics.COMMANDS, topics.commands().keySerde().serializer(),
                topics.commands().valueSerde().serializer());
        events = driver.createOutputTopic(JobTopics.EVENTS, topics.events().keySerde().deserializer(),
                topics.events().valueSerde().deserializer());
        ticks = driver.createOutputTopic(JobTopics.COMMANDS, topics.commands().keySerde().deserializer(),
                topics.commands().valueSerde().deserializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
