package io.jobline.api.workers.registry;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.jobline.core.system.KafkaSettings;
import io.jobline.schemas.topic.JobTopics;
import io.jobline.schemas.topic.Topic;
import io.jobline.schemas.worker.WorkerAnnounced;

/**
 * This instance's list of every worker: the workers topic folded from its beginning by a thread of its own (as the
 * API key and job type catalogs fold theirs).
 */
@Component
public class WorkerDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerDirectory.class);

    private final KafkaConsumer<String, WorkerAnnounced> consumer;
    private final WorkerFold fold;
    private final Clock clock = Clock.systemUTC();
    private final Thread thread;
    private volatile boolean closed;

    WorkerDirectory(KafkaSettings kafka, JobTopics topics, WorkerRegistryProperties settings) {
        Topic<String, WorkerAnnounced> topic = topics.workers();
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        TopicPartition partition = new TopicPartition(topic.name(), 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        this.fold = new WorkerFold(settings.dropAfter());
        this.thread = new Thread(this::run, "worker-directory");
        thread.setDaemon(true);
        thread.start();
    }

    /** Every worker any instance announced and that is not dead, as of now. */
    public synchronized List<ListedWorker> list() {
        return fold.list(clock.instant());
    }

    private void run() {
        try {
            while (!closed) {
                var records = consumer.poll(Duration.ofMillis(500));
                synchronized (this) {
                    for (ConsumerRecord<String, WorkerAnnounced> record : records) {
                        fold.apply(record.key(), record.value());
                    }
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("The worker directory stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
