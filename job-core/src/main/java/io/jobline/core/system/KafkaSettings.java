package io.jobline.core.system;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How this process reaches Kafka and lays out topics: shared by the processor, the projections and the API.
 *
 * @param replicationFactor of the topics the service creates; 0 or less: one per broker up to 3 (see
 *                          {@link TopicReplication})
 * @param deciderCommitIntervalMs    the decider's Streams commit interval: under exactly-once, how often the events
 *                                   it decided become visible to consumers (and so to live clients)
 * @param projectionCommitIntervalMs the projections' Streams commit interval: how often their stores' changes are
 *                                   committed (queries and live push see a folded event before that)
 * @param instanceId        stable id of this instance, for static group membership; null for dynamic membership
 * @param sessionTimeoutMs  how long a silent instance keeps its partitions (and so its jobs) before they move to
 *                          another; 0 keeps Kafka's default (45 s)
 * @param processingGuarantee Streams' processing.guarantee: exactly_once_v2 (the default), or at_least_once to
 *                          measure what exactly-once costs
 * @param client            settings every Kafka client and the Schema Registry client get as they are (security)
 */
public record KafkaSettings(
        String bootstrapServers,
        int partitions,
        short replicationFactor,
        long deciderCommitIntervalMs,
        long projectionCommitIntervalMs,
        Path stateDir,
        String schemaRegistryUrl,
        String instanceId,
        int sessionTimeoutMs,
        String processingGuarantee,
        ClientProperties client) {

    public KafkaSettings {
        if (client == null) {
            client = ClientProperties.NONE;
        }
        if (processingGuarantee == null || processingGuarantee.isBlank()) {
            processingGuarantee = "exactly_once_v2";
        }
        if (!processingGuarantee.equals("exactly_once_v2") && !processingGuarantee.equals("at_least_once")) {
            throw new IllegalArgumentException("processing guarantee must be exactly_once_v2 or at_least_once; got "
                    + processingGuarantee);
        }
    }

    /** Settings for a cluster that needs no client settings of its own (the embedded broker, tests). */
    public KafkaSettings(String bootstrapServers, int partitions, short replicationFactor, long deciderCommitIntervalMs,
                         long projectionCommitIntervalMs, Path stateDir, String schemaRegistryUrl, String instanceId,
                         int sessionTimeoutMs, String processingGuarantee) {
        this(bootstrapServers, partitions, replicationFactor, deciderCommitIntervalMs, projectionCommitIntervalMs,
                stateDir, schemaRegistryUrl, instanceId, sessionTimeoutMs, processingGuarantee, ClientProperties.NONE);
    }

    /** The same settings with the replication factor the topics were made with. */
    public KafkaSettings withReplicationFactor(short factor) {
        return new KafkaSettings(bootstrapServers, partitions, factor, deciderCommitIntervalMs, projectionCommitIntervalMs,
                stateDir, schemaRegistryUrl, instanceId, sessionTimeoutMs, processingGuarantee, client);
    }

    /** What every Kafka client of this process is configured with: the cluster and the client settings. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>(client.kafka());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }
}
