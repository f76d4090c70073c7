package io.jobline.benchmarks.harness;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka's own limits on the same broker, in the same run, as the baselines of the service's figures: what
 * ProducerPerformance and EndToEndLatency (kafka-tools) measure, done with the same client library here.
 */
final class KafkaBaselines {

    private final String bootstrap;

    KafkaBaselines(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Records/s of one producer (acks=all, idempotent) writing {@code records} records of {@code size} bytes. */
    double producerThroughput(String topic, int partitions, int records, int size) throws Exception {
        createTopic(topic, partitions);
        byte[] value = new byte[size];
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, value)).get();
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, value));
            }
            producer.flush();
            return records / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Latency of single sends (acks=all) at a fixed rate, from each send's scheduled time to its acknowledgement. */
    Samples producerLatency(String topic, int partitions, double perSecond, double seconds, int size) throws Exception {
        createTopic(topic, partitions);
        Samples samples = new Samples();
        byte[] value = new byte[size];
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, value)).get();
            OpenLoop.run(perSecond, seconds, scheduled -> producer.send(new ProducerRecord<>(topic, value),
                    (metadata, error) -> samples.add(System.nanoTime() - scheduled)));
            producer.flush();
        }
        return samples;
    }

    /** Produce one record (acks=all), wait until a consumer has it, repeat: Kafka's end-to-end latency. */
    Samples endToEnd(String topic, int iterations, int size) throws Exception {
        createTopic(topic, 1);
        Samples samples = new Samples();
        TopicPartition partition = new TopicPartition(topic, 0);
        Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", bootstrap, "fetch.max.wait.ms", 0,
                "enable.auto.commit", false));
        try (KafkaProducer<byte[], byte[]> producer = producer();
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            byte[] value = new byte[size];
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, 0, null, value)).get();
                int seen = 0;
                long deadline = start + TimeUnit.SECONDS.toNanos(10);
                while (seen == 0 && System.nanoTime() < deadline) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                    seen = records.count();
                }
                samples.add(System.nanoTime() - start);
            }
        }
        return samples;
    }

    /** Sum of the end offsets of the service's topics (not Kafka's internal ones, not the baselines'). */
    long recordsWritten() throws Exception {
        try (Admin admin = admin()) {
            Set<String> topics = admin.listTopics().names().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var description : admin.describeTopics(topics.stream()
                    .filter(t -> !t.startsWith("__") && !t.startsWith("bench-")).toList()).allTopicNames().get().values()) {
                description.partitions().forEach(p -> latest.put(new TopicPartition(description.name(), p.partition()), OffsetSpec.latest()));
            }
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    /** Bytes in the logs of the topics whose names end with {@code suffix}, e.g. the state stores' changelogs. */
    long logBytes(String suffix) throws Exception {
        try (Admin admin = admin()) {
            AtomicLong bytes = new AtomicLong();
            admin.describeLogDirs(List.of(1)).allDescriptions().get().values().forEach(dirs -> dirs.values().forEach(dir ->
                    dir.replicaInfos().forEach((partition, info) -> {
                        if (partition.topic().endsWith(suffix)) {
                            bytes.addAndGet(info.size());
                        }
                    })));
            return bytes.get();
        }
    }

    /** Average value size of the records of {@code topic}, sampled from its start. */
    int averageValueSize(String topic, int sample) {
        Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", false,
                "isolation.level", "read_committed"));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long bytes = 0;
            int count = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (count < sample && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    bytes += record.value() == null ? 0 : record.value().length;
                    count++;
                }
            }
            return count == 0 ? 200 : (int) (bytes / count);
        }
    }

    private void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            }
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", bootstrap, "acks", "all",
                "enable.idempotence", true, "linger.ms", 5));
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrap));
    }

    /** Calls an action at a fixed rate, each with its scheduled time, so a slow answer does not slow the schedule. */
    static final class OpenLoop {
        interface Action {
            void fire(long scheduledNanos) throws Exception;
        }

        static void run(double perSecond, double seconds, Action action) throws Exception {
            long interval = (long) (1e9 / perSecond);
            long count = (long) (perSecond * seconds);
            long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                long scheduled = start + i * interval;
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                action.fire(scheduled);
            }
        }
    }
}
