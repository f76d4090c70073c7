package io.jobline.processor.dispatch;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.jobline.processor.decider.Decision;
import io.jobline.core.lifecycle.EventStatus;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.StartJob;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobStarted;

/**
 * What became of a StartJob a worker of this process sent for an offered job: granted (the decider appended
 * JobStarted naming that worker for the attempt after the offered one) or refused. A decision of a partition this
 * process decides is known at once (through the decider's listener); for a partition decided elsewhere the
 * {@link EventTail} shows the job's next events, and a refusal that leaves no event shows only as a timeout.
 */
public final class StartOutcomes {

    private final EventTail tail;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();

    private record Watch(String workerId, int expectedAttempt, CompletableFuture<Boolean> outcome) {
    }

    public StartOutcomes(EventTail tail) {
        this.tail = tail;
    }

    /** Completes with true when the start is granted, false when refused; never when nothing is heard (time it out). */
    public CompletableFuture<Boolean> await(String jobId, int expectedAttempt, String workerId) {
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        Watch watch = new Watch(workerId, expectedAttempt, outcome);
        watches.put(jobId, watch);
        AutoCloseable watching = tail == null ? () -> { } : tail.watch(jobId, event -> event(watch, event));
        outcome.whenComplete((granted, error) -> {
            watches.remove(jobId, watch);
            try {
                watching.close();
            } catch (Exception ignored) {
                // removing a watcher from a map does not fail
            }
        });
        return outcome;
    }

    /** Whether a start of this job for this worker is on its way: its grant goes to the taker, not to the runner's queue. */
    public boolean isAwaiting(String jobId, String workerId) {
        Watch watch = watches.get(jobId);
        return watch != null && watch.workerId().equals(workerId);
    }

    /** A command of a partition this process decides was decided. */
    public void decided(JobCommand command, Decision decision) {
        if (!(command.getPayload() instanceof StartJob start)) {
            return;
        }
        Watch watch = watches.get(command.getJobId());
        if (watch == null || !watch.workerId().equals(start.getWorkerId()) || watch.expectedAttempt() != start.getExpectedAttempt()) {
            return;
        }
        watch.outcome().complete(!decision.isRejected() && decision.events().stream()
                .anyMatch(e -> e.getPayload() instanceof JobStarted s && s.getWorkerId().equals(watch.workerId())));
    }

    private static void event(Watch watch, JobEvent event) {
        if (event.getAttempt() <= watch.expectedAttempt() && EventStatus.of(event.getPayload()).isActive()) {
            return; // a late report of the attempt the offer followed
        }
        watch.outcome().complete(event.getAttempt() == watch.expectedAttempt() + 1
                && event.getPayload() instanceof JobStarted started && started.getWorkerId().equals(watch.workerId()));
    }
}
