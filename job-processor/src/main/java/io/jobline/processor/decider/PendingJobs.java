package io.jobline.processor.decider;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

import io.jobline.core.lifecycle.JobStatus;

/**
 * The pending jobs of one decider partition, and which of them are offered on job-offers.
 *
 * <p>Offers are handed out in the order they were appended, so this partition keeps only its best few jobs of each
 * type on offer at a time ({@link #WINDOW}; the next is chosen by a {@link FairQueue}: each owner's jobs by priority
 * aged by the time waited, owners in turn): when one of them starts, the next is offered. A job that outranks every offered job of its type
 * is offered at once, past the window. A worker anywhere therefore takes the best job of its type of whichever
 * partition's offer it gets; across partitions the hand-out is in offer order (a job of higher priority waits behind
 * at most the offers already out, about {@code WINDOW} per partition).
 *
 * <p>An offer whose start was refused (the taker's view was stale, or the type reached its concurrency limit) is
 * gone from the topic, so its job goes back to waiting for one; an offer out longer than {@link #REOFFER_AFTER} may
 * be lost (a record archived after too many deliveries), so its job is offered again.
 */
final class PendingJobs {

    /** Offers of one type that this partition keeps out at a time. */
    static final int WINDOW = 2;

    /**
     * How long a job stays pending after an offer before it is offered again. Offers are seldom lost (an offer waits
     * in the topic until a taker comes; one a taker dies with is handed out again when its lock expires), so this is
     * a safety net, kept rare.
     */
    static final Duration REOFFER_AFTER = Duration.ofMinutes(5);

    private final Map<String, Pending> jobs = new HashMap<>();
    private final Map<String, Offers> byType = new HashMap<>();

    void clear() {
        jobs.clear();
        byType.clear();
    }

    /**
     * Keeps the set current after a decision: a job that is no longer pending leaves it (its offer, if any, is
     * spent); a pending one waits for an offer, unless {@code claimed} (a local worker starts it in this same step:
     * it counts as offered without one) or its retry is not due yet.
     */
    void update(JobState state, boolean claimed, Instant now) {
        Pending before = jobs.remove(state.jobId());
        if (before != null) {
            typeOf(before).remove(before);
        }
        if (state.status() != JobStatus.PENDING) {
            return;
        }
        Instant offeredAt = claimed ? now
                : before != null && before.attempt() == state.attempt() ? before.offeredAt() : null;
        add(Pending.of(state, state.retryAt(), offeredAt));
    }

    /** Adds a pending job found in the store when the partition was taken: not offered by this task yet. */
    void restore(JobState state) {
        add(Pending.of(state, state.retryAt(), null));
    }

    /** A start of the job was refused: the offer it came from is spent, so the job waits for a new one. */
    void offerSpent(String jobId) {
        Pending job = jobs.get(jobId);
        if (job != null && job.offeredAt() != null) {
            typeOf(job).remove(job);
            add(job.offered(null));
        }
    }

    /**
     * The jobs of {@code type} to offer now, best first, marked offered: while fewer than the window are out (or the
     * best waiting outranks every offered one), and fewer than the type's room.
     *
     * @param room   how many more jobs of a type may start now (its concurrency limit less its running jobs)
     * @param skip   jobs not to offer now (a local worker asked to start them)
     */
    List<JobState> toOffer(String type, Instant now, ToIntFunction<String> room, Predicate<String> skip,
                           Function<String, JobState> stateOf, int max) {
        Offers offers = byType.get(type);
        List<JobState> chosen = new ArrayList<>();
        if (offers == null || offers.waiting.isEmpty()) {
            return chosen;
        }
        int free = room.applyAsInt(type);
        int window = Math.min(WINDOW, free);
        while (chosen.size() < max && offers.offered.size() < free && !offers.waiting.isEmpty()) {
            FairQueue.Entry next;
            if (offers.offered.size() < window) {
                next = offers.waiting.next(skip);
            } else {
                // The window is full: only a job that outranks every offered one goes out now.
                next = offers.waiting.best(skip);
                if (next != null && next.rank() <= offers.offered.last().rank()) {
                    next = null;
                }
            }
            if (next == null) {
                break;
            }
            Pending job = jobs.get(next.jobId());
            offers.waiting.handedOut(next, now.toEpochMilli());
            add(job.offered(now));
            chosen.add(stateOf.apply(job.jobId()));
        }
        return chosen;
    }

    /**
     * On the punctuation: retries that became due join the waiting, offers out for {@link #REOFFER_AFTER} count as
     * lost, and every type's window is filled.
     */
    List<JobState> dueOffers(Instant now, ToIntFunction<String> room, Predicate<String> skip,
                             Function<String, JobState> stateOf, int max) {
        List<Pending> changed = new ArrayList<>();
        for (Pending job : jobs.values()) {
            if (job.isLost(now) || job.becameDue(now)) {
                changed.add(job);
            }
        }
        for (Pending job : changed) {
            typeOf(job).remove(job);
            add(new Pending(job.entry(), job.type(), job.attempt(), job.becameDue(now) ? null : job.retryAt(),
                    job.isLost(now) ? null : job.offeredAt()));
        }
        List<JobState> chosen = new ArrayList<>();
        for (String type : List.copyOf(byType.keySet())) {
            chosen.addAll(toOffer(type, now, room, skip, stateOf, max - chosen.size()));
        }
        return chosen;
    }

    private void add(Pending job) {
        jobs.put(job.jobId(), job);
        Offers offers = byType.computeIfAbsent(job.type(), t -> new Offers());
        if (job.offeredAt() != null) {
            offers.offered.add(job.entry());
        } else if (job.retryAt() == null) {
            offers.waiting.add(job.entry());
        }
    }

    private Offers typeOf(Pending job) {
        return byType.computeIfAbsent(job.type(), t -> new Offers());
    }

    /** A pending job as far as offers go: {@code retryAt} null once due; {@code offeredAt} null while not on offer. */
    private record Pending(FairQueue.Entry entry, String type, int attempt, Instant retryAt, Instant offeredAt) {
        static Pending of(JobState state, Instant retryAt, Instant offeredAt) {
            return new Pending(new FairQueue.Entry(state.jobId(), state.owner(), state.priority(), state.rank()),
                    state.type(), state.attempt(), retryAt, offeredAt);
        }

        String jobId() {
            return entry.jobId();
        }

        Pending offered(Instant at) {
            return new Pending(entry, type, attempt, retryAt, at);
        }

        boolean isLost(Instant now) {
            return offeredAt != null && !now.isBefore(offeredAt.plus(REOFFER_AFTER));
        }

        boolean becameDue(Instant now) {
            return retryAt != null && !retryAt.isAfter(now);
        }
    }

    /** One type's due jobs waiting for an offer (fairly across owners) and its jobs on offer (best first). */
    private static final class Offers {
        final FairQueue waiting = new FairQueue();
        final NavigableSet<FairQueue.Entry> offered = new TreeSet<>();

        void remove(Pending job) {
            waiting.remove(job.entry());
            offered.remove(job.entry());
        }
    }
}
