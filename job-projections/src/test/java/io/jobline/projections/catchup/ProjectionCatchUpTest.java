package io.jobline.projections.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class ProjectionCatchUpTest {

    /** Partition 0 ended at event 41 when the process started; the projection had committed up to 30. */
    private final EventLogEnd atStart = new EventLogEnd(Map.of(0, 41L, 1, -1L), Map.of(0, 30L));
    private final FoldProgress progress = new FoldProgress();
    private final AtomicReference<List<Integer>> held = new AtomicReference<>();
    private final ProjectionCatchUp catchUp = new ProjectionCatchUp(atStart, progress, held::get);

    @Test
    void shouldNotBeCaughtUpWhilePartitionsAreBeingAssigned() {
        assertThat(catchUp.isCaughtUp()).isFalse();
        assertThat(catchUp.partitionsBehind()).isEqualTo(-1);
    }

    @Test
    void shouldNotBeCaughtUpWhileAPartitionIsRestoring() {
        held.set(List.of(0, 1));
        progress.folded(0, 41);

        assertThat(catchUp.isCaughtUp()).as("no task initialized yet").isFalse();
        assertThat(catchUp.partitionsBehind()).isEqualTo(2);
    }

    @Test
    void shouldBeCaughtUpOnceEveryHeldPartitionFoldedTheLastEventThatWasInTheLogAtStart() {
        held.set(List.of(0, 1));
        progress.started(0);
        progress.started(1);
        progress.folded(0, 40);
        assertThat(catchUp.isCaughtUp()).as("one event to go on partition 0").isFalse();
        assertThat(catchUp.partitionsBehind()).isEqualTo(1);

        progress.folded(0, 41);

        assertThat(catchUp.isCaughtUp()).isTrue();
        assertThat(catchUp.partitionsBehind()).isZero();
    }

    @Test
    void shouldBeCaughtUpWithoutFoldingAnythingWhenAnEarlierRunHadCommittedPastTheEnd() {
        EventLogEnd committedBefore = new EventLogEnd(Map.of(0, 41L), Map.of(0, 44L)); // markers after event 41
        ProjectionCatchUp restarted = new ProjectionCatchUp(committedBefore, progress, () -> List.of(0));
        progress.started(0);

        assertThat(restarted.isCaughtUp()).isTrue();
    }

    @Test
    void shouldStayCaughtUpOnceItWas() {
        held.set(List.of(1));
        progress.started(1);
        assertThat(catchUp.isCaughtUp()).isTrue();

        held.set(null);
        progress.stopped(1);

        assertThat(catchUp.isCaughtUp()).isTrue();
    }
}
