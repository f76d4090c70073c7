package io.jobline.core.command;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.jobline.core.tracing.JobTracing;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.Tick;
import io.jobline.schemas.topic.Topic;

/**
 * An idempotent producer (acks=all) for job-commands; keeps each job's commands in order. A {@link Tick} goes to
 * the partition it names.
 */
public final class KafkaCommandSender implements CommandSender, AutoCloseable {

    private final Topic<String, JobCommand> topic;
    private final KafkaProducer<String, JobCommand> producer;

    public KafkaCommandSender(Topic<String, JobCommand> topic, Map<String, Object> clientConfig) {
        this.topic = topic;
        Map<String, Object> config = new java.util.HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        this.producer = new KafkaProducer<>(config, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    @Override
    public CompletableFuture<Void> send(JobCommand command) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            // A tick is about no job: it goes to the partition it names, behind what this producer sent there before.
            Integer partition = command.getPayload() instanceof Tick tick ? tick.getPartition() : null;
            ProducerRecord<String, JobCommand> record = new ProducerRecord<>(topic.name(), partition, command.getJobId(), command);
            // The trace of whatever sends it (a request, a stage) goes along for the decider to continue.
            JobTracing.injectCurrent(record.headers());
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    acked.complete(null);
                } else {
                    acked.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    /** The Kafka producer, for its metrics (Micrometer's KafkaClientMetrics); not for sending. */
    public org.apache.kafka.clients.producer.Producer<?, ?> client() {
        return producer;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
