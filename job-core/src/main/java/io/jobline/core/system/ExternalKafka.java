package io.jobline.core.system;

import java.util.Map;

/**
 * The cluster a standalone processor or projections process joins ({@code jobline.kafka.*} in its yml), with the
 * service's environment variables and defaults. There is no embedded broker on its own: the cluster is required.
 *
 * @param schemaRegistryUrl an external Schema Registry; blank: the schemas built into this jar
 * @param clientConfig      a properties file of settings for every Kafka client and the registry client (security);
 *                          blank: none ({@link ClientProperties})
 * @param client            the same settings given one by one; they override the file's
 * @see KafkaSettings for the meaning of the others
 */
public record ExternalKafka(String bootstrapServers, int partitions, short replicationFactor,
                            long deciderCommitIntervalMs, long projectionCommitIntervalMs, int sessionTimeoutMs,
                            String processingGuarantee, String schemaRegistryUrl, String clientConfig,
                            Map<String, String> client) {

    public ExternalKafka {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalStateException(
                    "Set KAFKA_BOOTSTRAP_SERVERS: a standalone process connects to an existing cluster");
        }
    }

    /** With Streams state under the data folder and the folder's instance id for static group membership. */
    public KafkaSettings settings(DataDirectory data) {
        return new KafkaSettings(bootstrapServers, partitions, replicationFactor, deciderCommitIntervalMs,
                projectionCommitIntervalMs, data.root().resolve("streams"), schemaRegistryUrl, data.instanceId(),
                sessionTimeoutMs, processingGuarantee, ClientProperties.load(clientConfig, client));
    }
}
