package io.jobline.processor.decider;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.kafka.common.utils.Utils;

/**
 * Which partition of job-commands a job lives on when the decider must see it beside others, as the single writer
 * of that partition:
 * <ul>
 * <li>every job of a type with a cluster-wide concurrency limit on the partition the type's name hashes to, so one
 * decider task counts the type's running jobs;</li>
 * <li>a job with a dedup key (of a type without a limit) on the partition its type and key hash to, so one decider
 * task sees every job that could hold the key.</li>
 * </ul>
 * Such a job gets an id that hashes to that partition: derived from the id it would have had, the same way every
 * time, so an Idempotency-Key still names one job. Any other job keeps its id.
 */
public final class Placement {

    private Placement() {
    }

    /** The partition Kafka's default partitioner gives this key. */
    public static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The id a job of {@code type} gets from {@code id}, given its type's concurrency limit and its dedup key (each may be null). */
    public static String placedId(String id, String type, Integer concurrencyLimit, String dedupKey, int partitions) {
        if (concurrencyLimit != null) {
            return placedId(id, type, partitions);
        }
        return dedupKey == null ? id : placedId(id, DeciderProcessor.dedupScope(type, dedupKey), partitions);
    }

    /** {@code id} itself when it already hashes to the partition of {@code key}, else the first of its derivations that does. */
    public static String placedId(String id, String key, int partitions) {
        int target = partitionOf(key, partitions);
        String candidate = id;
        for (int n = 1; partitionOf(candidate, partitions) != target; n++) {
            candidate = UUID.nameUUIDFromBytes((id + "#" + n).getBytes(StandardCharsets.UTF_8)).toString();
        }
        return candidate;
    }
}
