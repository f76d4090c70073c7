package io.jobline.processor.decider;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.kafka.common.utils.Utils;

/**
 * Where the jobs of a type with a cluster-wide concurrency limit live: all on the partition of job-commands that
 * the type's name hashes to, so that one decider task sees every one of them and counts the running ones (it is
 * the single writer of that partition). A job of such a type gets an id that hashes to that partition: derived
 * from the id it would have had, the same way every time, so an Idempotency-Key still names one job.
 */
public final class LimitedTypes {

    private LimitedTypes() {
    }

    /** The partition Kafka's default partitioner gives this key. */
    public static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** {@code id} itself when it already hashes to the type's partition, else the first of its derivations that does. */
    public static String placedId(String id, String type, int partitions) {
        int target = partitionOf(type, partitions);
        String candidate = id;
        for (int n = 1; partitionOf(candidate, partitions) != target; n++) {
            candidate = UUID.nameUUIDFromBytes((id + "#" + n).getBytes(StandardCharsets.UTF_8)).toString();
        }
        return candidate;
    }
}
