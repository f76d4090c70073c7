package io.jobline.processor.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.schemas.topic.JobTopics;

/**
 * Creates the service's topics when they are missing. job-events is the source of truth and is kept forever
 * (retention.ms=-1); job-commands are requests, kept 7 days. Both have the same partition count, so a job's
 * commands and events share a partition number. Dead letters are kept 30 days.
 */
public final class EnsureTopicsTask {

    private static final Logger log = LoggerFactory.getLogger(EnsureTopicsTask.class);
    static final long COMMAND_RETENTION_MS = TimeUnit.DAYS.toMillis(7);
    static final long DEAD_LETTER_RETENTION_MS = TimeUnit.DAYS.toMillis(30);

    private EnsureTopicsTask() {
    }

    public static void run(KafkaSettings settings) {
        try (Admin admin = Admin.create(settings.clientConfig())) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            if (!existing.contains(JobTopics.COMMANDS)) {
                missing.add(new NewTopic(JobTopics.COMMANDS, settings.partitions(), settings.replicationFactor())
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(COMMAND_RETENTION_MS))));
            }
            if (!existing.contains(JobTopics.EVENTS)) {
                missing.add(new NewTopic(JobTopics.EVENTS, settings.partitions(), settings.replicationFactor())
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1",
                                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.min(2, settings.replicationFactor())))));
            }
            if (!existing.contains(JobTopics.DEAD_LETTERS)) {
                missing.add(new NewTopic(JobTopics.DEAD_LETTERS, 1, settings.replicationFactor())
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(DEAD_LETTER_RETENTION_MS))));
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                    log.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create topics on " + settings.bootstrapServers() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }
}
