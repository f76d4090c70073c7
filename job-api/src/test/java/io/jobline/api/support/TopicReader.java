package io.jobline.api.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.registry.SchemaRegistry;
import io.jobline.schemas.topic.JobTopics;

/** Reads a whole topic, as raw bytes, up to its end at the moment of the call (committed records only). */
public final class TopicReader {

    private TopicReader() {
    }

    public static List<ConsumerRecord<String, byte[]>> readAll(KafkaSettings kafka, String topic) {
        return readAll(kafka.bootstrapServers(), topic);
    }

    public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrapServers, String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Every readable command on job-commands; records that are not (poison records of a test) are skipped. */
    public static List<JobCommand> commands(RunningService service) {
        JobTopics topics = service.bean(JobTopics.class);
        return decoded(service, JobTopics.COMMANDS, topics.commands().valueSerde().deserializer());
    }

    /** Every readable event on job-events, in partition order; records that are not readable are skipped. */
    public static List<JobEvent> events(RunningService service) {
        JobTopics topics = service.bean(JobTopics.class);
        return decoded(service, JobTopics.EVENTS, topics.events().valueSerde().deserializer());
    }

    /** Every readable event on job-events of the cluster at {@code bootstrapServers} (a child service's broker). */
    public static List<JobEvent> events(String bootstrapServers) {
        JobTopics topics = new JobTopics(SchemaRegistry.forUrl(null));
        return decoded(readAll(bootstrapServers, JobTopics.EVENTS), JobTopics.EVENTS, topics.events().valueSerde().deserializer());
    }

    /** The readable events of one job, in order. */
    public static List<JobEvent> events(RunningService service, String jobId) {
        return events(service).stream().filter(e -> e.getJobId().equals(jobId)).toList();
    }

    private static <T> List<T> decoded(RunningService service, String topic, Deserializer<T> deserializer) {
        return decoded(readAll(service.bean(KafkaSettings.class), topic), topic, deserializer);
    }

    private static <T> List<T> decoded(List<ConsumerRecord<String, byte[]>> records, String topic, Deserializer<T> deserializer) {
        List<T> values = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                values.add(deserializer.deserialize(topic, record.value()));
            } catch (SerializationException e) {
                // a poison record some test wrote on purpose
            }
        }
        return values;
    }
}
