package io.jobline.processor;

import java.time.Clock;
import java.time.Duration;

import org.apache.kafka.streams.KafkaStreams;

import io.jobline.core.command.JobCommands;
import io.jobline.core.command.KafkaCommandSender;
import io.jobline.core.command.QueuedCommandSender;
import io.jobline.core.files.FileStore;
import io.jobline.core.secrets.SecretInputs;
import io.jobline.core.jobtype.JobTypes;
import io.jobline.core.system.KafkaSettings;
import io.jobline.core.system.StreamsConfigs;
import io.jobline.processor.decider.DeciderTopology;
import io.jobline.processor.dispatch.Dispatch;
import io.jobline.processor.runner.JobRunner;
import io.jobline.schemas.topic.JobTopics;

/** The running processor: the decider topology on Kafka Streams plus the runner for the partitions it owns. */
public final class JobProcessor implements AutoCloseable {

    public static final String APPLICATION_ID = "jobline-decider";

    private final KafkaCommandSender producer;
    private final QueuedCommandSender sender;
    private final JobRunner runner;
    private final KafkaStreams streams;
    private final Dispatch dispatch;

    private JobProcessor(KafkaCommandSender producer, QueuedCommandSender sender, JobRunner runner, KafkaStreams streams,
                         Dispatch dispatch) {
        this.dispatch = dispatch;
        this.producer = producer;
        this.sender = sender;
        this.runner = runner;
        this.streams = streams;
    }

    public static JobProcessor start(KafkaSettings kafka, JobTopics topics, JobTypes types, FileStore files,
                                     SecretInputs secrets, String workerId, int concurrency) {
        Clock clock = Clock.systemUTC();
        // A worker's reports wait out a broker outage in the producer rather than being dropped: each job's commands
        // stay in order, and the decider decides them when the broker is back. Workers and the decider's ticks share
        // one queue in front of the producer, so a tick lands behind every report made before it.
        java.util.Map<String, Object> config = kafka.clientConfig();
        config.put(org.apache.kafka.clients.producer.ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        config.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.MAX_VALUE);
        KafkaCommandSender producer = new KafkaCommandSender(topics.commands(), config);
        QueuedCommandSender sender = new QueuedCommandSender(producer);
        JobCommands commands = new JobCommands(clock);
        Dispatch dispatch = Dispatch.start(kafka.clientConfig(), topics, sender, commands);
        JobRunner runner = new JobRunner(workerId, concurrency, types, files, secrets, sender, commands, clock,
                dispatch.dispatcher(), dispatch.tail());
        KafkaStreams streams = new KafkaStreams(DeciderTopology.build(topics, runner, sender),
                StreamsConfigs.forApplication(kafka, APPLICATION_ID, kafka.deciderCommitIntervalMs()));
        StreamsConfigs.replaceFailedThreads(streams, APPLICATION_ID);
        streams.start();
        return new JobProcessor(producer, sender, runner, streams, dispatch);
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** The producer the workers report and the deciders tick through. */
    public KafkaCommandSender producer() {
        return producer;
    }

    public JobRunner runner() {
        return runner;
    }

    /** Offered jobs for this process's workers: also the one external workers' long polls wait on. */
    public Dispatch dispatch() {
        return dispatch;
    }

    @Override
    public void close() throws InterruptedException {
        runner.close();
        dispatch.close();
        streams.close(Duration.ofSeconds(30));
        sender.close();
        producer.close();
    }
}
