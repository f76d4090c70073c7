package io.jobline.projections.stats;

import java.util.Map;
import java.util.TreeMap;

import io.jobline.core.lifecycle.JobStatus;
import io.jobline.projections.view.JobView;
import io.jobline.worker.StoredFile;

/**
 * Counts of the retained jobs of one type by status, and the total run time of its completed ones.
 *
 * @param counts                 retained jobs by status (wire name)
 * @param completedDurationMs    sum of started-to-completed time over the completed jobs counted
 * @param uploadBytes            bytes of the files uploaded with the retained jobs counted (their inputs)
 */
public record TypeStats(String type, Map<String, Long> counts, long completedDurationMs, long uploadBytes) {

    public static TypeStats empty(String type) {
        return new TypeStats(type, Map.of(), 0, 0);
    }

    /** These stats after one job moved from {@code before} to {@code after} (either null: created or deleted). */
    public TypeStats apply(JobView before, JobView after) {
        Map<String, Long> next = new TreeMap<>(counts);
        long duration = completedDurationMs;
        long bytes = uploadBytes;
        if (before != null) {
            next.merge(before.status().wireName(), -1L, Long::sum);
            duration -= completedDuration(before);
            bytes -= uploadBytes(before);
        }
        if (after != null) {
            next.merge(after.status().wireName(), 1L, Long::sum);
            duration += completedDuration(after);
            bytes += uploadBytes(after);
        }
        next.values().removeIf(count -> count == 0);
        return new TypeStats(type, Map.copyOf(next), duration, bytes);
    }

    /** The stats of two partitions of the same type, added up. */
    public TypeStats plus(TypeStats other) {
        Map<String, Long> sum = new TreeMap<>(counts);
        other.counts.forEach((status, n) -> sum.merge(status, n, Long::sum));
        return new TypeStats(type, Map.copyOf(sum), completedDurationMs + other.completedDurationMs,
                uploadBytes + other.uploadBytes);
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

    private static long uploadBytes(JobView job) {
        return job.files() == null ? 0 : job.files().stream().mapToLong(StoredFile::size).sum();
    }

    private static long completedDuration(JobView job) {
        return job.status() == JobStatus.COMPLETED && job.startedAt() != null && job.completedAt() != null
                ? job.completedAt().toEpochMilli() - job.startedAt().toEpochMilli() : 0;
    }
}
