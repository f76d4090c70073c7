package io.jobline.api.webhooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.schemas.topic.Topic;
import io.jobline.schemas.webhook.WebhookSubscribed;
import io.jobline.schemas.webhook.WebhookSubscriptionEvent;
import io.jobline.schemas.webhook.WebhookUnsubscribed;

/**
 * Every instance's view of the webhook subscriptions: the fold of webhook-subscriptions, read from its beginning by a
 * thread of its own (as the API key catalog folds api-keys). A subscription's last record wins.
 */
final class SubscriptionCatalog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionCatalog.class);

    private final KafkaConsumer<String, WebhookSubscriptionEvent> consumer;
    private final TopicPartition partition;
    private final Map<String, Subscription> active = new HashMap<>();
    private final long endAtStart;
    private long position;
    private final Thread thread;
    private volatile boolean closed;

    SubscriptionCatalog(Map<String, Object> clientConfig, Topic<String, WebhookSubscriptionEvent> topic) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.partition = new TopicPartition(topic.name(), 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        this.endAtStart = consumer.endOffsets(List.of(partition)).get(partition);
        this.thread = new Thread(this::run, "webhook-subscriptions");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized boolean isCaughtUp() {
        return position >= endAtStart;
    }

    synchronized Optional<Subscription> find(String id) {
        return Optional.ofNullable(active.get(id));
    }

    /** Every subscription, oldest first. */
    synchronized List<Subscription> all() {
        List<Subscription> all = new ArrayList<>(active.values());
        all.sort(Comparator.comparing(Subscription::createdAt).thenComparing(Subscription::id));
        return all;
    }

    synchronized List<Subscription> ofOwner(String owner) {
        return all().stream().filter(s -> s.owner().equals(owner)).toList();
    }

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
                org.apache.kafka.clients.consumer.ConsumerRecords<String, WebhookSubscriptionEvent> records;
                try {
                    records = consumer.poll(Duration.ofMillis(500));
                } catch (org.apache.kafka.common.errors.RecordDeserializationException e) {
                    log.warn("Skipped an unreadable record of {} at offset {}: {}", e.topicPartition(), e.offset(), e.toString());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                synchronized (this) {
                    for (ConsumerRecord<String, WebhookSubscriptionEvent> record : records) {
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
            log.error("The webhook subscription catalog stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(WebhookSubscriptionEvent event) {
        if (event == null) {
            return;
        }
        if (event.getPayload() instanceof WebhookSubscribed s) {
            active.put(event.getSubscriptionId(), new Subscription(event.getSubscriptionId(), s.getOwner(), s.getUrl(),
                    s.getEvents(), s.getJobTypes(), event.getTimestamp(), s.getCreatedBy()));
        } else if (event.getPayload() instanceof WebhookUnsubscribed) {
            active.remove(event.getSubscriptionId());
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
