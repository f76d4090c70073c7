package io.jobline.processor.decider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Waiting jobs, one queue per owner, handed out fairly: each owner's jobs go in their own order (priority, then age),
 * and the next job is the head of the owner whose head has waited for its turn longest, priority counting as time
 * (one point as {@link JobState#AGING_STEP}). An owner's head starts waiting for its turn when it becomes the head:
 * when the owner's previous job was handed out, or when it came to an owner with nothing waiting. So one owner's
 * 10,000 jobs do not hold back another's one: that one waits for about one hand-out per owner ahead of it, not for the
 * backlog, and a job of higher priority still goes first.
 */
public final class FairQueue {

    /** A waiting job: its rank orders it among its owner's jobs ({@link JobState#rank()}). */
    public record Entry(String jobId, String owner, int priority, long rank) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry other) {
            int byRank = Long.compare(other.rank, rank);
            return byRank != 0 ? byRank : jobId.compareTo(other.jobId);
        }

        /** When it became pending, from its rank. */
        long sinceMs() {
            return priority * JobState.AGING_STEP.toMillis() - rank;
        }
    }

    private final Map<String, NavigableSet<Entry>> byOwner = new HashMap<>();
    /** Every waiting job, best rank first, whatever its owner. */
    private final NavigableSet<Entry> all = new TreeSet<>();
    /** Since when each owner's head has waited for its turn (epoch millis). */
    private final Map<String, Long> headSince = new HashMap<>();
    /** When each owner was last handed a job, in hand-outs: of two owners whose turn ties, the one served longer ago. */
    private final Map<String, Long> servedSeq = new HashMap<>();
    private long handOuts;
    private int size;

    public void add(Entry entry) {
        NavigableSet<Entry> jobs = byOwner.computeIfAbsent(entry.owner(), o -> new TreeSet<>());
        if (jobs.isEmpty()) {
            headSince.put(entry.owner(), entry.sinceMs());
        }
        if (jobs.add(entry)) {
            all.add(entry);
            size++;
        }
    }

    public void remove(Entry entry) {
        NavigableSet<Entry> jobs = byOwner.get(entry.owner());
        if (jobs != null && jobs.remove(entry)) {
            all.remove(entry);
            size--;
            if (jobs.isEmpty()) {
                byOwner.remove(entry.owner());
                headSince.remove(entry.owner());
                servedSeq.remove(entry.owner());
            }
        }
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * The job to hand out next, not taken out: the best job not skipped of the owner whose turn it is; null when
     * every waiting job is skipped.
     */
    public Entry next(Predicate<String> skip) {
        List<String> owners = new ArrayList<>(byOwner.keySet());
        owners.sort(Comparator.comparingLong(this::turnScore).reversed()
                .thenComparingLong(owner -> servedSeq.getOrDefault(owner, 0L))
                .thenComparing(owner -> byOwner.get(owner).first()));
        for (String owner : owners) {
            for (Entry entry : byOwner.get(owner)) {
                if (!skip.test(entry.jobId())) {
                    return entry;
                }
            }
        }
        return null;
    }

    /** The waiting job of the best rank (priority aged by waiting), whoever owns it, not skipped; null: none. */
    public Entry best(Predicate<String> skip) {
        for (Entry entry : all) {
            if (!skip.test(entry.jobId())) {
                return entry;
            }
        }
        return null;
    }

    /** {@code entry} was handed out at {@code nowMs}: its owner's next job starts waiting for its turn now. */
    public void handedOut(Entry entry, long nowMs) {
        remove(entry);
        servedSeq.put(entry.owner(), ++handOuts);
        if (byOwner.containsKey(entry.owner())) {
            headSince.put(entry.owner(), Math.max(nowMs, byOwner.get(entry.owner()).first().sinceMs()));
        }
    }

    /** The owner's last job was handed out at {@code ms} (by an earlier queue): its head waits for its turn since then. */
    public void servedAt(String owner, long ms) {
        Long since = headSince.get(owner);
        if (since != null && ms > since) {
            headSince.put(owner, ms);
        }
    }

    /** Higher goes first: the head's priority as time, less how long it has waited for its turn. */
    private long turnScore(String owner) {
        return byOwner.get(owner).first().priority() * JobState.AGING_STEP.toMillis() - headSince.get(owner);
    }
}
