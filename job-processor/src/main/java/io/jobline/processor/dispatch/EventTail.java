package io.jobline.processor.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.core.logging.JobLogContext;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.topic.Topic;

/**
 * Follows job-events from their end, on every partition, and tells whoever watches a job about its new events: how
 * a worker learns that its StartJob was granted for a job whose partition another instance decides, and that a job
 * it runs for another instance was cancelled. No consumer group: every instance reads every event it needs live.
 */
public final class EventTail implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventTail.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final org.apache.kafka.common.serialization.Deserializer<JobEvent> decoder;
    private final Map<String, List<Consumer<JobEvent>>> watchers = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    public EventTail(Map<String, Object> clientConfig, Topic<String, JobEvent> events) {
        Map<String, Object> config = new java.util.HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Values stay bytes until someone watches their job: most events concern no one here.
        this.consumer = new KafkaConsumer<>(config, events.keySerde().deserializer(), new ByteArrayDeserializer());
        this.decoder = events.valueSerde().deserializer();
        List<TopicPartition> partitions = consumer.partitionsFor(events.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // the end as of now, before anyone watches
        this.thread = new Thread(this::run, "job-event-tail");
        thread.setDaemon(true);
        thread.start();
    }

    /** The Kafka consumer, for its metrics (Micrometer's KafkaClientMetrics); only the tail's thread polls it. */
    public org.apache.kafka.clients.consumer.Consumer<?, ?> client() {
        return consumer;
    }

    /** Calls {@code watcher} with each new event of the job, on the tail's thread, until the returned handle closes. */
    public AutoCloseable watch(String jobId, Consumer<JobEvent> watcher) {
        watchers.computeIfAbsent(jobId, id -> new CopyOnWriteArrayList<>()).add(watcher);
        return () -> watchers.computeIfPresent(jobId, (id, list) -> {
            list.remove(watcher);
            return list.isEmpty() ? null : list;
        });
    }

    private void run() {
        try {
            while (!closed) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    List<Consumer<JobEvent>> list = record.key() == null ? null : watchers.get(record.key());
                    JobEvent event = list == null || record.value() == null ? null : decode(record);
                    if (event != null && event.getJobId().equals(record.key())) {
                        for (Consumer<JobEvent> watcher : list) {
                            try {
                                watcher.accept(event);
                            } catch (RuntimeException e) {
                                try (JobLogContext ignored = JobLogContext.of(event.getJobId())) {
                                    log.warn("A watcher of job {} failed: {}", event.getJobId(), e.toString());
                                }
                            }
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("The event tail stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private JobEvent decode(ConsumerRecord<String, byte[]> record) {
        try {
            return decoder.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            log.warn("Skipping an unreadable event at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
            return null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
