package io.jobline.processor.decider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.jobline.core.command.JobCommands;
import io.jobline.core.testing.EventLog;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.event.JobEvent;

/** Given these past events, when this command arrives, then these events (or a rejection). */
final class DeciderFixture {

    static final String JOB = "job-1";
    static final JobCommands COMMANDS = new JobCommands(Clock.fixed(EventLog.T0, ZoneOffset.UTC));

    private final AtomicInteger ids = new AtomicInteger();
    private final JobDecider decider = new JobDecider(() -> "event-" + ids.incrementAndGet());
    private JobState state;

    private DeciderFixture(JobState state) {
        this.state = state;
    }

    static DeciderFixture given(EventLog history) {
        JobState state = JobState.empty(history.jobId());
        for (JobEvent event : history.events()) {
            state = state.apply(event);
        }
        return new DeciderFixture(state);
    }

    static DeciderFixture givenNoJob() {
        return new DeciderFixture(JobState.empty(JOB));
    }

    Decision when(JobCommand command) {
        Decision decision = decider.decide(state, command);
        state = decision.state();
        return decision;
    }

    List<JobEvent> thenAccepted(JobCommand command, Class<?>... payloadTypes) {
        Decision decision = when(command);
        assertThat(decision.rejection()).as("rejection").isNull();
        assertThat(decision.events().stream().<Class<?>>map(e -> e.getPayload().getClass()).toList()).containsExactly(payloadTypes);
        return decision.events();
    }

    String thenRejected(JobCommand command) {
        JobState before = state;
        Decision decision = when(command);
        assertThat(decision.isRejected()).as("rejected").isTrue();
        assertThat(decision.events()).isEmpty();
        assertThat(decision.state()).isEqualTo(before);
        return decision.rejection();
    }

    JobState state() {
        return state;
    }
}
