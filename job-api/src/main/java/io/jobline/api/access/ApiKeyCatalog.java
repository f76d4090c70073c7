package io.jobline.api.access;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.schemas.access.ApiKeyCreated;
import io.jobline.schemas.access.ApiKeyEvent;
import io.jobline.schemas.access.ApiKeyRevoked;
import io.jobline.schemas.topic.Topic;

/**
 * Every instance's view of the API keys: the fold of api-keys, read from its beginning by a thread of its own (as
 * {@code JobTypeCatalog} folds job-types). A key's last record wins: created, or revoked.
 */
final class ApiKeyCatalog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyCatalog.class);

    private final KafkaConsumer<String, ApiKeyEvent> consumer;
    private final TopicPartition partition;
    private final Map<String, ApiKey> active = new HashMap<>();
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();
    private final long endAtStart;
    private long position;
    private boolean anyRecord;
    private final Thread thread;
    private volatile boolean closed;

    ApiKeyCatalog(Map<String, Object> clientConfig, Topic<String, ApiKeyEvent> topic) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.partition = new TopicPartition(topic.name(), 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        this.endAtStart = consumer.endOffsets(List.of(partition)).get(partition);
        this.thread = new Thread(this::run, "api-key-catalog");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether every change appended before this instance started has been folded. */
    synchronized boolean isCaughtUp() {
        return position >= endAtStart;
    }

    /**
     * Whether any key was ever made (revoked ones count): the end of protected mode, for good. Revoking the last
     * key does not open the service to loopback clients again.
     */
    synchronized boolean hasAnyKey() {
        return anyRecord;
    }

    synchronized Optional<ApiKey> find(String id) {
        return Optional.ofNullable(active.get(id));
    }

    /** The keys not revoked (expired ones too), oldest first. */
    synchronized List<ApiKey> all() {
        List<ApiKey> keys = new ArrayList<>(active.values());
        keys.sort(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id));
        return keys;
    }

    /** {@code listener} is told the id of each key revoked from now on, on the catalog's thread. */
    void onRevoked(Consumer<String> listener) {
        revocationListeners.add(listener);
    }

    /** Waits until every change appended before this instance started has been folded, at most {@code timeout}. */
    synchronized boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return awaitFolded(endAtStart - 1, timeout);
    }

    /** Waits until the record at {@code offset} has been folded, at most {@code timeout}. */
    synchronized boolean awaitFolded(long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (position <= offset) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private void run() {
        try {
            while (!closed) {
                var records = consumer.poll(Duration.ofMillis(500));
                List<String> revoked = new ArrayList<>();
                synchronized (this) {
                    for (ConsumerRecord<String, ApiKeyEvent> record : records) {
                        apply(record.value(), revoked);
                    }
                    position = consumer.position(partition);
                    notifyAll();
                }
                revoked.forEach(id -> revocationListeners.forEach(listener -> listener.accept(id)));
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("The API key catalog stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ApiKeyEvent event, List<String> revoked) {
        if (event == null) {
            return;
        }
        anyRecord = true;
        if (event.getPayload() instanceof ApiKeyCreated created) {
            active.put(event.getKeyId(), ApiKey.of(event, created));
        } else if (event.getPayload() instanceof ApiKeyRevoked) {
            if (active.remove(event.getKeyId()) != null) {
                revoked.add(event.getKeyId());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
