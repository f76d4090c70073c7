package io.jobline.projections.catchup;

import java.util.List;
import java.util.function.Supplier;

/**
 * Whether the projection serves up-to-date stores: every partition it holds is restored and has folded the events
 * that were in the log when this process started. Until then a job missing from the stores may only be missing
 * from them, not from the log. Once caught up it stays so: a later rebalance moves partitions between running
 * instances, whose stores are kept, and a read during it sees them stale for a moment, never empty.
 */
public final class ProjectionCatchUp {

    private final EventLogEnd atStart;
    private final FoldProgress progress;
    private final Supplier<List<Integer>> heldPartitions;
    private volatile boolean caughtUp;

    /**
     * @param heldPartitions the partitions this process's projection is assigned (restoring or running), or null
     *                       while the assignment is not settled
     */
    public ProjectionCatchUp(EventLogEnd atStart, FoldProgress progress, Supplier<List<Integer>> heldPartitions) {
        this.atStart = atStart;
        this.progress = progress;
        this.heldPartitions = heldPartitions;
    }

    public boolean isCaughtUp() {
        if (!caughtUp) {
            List<Integer> partitions = heldPartitions.get();
            caughtUp = partitions != null && partitions.stream().allMatch(this::isCaughtUp);
        }
        return caughtUp;
    }

    /** How many held partitions are not caught up yet (-1: not assigned yet); for health details. */
    public long partitionsBehind() {
        List<Integer> partitions = heldPartitions.get();
        return partitions == null ? -1 : partitions.stream().filter(p -> !isCaughtUp(p)).count();
    }

    /** Restored, and holding the last event that was in the log at start: folded now, or committed by an earlier run. */
    private boolean isCaughtUp(int partition) {
        long last = atStart.lastEvent(partition);
        return progress.isRunning(partition)
                && (last < 0 || atStart.committed(partition) > last || progress.lastFolded(partition) >= last);
    }
}
