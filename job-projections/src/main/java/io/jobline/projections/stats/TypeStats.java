package io.jobline.projections.stats;

import java.util.Map;
import java.util.TreeMap;

import io.jobline.core.lifecycle.JobStatus;
import io.jobline.projections.view.JobView;

/**
 * Counts of the retained jobs of one type by status, and the total run time of its completed ones.
 *
 * @param counts                 retained jobs by status (wire name)
 * @param completedDurationMs    sum of started-to-completed time over the completed jobs counted
 */
public record TypeStats(String type, Map<String, Long> counts, long completedDurationMs) {

    public static TypeStats empty(String type) {
        return new TypeStats(type, Map.of(), 0);
    }

    /** These stats after one job moved from {@code before} to {@code after} (either null: created or deleted). */
    public TypeStats apply(JobView before, JobView after) {
        Map<String, Long> next = new TreeMap<>(counts);
        long duration = completedDurationMs;
        if (before != null) {
            next.merge(before.status().wireName(), -1L, Long::sum);
            duration -= completedDuration(before);
        }
        if (after != null) {
            next.merge(after.status().wireName(), 1L, Long::sum);
            duration += completedDuration(after);
        }
        next.values().removeIf(count -> count == 0);
        return new TypeStats(type, Map.copyOf(next), duration);
    }

    /** The stats of two partitions of the same type, added up. */
    public TypeStats plus(TypeStats other) {
        Map<String, Long> sum = new TreeMap<>(counts);
        other.counts.forEach((status, n) -> sum.merge(status, n, Long::sum));
        return new TypeStats(type, Map.copyOf(sum), completedDurationMs + other.completedDurationMs);
    }

    public long count(JobStatus status) {
        return counts.getOrDefault(status.wireName(), 0L);
    }

    /** Retained jobs of this type, whatever their status. */
    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Completed over completed plus failed; null before any job of the type finished either way. */
    public Double successRate() {
        long done = count(JobStatus.COMPLETED);
        long finished = done + count(JobStatus.FAILED);
        return finished == 0 ? null : (double) done / finished;
    }

    public Double averageDurationSeconds() {
        long done = count(JobStatus.COMPLETED);
        return done == 0 ? null : completedDurationMs / 1000.0 / done;
    }

    private static long completedDuration(JobView job) {
        return job.status() == JobStatus.COMPLETED && job.startedAt() != null && job.completedAt() != null
                ? job.completedAt().toEpochMilli() - job.startedAt().toEpochMilli() : 0;
    }
}
