package io.jobline.api.system;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one), started in this JVM from the
 * org.apache.kafka server artifacts. Storage under {@code dataDir} is formatted once and reused on every start, so
 * topics and their data survive restarts. Kafka's exit and halt procedures are replaced so that a broker fault
 * cannot terminate the JVM.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts the broker and waits until it serves clients.
     *
     * @param port the client port; 0 picks a free one
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, props -> { });
    }

    /**
     * Starts the broker with its configuration changed by {@code adjust} first (another listener, say): for tests
     * that need a broker set up differently. Clients of the PLAINTEXT listener on {@code port} tell when it is ready.
     */
    static EmbeddedKafkaBroker start(Path dataDir, int port, java.util.function.Consumer<Map<String, Object>> adjust) {
        Node node = new Node(1, port == 0 ? freePort() : port, freePort());
        return start(dataDir, node, List.of(node), Uuid.randomUuid().toString(), adjust);
    }

    /**
     * One node of a cluster whose every node is both a broker and a controller (a static quorum of {@code voters},
     * this node among them), for tests and trials of a real cluster on one machine: internal topics get a
     * replication factor of min(3, nodes) and acknowledge writes once min(2, that) replicas have them. Start the
     * nodes at the same time: none serves clients before a majority of the quorum is up.
     *
     * @param clusterId the same on every node (a {@link Uuid} string); used when this node's storage is formatted
     */
    public static EmbeddedKafkaBroker startNode(Path dataDir, Node node, List<Node> voters, String clusterId) {
        int factor = Math.min(3, voters.size());
        String minInsync = Integer.toString(Math.min(2, factor));
        return start(dataDir, node, voters, clusterId, props -> {
            props.put("offsets.topic.replication.factor", Integer.toString(factor));
            props.put("transaction.state.log.replication.factor", Integer.toString(factor));
            props.put("transaction.state.log.min.isr", minInsync);
            props.put("share.coordinator.state.topic.replication.factor", Integer.toString(factor));
            props.put("share.coordinator.state.topic.min.isr", minInsync);
            props.put("default.replication.factor", Integer.toString(factor));
            props.put("min.insync.replicas", minInsync);
        });
    }

    /** A node of a KRaft quorum on 127.0.0.1: its id, its client (PLAINTEXT) port and its controller port. */
    public record Node(int id, int clientPort, int controllerPort) {

        public static Node onFreePorts(int id) {
            return new Node(id, freePort(), freePort());
        }

        String voter() {
            return id + "@127.0.0.1:" + controllerPort;
        }
    }

    private static EmbeddedKafkaBroker start(Path dataDir, Node node, List<Node> voters, String clusterId,
                                             java.util.function.Consumer<Map<String, Object>> adjust) {
        guardExitProcedures();
        Path logDir = dataDir.toAbsolutePath().resolve("kafka");
        Map<String, Object> props = brokerConfig(logDir, node, voters);
        adjust.accept(props);
        KafkaConfig config = new KafkaConfig(props, false);
        formatOnce(logDir, config, node.id(), clusterId);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        String bootstrap = "127.0.0.1:" + node.clientPort();
        awaitReady(bootstrap);
        log.info("Embedded Kafka broker (KRaft) serving on {} with data in {}", bootstrap, logDir);
        return new EmbeddedKafkaBroker(server, bootstrap);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        log.info("Embedded Kafka broker stopped");
    }

    private static Map<String, Object> brokerConfig(Path logDir, Node node, List<Node> voters) {
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(node.id()));
        props.put("controller.quorum.voters", String.join(",", voters.stream().map(Node::voter).toList()));
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + node.clientPort() + ",CONTROLLER://127.0.0.1:" + node.controllerPort());
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + node.clientPort());
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "6");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        // Only small compacted topics here (offsets, changelogs): the 128 MB default dedupe buffer is wasted heap.
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        // Transactions (v2): a transaction's first write to a partition is refused while the producer's previous
        // transaction is still writing its markers, and the broker retries it every 20 ms by default (KAFKA-18654).
        // The decider commits every 30 ms, so its next transaction can start inside that window: retry every 2 ms.
        props.put("add.partitions.to.txn.retry.backoff.ms", "2");
        return props;
    }

    private static void formatOnce(Path logDir, KafkaConfig config, int nodeId, String clusterId) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(java.io.OutputStream.nullOutputStream()))
                    .setClusterId(clusterId)
                    .setNodeId(nodeId)
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setUnstableFeatureVersionsEnabled(false)
                    .run();
            log.info("Formatted Kafka storage in {}", logDir);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static void awaitReady(String bootstrap) {
        Map<String, Object> config = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Admin admin = Admin.create(config)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Embedded Kafka broker did not become ready: " + e, e);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Embedded Kafka broker did not become ready");
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the broker", e);
        }
    }

    /** A broker fault calls Exit.exit/halt: log it and throw instead of terminating the whole service. */
    private static void guardExitProcedures() {
        Exit.setExitProcedure((code, message) -> {
            log.error("Kafka broker requested exit({}): {}", code, message);
            throw new IllegalStateException("Kafka broker requested exit(" + code + "): " + message);
        });
        Exit.setHaltProcedure((code, message) -> {
            log.error("Kafka broker requested halt({}): {}", code, message);
            throw new IllegalStateException("Kafka broker requested halt(" + code + "): " + message);
        });
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
