package io.jobline.projections.catchup;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this process's projection has done, per partition of job-events: whether its task runs (its stores are
 * restored: Kafka Streams initializes a task's processors only once restoration is complete), and the offset of
 * the last event it folded.
 */
public final class FoldProgress {

    private final Set<Integer> running = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Long> offsets = new ConcurrentHashMap<>();

    /** The partition's task was initialized: restored, and from now on folding. */
    public void started(int partition) {
        running.add(partition);
    }

    /** The partition's task was closed (the partition moved, or the application stops). */
    public void stopped(int partition) {
        running.remove(partition);
    }

    /** Called after the event at {@code offset} was folded. */
    public void folded(int partition, long offset) {
        offsets.merge(partition, offset, Math::max);
    }

    public boolean isRunning(int partition) {
        return running.contains(partition);
    }

    /** -1 when nothing of the partition was folded by this process. */
    public long lastFolded(int partition) {
        return offsets.getOrDefault(partition, -1L);
    }
}
