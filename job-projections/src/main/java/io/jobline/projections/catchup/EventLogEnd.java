package io.jobline.projections.catchup;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where job-events ended when this process started, per partition: the offset of the last committed event (-1 when
 * there is none), and the offset the projection's consumer group had committed (-1: nothing). The log's end offset
 * alone would not do: it counts transaction markers and aborted events, which a read_committed consumer skips
 * without folding anything, so a projection that is fully caught up may never have folded the offset before it.
 */
public record EventLogEnd(Map<Integer, Long> lastEvent, Map<Integer, Long> committed) {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public long lastEvent(int partition) {
        return lastEvent.getOrDefault(partition, -1L);
    }

    public long committed(int partition) {
        return committed.getOrDefault(partition, -1L);
    }

    /** Reads it from the cluster: the topic's committed end, and the group's committed offsets. */
    public static EventLogEnd read(Map<String, Object> clientConfig, String topic, String groupId) {
        Map<Integer, Long> committed = new HashMap<>();
        try (Admin admin = Admin.create(clientConfig)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            offsets.forEach((tp, offset) -> {
                if (tp.topic().equals(topic) && offset != null) {
                    committed.put(tp.partition(), offset.offset());
                }
            });
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot read the committed offsets of " + groupId + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the committed offsets of " + groupId, e);
        }
        return new EventLogEnd(lastEvents(clientConfig, topic), Map.copyOf(committed));
    }

    /**
     * The offset of each partition's last committed record: read backwards from the end in growing steps (1, 16,
     * 256, ... records) until a step holds one, as aborted transactions and markers may fill the tail.
     */
    private static Map<Integer, Long> lastEvents(Map<String, Object> clientConfig, String topic) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        Map<Integer, Long> last = new HashMap<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            for (TopicPartition partition : partitions) {
                last.put(partition.partition(), lastRecord(consumer, partition, ends.get(partition), deadline));
            }
        }
        return Map.copyOf(last);
    }

    private static long lastRecord(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long end, long deadline) {
        consumer.assign(List.of(partition));
        for (long back = 1; end > 0; back *= 16) {
            long from = Math.max(0, end - back);
            consumer.seek(partition, from);
            long found = -1;
            while (consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read the end of " + partition + " within " + TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.offset() < end) {
                        found = Math.max(found, record.offset());
                    }
                }
            }
            if (found >= 0 || from == 0) {
                return found;
            }
        }
        return -1;
    }
}
