package io.jobline.processor.decider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class FairQueueTest {

    private final FairQueue queue = new FairQueue();

    private static FairQueue.Entry job(String id, String owner, int priority, long sinceMs) {
        return new FairQueue.Entry(id, owner, priority, priority * JobState.AGING_STEP.toMillis() - sinceMs);
    }

    private List<String> handOutAll(long fromMs) {
        List<String> order = new ArrayList<>();
        long now = fromMs;
        for (FairQueue.Entry next = queue.next(id -> false); next != null; next = queue.next(id -> false)) {
            order.add(next.jobId());
            queue.handedOut(next, now++);
        }
        return order;
    }

    @Test
    void shouldNotHoldAnotherOwnersOneJobBehindAnOwnersBacklog() {
        for (int i = 1; i <= 5; i++) {
            queue.add(job("alice-" + i, "alice", 0, i));
        }
        queue.add(job("bob-1", "bob", 0, 100));

        assertThat(handOutAll(1_000)).containsExactly("alice-1", "bob-1", "alice-2", "alice-3", "alice-4", "alice-5");
    }

    @Test
    void shouldTakeOwnersInTurnWhileBothHaveABacklog() {
        for (int i = 1; i <= 3; i++) {
            queue.add(job("alice-" + i, "alice", 0, i));
            queue.add(job("bob-" + i, "bob", 0, 10 + i));
        }

        assertThat(handOutAll(1_000)).containsExactly("alice-1", "bob-1", "alice-2", "bob-2", "alice-3", "bob-3");
    }

    @Test
    void shouldStillHandOutAHigherPriorityFirstAndEachOwnersJobsInTheirOwnOrder() {
        queue.add(job("alice-low", "alice", 0, 1));
        queue.add(job("alice-high", "alice", 5, 2));
        queue.add(job("bob-urgent", "bob", 50, 3));

        assertThat(handOutAll(10)).containsExactly("bob-urgent", "alice-high", "alice-low");
    }

    @Test
    void shouldPassOverASkippedJobToTheOwnersNext() {
        queue.add(job("alice-1", "alice", 0, 1));
        queue.add(job("alice-2", "alice", 0, 2));

        assertThat(queue.next(id -> id.equals("alice-1")).jobId()).isEqualTo("alice-2");
        assertThat(queue.next(id -> true)).isNull();
        queue.remove(job("alice-1", "alice", 0, 1));
        queue.remove(job("alice-2", "alice", 0, 2));
        assertThat(queue.isEmpty()).isTrue();
    }
}
