package io.jobline.processor.dispatch;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker waiting for one job of any of its types: an in-process worker slot, or an external worker's long poll.
 * Registered with the lane of each type; the lane that gets an offer first claims it for that offer, and gives it
 * back if the start is refused.
 */
public final class Taker {

    private final String workerId;
    private final Set<String> types;
    private final CompletableFuture<OfferedJob> job = new CompletableFuture<>();
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile Runnable onReturned = () -> { };

    Taker(String workerId, Set<String> types) {
        this.workerId = workerId;
        this.types = Set.copyOf(types);
    }

    public String workerId() {
        return workerId;
    }

    public Set<String> types() {
        return types;
    }

    /** Completes with the job once its start is granted to this worker; cancelled when the taker stops waiting. */
    public CompletableFuture<OfferedJob> job() {
        return job;
    }

    /** Stops waiting. False when a job was already granted: the caller holds it and must run or release it. */
    public boolean cancel() {
        return job.cancel(false) || job.isCancelled();
    }

    boolean isWaiting() {
        return !job.isDone();
    }

    /** Reserves this taker for one offer; false when another lane has it, or it stopped waiting. */
    boolean claim() {
        return isWaiting() && claimed.compareAndSet(false, true);
    }

    void unclaim() {
        claimed.set(false);
        onReturned.run();
    }

    /** Whether a lane asked the decider to start an offered job for this taker (answered or not yet). */
    public boolean isClaimed() {
        return claimed.get();
    }

    /** Called when a start asked for this taker was refused, or went unanswered: the taker is free again. */
    public void onReturned(Runnable action) {
        this.onReturned = action;
    }

    /** @return false when the taker stopped waiting meanwhile: the granted job must be released */
    boolean grant(OfferedJob granted) {
        return job.complete(granted);
    }
}
