package io.jobline.api.jobtypes;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.schemas.jobtype.JobTypeDeclared;
import io.jobline.schemas.jobtype.JobTypeDeleted;
import io.jobline.schemas.jobtype.JobTypeEvent;
import io.jobline.schemas.topic.Topic;

/**
 * Every instance's view of the job types declared at runtime: the fold of job-types, read from its beginning by a
 * thread of its own. A change applies only when its version is one more than the type's current one, so every
 * instance folds the same log to the same catalog, and of two racing writers the first in the log wins.
 */
public final class JobTypeCatalog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobTypeCatalog.class);

    /** A type's current version; {@code current} is null once deleted (its version counts on). */
    private record Entry(int version, DeclaredJobType current, String lastEventId) {
    }

    private final KafkaConsumer<String, JobTypeEvent> consumer;
    private final TopicPartition partition;
    private final Map<String, Entry> types = new HashMap<>();
    private final long endAtStart;
    private long position;
    private final Thread thread;
    private volatile boolean closed;

    public JobTypeCatalog(Map<String, Object> clientConfig, Topic<String, JobTypeEvent> topic) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.partition = new TopicPartition(topic.name(), 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        this.endAtStart = consumer.endOffsets(List.of(partition)).get(partition);
        this.thread = new Thread(this::run, "job-type-catalog");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether every change appended before this instance started has been folded. */
    public synchronized boolean isCaughtUp() {
        return position >= endAtStart;
    }

    public synchronized Optional<DeclaredJobType> find(String name) {
        Entry entry = types.get(name);
        return Optional.ofNullable(entry == null ? null : entry.current());
    }

    /** The version the next change of this type must have. */
    synchronized int nextVersion(String name) {
        Entry entry = types.get(name);
        return entry == null ? 1 : entry.version() + 1;
    }

    public synchronized Collection<DeclaredJobType> all() {
        Map<String, DeclaredJobType> sorted = new TreeMap<>();
        types.forEach((name, entry) -> {
            if (entry.current() != null) {
                sorted.put(name, entry.current());
            }
        });
        return List.copyOf(sorted.values());
    }

    /**
     * Waits until the type has reached {@code version} (by any writer), at most {@code timeout}; true when the
     * change that got there is the event {@code eventId}.
     */
    synchronized boolean awaitApplied(String name, int version, String eventId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Entry entry = types.get(name);
            if (entry != null && entry.version() >= version) {
                return entry.version() == version && eventId.equals(entry.lastEventId());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private void run() {
        try {
            while (!closed) {
                var records = consumer.poll(Duration.ofMillis(500));
                synchronized (this) {
                    for (ConsumerRecord<String, JobTypeEvent> record : records) {
                        apply(record.value());
                    }
                    position = consumer.position(partition);
                    notifyAll();
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("The job type catalog stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(JobTypeEvent event) {
        if (event == null) {
            return;
        }
        Entry entry = types.get(event.getName());
        int expected = entry == null ? 1 : entry.version() + 1;
        if (event.getVersion() != expected) {
            return; // lost a race with the change that took this version
        }
        if (event.getPayload() instanceof JobTypeDeclared declared) {
            types.put(event.getName(), new Entry(event.getVersion(), DeclaredJobType.of(event, declared), event.getEventId()));
        } else if (event.getPayload() instanceof JobTypeDeleted) {
            types.put(event.getName(), new Entry(event.getVersion(), null, event.getEventId()));
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
