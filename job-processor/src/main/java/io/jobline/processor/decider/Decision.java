package io.jobline.processor.decider;

import java.util.List;

import io.jobline.schemas.event.JobEvent;

/**
 * What the decider made of one command: the events it appended (none when rejected) and the state after them.
 *
 * @param rejection why the command was rejected, or null when it was accepted
 */
public record Decision(JobState state, List<JobEvent> events, String rejection) {

    public boolean isRejected() {
        return rejection != null;
    }
}
