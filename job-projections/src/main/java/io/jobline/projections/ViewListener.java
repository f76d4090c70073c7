package io.jobline.projections;

import io.jobline.projections.view.JobView;
import io.jobline.schemas.event.JobEvent;

/**
 * Told each time the projection folds an event into a job's view, right after the stores are updated: what live
 * push is built on. Called on a Streams thread, per job in sequence order; it must not block. After a failure the
 * projection may fold an event again, so the same (job, sequence) can be told twice.
 */
public interface ViewListener {

    ViewListener NONE = (event, before, after) -> { };

    /**
     * {@code after} is the job after {@code event}, null when the event deleted it; {@code before} the job as it was,
     * null when the event created it.
     */
    void folded(JobEvent event, JobView before, JobView after);
}
