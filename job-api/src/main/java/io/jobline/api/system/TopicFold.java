package io.jobline.api.system;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.api.problem.ApiException;
import io.jobline.schemas.topic.Topic;

/**
 * A one-partition topic (job types, API keys, webhook subscriptions) that every instance appends changes to and
 * folds: read from its beginning by a thread of its own, each record handed to {@code apply} while holding
 * {@code lock}, the monitor the owner's readers synchronize on (and are notified on after each batch). Knows how far
 * it has read, so the owner can answer a change once this instance has folded it, or wait for everything appended
 * before this instance started. A record that cannot be read is skipped with a warning.
 *
 * @param <V> the topic's value
 */
public final class TopicFold<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicFold.class);
    /** How long a change waits to be folded here before its answer is a 503 (it applies anyway). */
    static final Duration APPLY_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final Object lock;
    private final Consumer<V> apply;
    private final Runnable afterBatch;
    private final String topicName;
    private final KafkaProducer<String, V> producer;
    private final KafkaConsumer<String, V> consumer;
    private final TopicPartition partition;
    private final long endAtStart;
    private long position;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Starts folding. {@code afterBatch} runs after each batch, outside the lock (to tell listeners what changed);
     * {@code name} names the thread and the log lines.
     */
    public TopicFold(String name, Map<String, Object> clientConfig, Topic<String, V> topic, Object lock,
                     Consumer<V> apply, Runnable afterBatch) {
        this.name = name;
        this.lock = lock;
        this.apply = apply;
        this.afterBatch = afterBatch;
        this.topicName = topic.name();
        Map<String, Object> writer = new HashMap<>(clientConfig);
        writer.put(ProducerConfig.ACKS_CONFIG, "all");
        writer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        writer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        writer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        writer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.producer = new KafkaProducer<>(writer, topic.keySerde().serializer(), topic.valueSerde().serializer());
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.partition = new TopicPartition(topic.name(), 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        this.endAtStart = consumer.endOffsets(List.of(partition)).get(partition);
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Appends a change and waits until this instance has folded it, so the caller's next request here sees it (other
     * instances within their fold's lag); {@code what} names the change in the 503 problems.
     */
    public void appendAndFold(String key, V value, String what) {
        long offset = append(key, value, what);
        try {
            if (!awaitFolded(offset, APPLY_TIMEOUT)) {
                throw ApiException.unavailable("The " + what + " was stored, but this instance has not read it back yet; "
                        + "it applies within moments");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while storing the " + what);
        }
    }

    /** Appends a change, acknowledged by every in-sync replica; its offset. */
    public long append(String key, V value, String what) {
        try {
            return producer.send(new ProducerRecord<>(topicName, key, value)).get(10, TimeUnit.SECONDS).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while storing the " + what);
        } catch (ExecutionException | TimeoutException e) {
            throw ApiException.unavailable("Could not store the " + what + " in Kafka: " + e.getMessage());
        }
    }

    /** Whether every record appended before this instance started has been folded. */
    public boolean isCaughtUp() {
        synchronized (lock) {
            return position >= endAtStart;
        }
    }

    /** Waits until every record appended before this instance started has been folded, at most {@code timeout}. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return awaitFolded(endAtStart - 1, timeout);
    }

    /** Waits until the record at {@code offset} has been folded, at most {@code timeout}. */
    public boolean awaitFolded(long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (position <= offset) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private void run() {
        try {
            while (!closed) {
                ConsumerRecords<String, V> records;
                try {
                    records = consumer.poll(Duration.ofMillis(500));
                } catch (RecordDeserializationException e) {
                    log.warn("{}: skipped an unreadable record of {} at offset {}: {}", name, e.topicPartition(), e.offset(),
                            e.toString());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                synchronized (lock) {
                    for (ConsumerRecord<String, V> record : records) {
                        if (record.value() != null) {
                            apply.accept(record.value());
                        }
                    }
                    position = consumer.position(partition);
                    lock.notifyAll();
                }
                afterBatch.run();
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("{} stopped: {}", name, e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() throws InterruptedException {
        producer.close(Duration.ofSeconds(5));
        closed = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
