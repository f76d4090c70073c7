package io.jobline.core.system;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.schemas.topic.JobTopics;

/**
 * Creates the service's topics when they are missing, and says at start when existing ones are less durable than
 * the service would make them. job-events is the source of truth and is kept forever (retention.ms=-1);
 * job-commands are requests, kept 7 days. Both have the same partition count, so a job's commands and events share a
 * partition number, and both acknowledge a write only once min(2, replication factor) replicas have it. Dead
 * letters are kept 30 days. job-offers has one partition, so every member of a type's share group reads all of it,
 * and keeps a day: an offer not taken by then was offered again long before (the decider offers a job again after 5 minutes pending).
 * job-types (declared job types, a few records per change) has one partition, so one order, and is kept forever.
 * api-keys (hashes of API keys) has one partition and is compacted: a key's last record (its creation, or its
 * revocation) is kept forever, older ones go. webhook-subscriptions (owners' webhooks) is the same. webhook-attempts (one
 * record per try to deliver a webhook) has job-events' partition count, as it is keyed by job id and read beside
 * job-events, and keeps 7 days (longer than a delivery is tried). workers (the worker registry's announcements) has
 * one partition and is compacted, with hour-long segments: a worker is announced every few seconds, and compaction
 * only cleans closed segments, so a new instance reads about an hour of announcements at most. The replication
 * factor, unless configured, follows the cluster: see
 * {@link TopicReplication}.
 */
public final class EnsureTopicsTask {

    private static final Logger log = LoggerFactory.getLogger(EnsureTopicsTask.class);
    static final long COMMAND_RETENTION_MS = TimeUnit.DAYS.toMillis(7);
    static final long DEAD_LETTER_RETENTION_MS = TimeUnit.DAYS.toMillis(30);
    static final long OFFER_RETENTION_MS = TimeUnit.DAYS.toMillis(1);
    static final long WEBHOOK_ATTEMPT_RETENTION_MS = TimeUnit.DAYS.toMillis(7);
    static final long WORKER_SEGMENT_MS = TimeUnit.HOURS.toMillis(1);
    private static final List<String> TOPICS = List.of(JobTopics.COMMANDS, JobTopics.EVENTS, JobTopics.OFFERS,
            JobTopics.JOB_TYPES, JobTopics.API_KEYS, JobTopics.WEBHOOK_SUBSCRIPTIONS, JobTopics.WEBHOOK_ATTEMPTS,
            JobTopics.WORKERS, JobTopics.DEAD_LETTERS);

    private EnsureTopicsTask() {
    }

    /** @return the settings with the replication factor the topics were made with (chosen when not configured) */
    public static KafkaSettings run(KafkaSettings settings) {
        try (Admin admin = Admin.create(settings.clientConfig())) {
            int brokers = admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).size();
            TopicReplication replication = TopicReplication.choose(settings.replicationFactor(), brokers);
            short factor = replication.factor();
            String minInsync = Integer.toString(replication.minInsyncReplicas());
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            if (!existing.contains(JobTopics.COMMANDS)) {
                missing.add(new NewTopic(JobTopics.COMMANDS, settings.partitions(), factor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(COMMAND_RETENTION_MS),
                                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync)));
            }
            if (!existing.contains(JobTopics.EVENTS)) {
                missing.add(new NewTopic(JobTopics.EVENTS, settings.partitions(), factor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1",
                                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync)));
            }
            if (!existing.contains(JobTopics.OFFERS)) {
                missing.add(new NewTopic(JobTopics.OFFERS, 1, factor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(OFFER_RETENTION_MS),
                                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync)));
            }
            if (!existing.contains(JobTopics.JOB_TYPES)) {
                missing.add(new NewTopic(JobTopics.JOB_TYPES, 1, factor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1",
                                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync)));
            }
            if (!existing.contains(JobTopics.API_KEYS)) {
                missing.add(new NewTopic(JobTopics.API_KEYS, 1, factor)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync)));
            }
            if (!existing.contains(JobTopics.WEBHOOK_SUBSCRIPTIONS)) {
                missing.add(new NewTopic(JobTopics.WEBHOOK_SUBSCRIPTIONS, 1, factor)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync)));
            }
            if (!existing.contains(JobTopics.WEBHOOK_ATTEMPTS)) {
                missing.add(new NewTopic(JobTopics.WEBHOOK_ATTEMPTS, settings.partitions(), factor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(WEBHOOK_ATTEMPT_RETENTION_MS),
                                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync)));
            }
            if (!existing.contains(JobTopics.WORKERS)) {
                missing.add(new NewTopic(JobTopics.WORKERS, 1, factor)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(WORKER_SEGMENT_MS),
                                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync)));
            }
            if (!existing.contains(JobTopics.DEAD_LETTERS)) {
                missing.add(new NewTopic(JobTopics.DEAD_LETTERS, 1, factor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(DEAD_LETTER_RETENTION_MS))));
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                    log.info("Created topics {} with replication factor {}", missing.stream().map(NewTopic::name).toList(), factor);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
            warnAboutExisting(admin, replication, TOPICS.stream().filter(existing::contains).toList());
            return settings.withReplicationFactor(factor);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create topics on " + settings.bootstrapServers() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }

    /**
     * Topics made by hand, or by an older version, may keep fewer copies than this cluster allows: say so. Only a
     * warning: a check that cannot be made does not stop the service.
     */
    private static void warnAboutExisting(Admin admin, TopicReplication replication, List<String> topics) throws InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        try {
            Map<String, Integer> replicas = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS).forEach((name, topic) ->
                    replicas.put(name, topic.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0)));
            Map<String, Integer> minInsync = new HashMap<>();
            List<ConfigResource> jobTopics = topics.stream().filter(t -> !t.equals(JobTopics.DEAD_LETTERS))
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            admin.describeConfigs(jobTopics).all().get(60, TimeUnit.SECONDS).forEach((resource, config) -> {
                ConfigEntry entry = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
                if (entry != null && entry.value() != null) {
                    minInsync.put(resource.name(), Integer.parseInt(entry.value()));
                }
            });
            replication.warnings(replicas, minInsync).forEach(warning ->
                    log.warn("{} (alter the topic, or recreate it with JOBLINE_REPLICATION_FACTOR)", warning));
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Could not check the replication of topics {}: {}", topics, e.toString());
        }
    }
}
