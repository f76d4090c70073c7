package io.jobline.api.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

import io.jobline.api.problem.ApiException;
import io.jobline.core.secrets.SecretInputs;
import io.jobline.core.support.StateSerde;
import io.jobline.projections.JobsTopology;
import io.jobline.schemas.topic.JobTopics;

/**
 * The other instances of the service, as Kafka Streams' metadata of the projections names them (each instance
 * advertises its URL as {@code application.server}): which one holds a job's partition, and asking it. Instances
 * prove they belong to the cluster with a token derived from the shared sealing key (JOBLINE_SECRETS_KEYS).
 */
public final class Peers {

    public static final String TOKEN_HEADER = "X-Jobline-Peer-Token";
    static final String PATH = "/internal/projections";
    static final String SMILE = "application/x-jackson-smile";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final KafkaStreams streams;
    /** job-events' partitions: what the instances' projections hold between them. */
    private final int partitions;
    private final HostInfo self;
    /** The scheme of the instances' URLs: the one this instance advertises (a deployment uses one). */
    private final String scheme;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final StateSerde<PeerMessages.Query> queries = new StateSerde<>(PeerMessages.Query.class);
    private final StateSerde<PeerMessages.Answer> answers = new StateSerde<>(PeerMessages.Answer.class);

    /**
     * {@code partitions}: job-events' partition count; {@code self}: this instance as the others reach it, null when
     * it is not reachable (then every read is local); {@code scheme}: of the instances' URLs.
     */
    public Peers(KafkaStreams streams, int partitions, HostInfo self, String scheme, SecretInputs secrets) {
        this.streams = streams;
        this.partitions = partitions;
        this.self = self;
        this.scheme = scheme == null ? "http" : scheme;
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(secrets.derive("jobline-cluster-peers"));
    }

    /**
     * This instance's {@code host:port} for {@code application.server}, from the configured URL; empty when none is
     * configured: the instance runs alone, and reads only its own stores.
     */
    public static Optional<HostInfo> advertised(ClusterProperties properties) {
        if (properties == null || properties.advertisedUrl() == null || properties.advertisedUrl().isBlank()) {
            return Optional.empty();
        }
        URI uri = URI.create(properties.advertisedUrl().trim());
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("jobline.cluster.advertised-url must be a URL like http://api-1:8080; got "
                    + properties.advertisedUrl());
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return Optional.of(new HostInfo(uri.getHost(), port));
    }

    public boolean isClustered() {
        return self != null;
    }

    /**
     * The other instance whose projection holds {@code jobId}'s partition; empty when it is this one (or this
     * instance is alone). While partitions are being assigned, 503 (never a wrong 404).
     */
    Optional<HostInfo> ownerOf(String jobId) {
        if (self == null) {
            return Optional.empty();
        }
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(JobsTopology.JOBS_STORE, jobId, Serdes.String().serializer());
        } catch (RuntimeException e) {
            throw ApiException.catchingUp("job " + jobId);
        }
        if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE || metadata.activeHost() == null
                || metadata.activeHost().equals(HostInfo.unavailable())) {
            throw ApiException.catchingUp("job " + jobId);
        }
        return metadata.activeHost().equals(self) ? Optional.empty() : Optional.of(metadata.activeHost());
    }

    /**
     * Whether this instance's store of {@code jobId}'s partition is up to date: its task is active and running, not
     * restoring (a partition that just moved here, from a standby copy or from scratch, is read while it restores,
     * and a job missing from it then may well exist).
     */
    boolean servesUpToDate(String jobId) {
        try {
            KeyQueryMetadata metadata = streams.queryMetadataForKey(JobsTopology.JOBS_STORE, jobId, Serdes.String().serializer());
            if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE) {
                return false;
            }
            runningStore(metadata.partition()).get(jobId);
            return true;
        } catch (RuntimeException e) {
            return false; // restoring, moving, or the instance is stopping
        }
    }

    /**
     * Whether every partition this instance's projection holds is up to date (none restoring): until then a listing
     * or a sum of this instance's part would be short.
     */
    boolean localPartitionsUpToDate() {
        try {
            for (var thread : streams.metadataForLocalThreads()) {
                for (var task : thread.activeTasks()) {
                    runningStore(task.taskId().partition()).approximateNumEntries();
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The jobs store of {@code partition} as its running active task has it (no stale stores). {@code store()} finds
     * the stores only when one is read: a read of it throws while the task is restoring or elsewhere.
     */
    private org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, Object> runningStore(int partition) {
        return streams.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(JobsTopology.JOBS_STORE,
                org.apache.kafka.streams.state.QueryableStoreTypes.<String, Object>keyValueStore()).withPartition(partition));
    }

    /** Every other instance that holds partitions of the projection. */
    public List<HostInfo> others() {
        if (self == null) {
            return List.of();
        }
        return streams.metadataForAllStreamsClients().stream().map(StreamsMetadata::hostInfo)
                .filter(host -> !host.equals(self) && !host.equals(HostInfo.unavailable()))
                .distinct().toList();
    }

    /**
     * Whether every partition of the projection has an instance holding it now. During a rebalance some have none
     * (or are being restored), and a listing or a sum of every instance's part would come back short.
     */
    boolean everyPartitionHeld() {
        java.util.Set<Integer> held = new java.util.HashSet<>();
        for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
            instance.topicPartitions().stream().filter(p -> p.topic().equals(JobTopics.EVENTS))
                    .forEach(p -> held.add(p.partition()));
        }
        return held.size() >= partitions;
    }

    PeerMessages.Answer ask(HostInfo peer, PeerMessages.Query query) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(scheme + "://" + peer.host() + ":" + peer.port() + PATH))
                .timeout(TIMEOUT).header(TOKEN_HEADER, token).header("Content-Type", SMILE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(queries.serializer().serialize(null, query))).build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw ApiException.unavailable("The instance at " + peer.host() + ":" + peer.port() + " that holds this "
                        + "part of the jobs answered " + response.statusCode()
                        + (response.statusCode() == 401 ? " (do the instances share JOBLINE_SECRETS_KEYS?)" : ""));
            }
            return answers.deserializer().deserialize(null, response.body());
        } catch (java.io.IOException e) {
            throw ApiException.unavailable("The instance at " + peer.host() + ":" + peer.port() + " that holds this part "
                    + "of the jobs cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while asking another instance");
        }
    }

    /** This instance as the others reach it; empty when it is not clustered. */
    public Optional<HostInfo> self() {
        return Optional.ofNullable(self);
    }

    /**
     * {@code GET path} at another instance, as a peer: the body, or null when it answered 204 (nothing there).
     *
     * @throws ApiException 503 when it cannot be asked
     */
    public byte[] get(HostInfo peer, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(scheme + "://" + peer.host() + ":" + peer.port() + path))
                .timeout(TIMEOUT).header(TOKEN_HEADER, token).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 204) {
                return null;
            }
            if (response.statusCode() != 200) {
                throw ApiException.unavailable("The instance at " + peer.host() + ":" + peer.port() + " answered "
                        + response.statusCode() + " for " + path);
            }
            return response.body();
        } catch (java.io.IOException e) {
            throw ApiException.unavailable("The instance at " + peer.host() + ":" + peer.port() + " cannot be reached: "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while asking another instance");
        }
    }

    public boolean isPeer(String presented) {
        return presented != null && java.security.MessageDigest.isEqual(presented.getBytes(), token.getBytes());
    }

    byte[] write(PeerMessages.Answer answer) {
        return answers.serializer().serialize(null, answer);
    }

    PeerMessages.Query read(byte[] body) {
        return queries.deserializer().deserialize(null, body);
    }
}
