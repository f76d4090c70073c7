package io.jobline.core.system;

import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.LoggerFactory;

import io.jobline.schemas.topic.JobTopics;

/**
 * Streams settings every topology of the service shares: exactly-once v2 (unless told otherwise), one thread, our
 * replication factor, static membership when the instance has a stable id, poison records to the dead-letter
 * topic, and RocksDB memory bounded for the whole process.
 */
public final class StreamsConfigs {

    private StreamsConfigs() {
    }

    /**
     * Keeps a Streams client alive through a broker outage longer than its retries: a stream thread that dies of an
     * exception is replaced by a new one, which resumes from the last commit.
     */
    public static void replaceFailedThreads(KafkaStreams streams, String applicationId) {
        streams.setUncaughtExceptionHandler(e -> {
            LoggerFactory.getLogger(StreamsConfigs.class).warn("{}: stream thread failed, replacing it: {}", applicationId, e.toString());
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    public static Properties forApplication(KafkaSettings kafka, String applicationId, long commitIntervalMs) {
        Properties props = new Properties();
        props.putAll(kafka.clientConfig());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, kafka.processingGuarantee());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        // A stream thread checks whether a commit is due only between polls, and a poll waits up to poll.ms (100 ms
        // by default) for records: with few records coming in, a due commit (and so, under exactly-once, the events
        // it makes visible) waited for the next record or for those 100 ms. Polling for at most a sixth of the
        // interval bounds that wait.
        props.put(StreamsConfig.POLL_MS_CONFIG, Math.max(1, Math.min(100, commitIntervalMs / 6)));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replicationFactor());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // Every task reads one partition of one topic, so there is nothing to wait for before processing; and with
        // the default (0), Kafka Streams 4.2 formats a log line with String.format for each task with an empty
        // queue in every pass of its loop, whether or not the line is logged.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        props.put(StreamsConfig.STATE_DIR_CONFIG, kafka.stateDir().resolve(applicationId).toString());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.OnDeserialization.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.OnProcessing.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, JobTopics.DEAD_LETTERS);
        // Right after a commit, the next transaction's first write can be refused (CONCURRENT_TRANSACTIONS) until the
        // markers of the previous one are written: retry within milliseconds, not the default 100 ms and up.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 5);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), 50);
        if (kafka.sessionTimeoutMs() > 0) {
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), kafka.sessionTimeoutMs());
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), Math.max(500, kafka.sessionTimeoutMs() / 3));
        }
        if (kafka.instanceId() != null) {
            // Static membership: Streams appends the thread index to this id.
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), kafka.instanceId() + "-" + applicationId);
        }
        return props;
    }
}
