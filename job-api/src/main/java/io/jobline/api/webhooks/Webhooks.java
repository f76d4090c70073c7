package io.jobline.api.webhooks;

import java.time.Duration;
import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobline.api.cluster.Peers;
import io.jobline.api.problem.ApiException;
import io.jobline.core.support.StateSerde;
import io.jobline.core.system.KafkaSettings;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import io.jobline.core.system.StreamsConfigs;
import io.jobline.schemas.topic.JobTopics;

/**
 * The running webhook deliverer: {@link DeliveryTopology} on Kafka Streams, started once the subscriptions are read
 * (a job submitted meanwhile would otherwise be taken for one nobody subscribed to), and the sender it hands tries to.
 */
public final class Webhooks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    static final Duration CATALOG_WAIT = Duration.ofSeconds(30);

    static final String PEER_PATH = "/internal/webhooks/";

    private final KafkaStreams streams;
    private final WebhookSender sender;
    private final Peers peers;
    private final StateSerde<WebhookJob> serde = new StateSerde<>(WebhookJob.class);

    private Webhooks(KafkaStreams streams, WebhookSender sender, Peers peers) {
        this.streams = streams;
        this.sender = sender;
        this.peers = peers;
    }

    static Webhooks start(KafkaSettings kafka, JobTopics topics, WebhookSubscriptions subscriptions,
                          Destinations destinations, WebhookSigning signing, WebhookProperties properties, Peers peers) {
        try {
            if (!subscriptions.awaitCaughtUp(CATALOG_WAIT)) {
                log.warn("The webhook subscriptions were not read within {} s; deliveries start anyway", CATALOG_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the webhook subscriptions", e);
        }
        WebhookSender sender = new WebhookSender(kafka, topics, destinations, signing, properties.timeout());
        DeliveryTopology.Schedule schedule = new DeliveryTopology.Schedule(properties.retryDelays(), properties.lifetime(),
                properties.timeout().multipliedBy(2).plusSeconds(60));
        java.util.Properties config = StreamsConfigs.forApplication(kafka, DeliveryTopology.APPLICATION_ID,
                kafka.projectionCommitIntervalMs());
        // A poison record of job-events is the projection's to dead-letter: not a second copy from here.
        config.put(org.apache.kafka.streams.StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                io.jobline.core.system.DeadLetters.OnDeserializationBesideProjection.class);
        // In a cluster, any instance lists a job's deliveries: it asks the instance holding the job's partition.
        peers.self().ifPresent(self -> config.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_SERVER_CONFIG,
                self.host() + ":" + self.port()));
        KafkaStreams streams = new KafkaStreams(DeliveryTopology.build(topics, subscriptions, sender, schedule), config);
        StreamsConfigs.replaceFailedThreads(streams, DeliveryTopology.APPLICATION_ID);
        streams.start();
        return new Webhooks(streams, sender, peers);
    }

    /**
     * The job's deliveries as this instance holds them, oldest first; empty when it has none (or its partition is
     * held by another instance).
     */
    Optional<WebhookJob> deliveries(String jobId) {
        if (peers.self().isPresent()) {
            KeyQueryMetadata holder = streams.queryMetadataForKey(DeliveryTopology.JOBS_STORE, jobId,
                    org.apache.kafka.common.serialization.Serdes.String().serializer());
            if (holder == null || holder == KeyQueryMetadata.NOT_AVAILABLE || holder.activeHost() == null
                    || holder.activeHost().equals(HostInfo.unavailable())) {
                throw ApiException.unavailable("The webhook deliveries of job " + jobId + " are moving between "
                        + "instances; try again shortly");
            }
            if (!holder.activeHost().equals(peers.self().get())) {
                byte[] body = peers.get(holder.activeHost(), PEER_PATH + jobId);
                return Optional.ofNullable(body).map(bytes -> serde.deserializer().deserialize(null, bytes));
            }
        }
        return local(jobId);
    }

    /** What this instance's store holds of the job's deliveries. */
    Optional<WebhookJob> local(String jobId) {
        try {
            ReadOnlyKeyValueStore<String, WebhookJob> store = streams.store(StoreQueryParameters.fromNameAndType(
                    DeliveryTopology.JOBS_STORE, QueryableStoreTypes.<String, WebhookJob>keyValueStore()).enableStaleStores());
            return Optional.ofNullable(store.get(jobId));
        } catch (InvalidStateStoreException e) {
            return Optional.empty();
        }
    }

    byte[] write(WebhookJob job) {
        return serde.serializer().serialize(null, job);
    }

    boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public void close() throws InterruptedException {
        streams.close(Duration.ofSeconds(30));
        sender.close();
    }
}
