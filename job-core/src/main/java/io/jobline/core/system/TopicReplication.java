package io.jobline.core.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How many copies the service's topics keep. Unless configured, one per broker up to three: a single broker (the
 * embedded one) keeps one, a cluster of three or more keeps three, as Kafka's own guidance for durable topics.
 * A write is acknowledged only once min(2, replication factor) replicas have it (min.insync.replicas with acks=all),
 * so losing one broker loses no acknowledged command or event.
 */
public record TopicReplication(short factor, int minInsyncReplicas) {

    /** {@code configured} 0 or less: chosen from the cluster's size. */
    public static TopicReplication choose(short configured, int brokers) {
        short factor = configured > 0 ? configured : (short) Math.max(1, Math.min(3, brokers));
        return new TopicReplication(factor, Math.min(2, factor));
    }

    /**
     * What to warn about in topics that already exist: fewer replicas than this factor, or a lower
     * min.insync.replicas. {@code replicas}: each topic's smallest replica count; {@code minInsync}: each topic's
     * min.insync.replicas (absent: unknown).
     */
    public List<String> warnings(Map<String, Integer> replicas, Map<String, Integer> minInsync) {
        List<String> warnings = new ArrayList<>();
        replicas.forEach((topic, count) -> {
            if (count < factor) {
                warnings.add("Topic " + topic + " has " + count + " replica(s) per partition, fewer than " + factor
                        + ": losing " + (count == 1 ? "its broker" : count + " brokers") + " loses acknowledged records");
            }
        });
        minInsync.forEach((topic, count) -> {
            if (count < minInsyncReplicas) {
                warnings.add("Topic " + topic + " has min.insync.replicas=" + count + ", lower than " + minInsyncReplicas
                        + ": a write is acknowledged before a second replica has it");
            }
        });
        return warnings;
    }
}
