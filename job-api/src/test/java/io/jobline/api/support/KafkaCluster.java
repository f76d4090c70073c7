package io.jobline.api.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.common.Uuid;

import io.jobline.api.system.EmbeddedKafkaBroker;
import io.jobline.api.system.EmbeddedKafkaBroker.Node;

/**
 * A KRaft cluster of {@code size} nodes in this JVM, each a broker and a controller on its own ports and data folder:
 * internal topics replicated min(3, size) times, writes acknowledged by min(2, that). A node stopped and started
 * again keeps its ports and data, so clients' bootstrap lists stay right.
 */
public final class KafkaCluster implements AutoCloseable {

    private final Path dir;
    private final String clusterId = Uuid.randomUuid().toString();
    private final List<Node> nodes;
    private final EmbeddedKafkaBroker[] running;

    private KafkaCluster(Path dir, int size) {
        this.dir = dir;
        this.nodes = IntStream.rangeClosed(1, size).mapToObj(Node::onFreePorts).toList();
        this.running = new EmbeddedKafkaBroker[size];
    }

    /** Starts every node at once (none serves before a majority of the quorum is up) and waits until all serve. */
    public static KafkaCluster start(Path dir, int size) throws Exception {
        quietBrokers();
        // The ports are picked free before the nodes bind them: another socket may take one meanwhile. Then the
        // cluster starts again, on other ports and a fresh folder.
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(dir.resolve("attempt-" + attempt), size);
            } catch (Exception e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static KafkaCluster startOnce(Path dir, int size) throws Exception {
        KafkaCluster cluster = new KafkaCluster(dir, size);
        ExecutorService starting = Executors.newFixedThreadPool(size);
        try {
            List<Future<EmbeddedKafkaBroker>> started = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                int index = i;
                started.add(starting.submit(() -> cluster.startNode(index)));
            }
            for (int i = 0; i < size; i++) {
                cluster.running[i] = started.get(i).get(2, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            cluster.close();
            throw e;
        } finally {
            starting.shutdownNow();
        }
        return cluster;
    }

    /** The brokers' INFO logging (without Spring Boot's configuration, which quiets it in the service) floods the test's output. */
    private static void quietBrokers() {
        for (String name : List.of("kafka", "org.apache.kafka", "state.change.logger")) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.WARN);
            }
        }
    }

    public String bootstrapServers() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.clientPort()).collect(Collectors.joining(","));
    }

    /** Stops node {@code index} (0-based) in an orderly way. */
    public void stop(int index) {
        running[index].close();
        running[index] = null;
    }

    /** Starts node {@code index} again on its ports and data; waits until it serves. */
    public void start(int index) {
        running[index] = startNode(index);
    }

    private EmbeddedKafkaBroker startNode(int index) {
        return EmbeddedKafkaBroker.startNode(dir.resolve("broker-" + (index + 1)), nodes.get(index), nodes, clusterId);
    }

    /**
     * Stops every node at once: one by one, the last would wait minutes for a controller quorum that is gone before
     * it gives up its controlled shutdown.
     */
    @Override
    public void close() {
        List<Thread> stopping = new ArrayList<>();
        for (int i = 0; i < running.length; i++) {
            EmbeddedKafkaBroker broker = running[i];
            running[i] = null;
            if (broker != null) {
                Thread thread = new Thread(() -> {
                    try {
                        broker.close();
                    } catch (RuntimeException e) {
                        // the others still stop
                    }
                }, "stop-broker-" + (i + 1));
                thread.start();
                stopping.add(thread);
            }
        }
        for (Thread thread : stopping) {
            try {
                thread.join(TimeUnit.MINUTES.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
