package io.jobline.processor.decider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jobline.processor.command.JobCommands;
import io.jobline.processor.policy.Policy;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.event.AttemptFailed;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobStarted;

/**
 * Timeouts are judged against how far the decider has read its partition: a backlog of commands must not fail the
 * jobs whose heartbeats or starts wait in it, while an idle partition still times out on the wall clock.
 */
class DeciderTimeoutClockTest {

    private static final Instant START = Instant.parse("2026-06-01T12:00:00Z");
    private static final Policy TWO_SECOND_HEARTBEAT = Policy.SINGLE_ATTEMPT.withMaxAttempts(2).withTimeouts(null, null, 2_000L);

    private TopologyTestDriver driver;
    private TestInputTopic<String, JobCommand> commands;
    private TestOutputTopic<String, JobEvent> events;

    @BeforeEach
    void startDriver() {
        DeciderDriver decider = new DeciderDriver(new DecisionListener() { }, START);
        driver = decider.driver;
        commands = decider.commands;
        events = decider.events;
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldNotTimeOutARunningJobWhileTheCommandsBeforeItsHeartbeatAreStillBeingRead() {
        startJob("j1");

        // Ten seconds of wall time pass while the decider reads a backlog sent within the job's first second.
        for (int i = 0; i < 20; i++) {
            driver.advanceWallClockTime(Duration.ofMillis(500));
            send(at(START.plusMillis(i * 50L)).submit("other-" + i, "bob", "demo", "{}", List.of(), List.of("s")));
        }
        send(at(START.plusSeconds(1)).heartbeat("j1", "w", 1, 0));

        assertThat(failures("j1")).as("its heartbeat was in time; it only waited in the backlog").isEmpty();
    }

    @Test
    void shouldTimeOutARunningJobOnceTheCommandsReadArePastItsDeadline() {
        startJob("j1");

        for (int i = 0; i < 10; i++) {
            driver.advanceWallClockTime(Duration.ofMillis(500));
            send(at(START.plusMillis(500L * (i + 1))).submit("other-" + i, "bob", "demo", "{}", List.of(), List.of("s")));
        }

        assertThat(failures("j1")).singleElement().satisfies(error -> assertThat(error).contains("no heartbeat"));
    }

    @Test
    void shouldStartAnAttemptsClocksWhenItsStartIsGrantedNotWhenItWasAsked() {
        send(at(START).submit("j1", "alice", "demo", "{}", List.of(), List.of("s"),
                new JobCommands.SubmitOptions(TWO_SECOND_HEARTBEAT, null, null, null)));
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        send(at(START).start("j1", "w", 0)); // asked at once, granted 5 s later: it waited behind a backlog

        assertThat(events.readValuesToList()).filteredOn(e -> e.getPayload() instanceof JobStarted)
                .singleElement().satisfies(e -> assertThat(e.getTimestamp()).isEqualTo(START.plusSeconds(5)));
        driver.advanceWallClockTime(Duration.ofMillis(1_500));
        assertThat(failures("j1")).as("its worker has run for 1.5 s of a 2 s heartbeat timeout").isEmpty();
        driver.advanceWallClockTime(Duration.ofMillis(1_000));
        assertThat(failures("j1")).singleElement().satisfies(error -> assertThat(error).contains("no heartbeat"));
    }

    @Test
    void shouldTimeOutOnTheWallClockWhenThePartitionHasNothingToRead() {
        startJob("j1");

        // Past the heartbeat timeout and the idle threshold, with nothing sent meanwhile.
        driver.advanceWallClockTime(Duration.ofMillis(2_000).plus(DeciderProcessor.IDLE_AFTER)
                .plus(DeciderTopology.TIMEOUT_CHECK_INTERVAL));

        assertThat(failures("j1")).singleElement().satisfies(error -> assertThat(error).contains("no heartbeat"));
    }

    private void startJob(String jobId) {
        send(at(START).submit(jobId, "alice", "demo", "{}", List.of(), List.of("s"),
                new JobCommands.SubmitOptions(TWO_SECOND_HEARTBEAT, null, null, null)));
        send(at(START).start(jobId, "w", 0));
        events.readRecordsToList();
    }

    private List<String> failures(String jobId) {
        return events.readValuesToList().stream()
                .filter(e -> e.getJobId().equals(jobId) && e.getPayload() instanceof AttemptFailed)
                .map(e -> ((AttemptFailed) e.getPayload()).getError())
                .toList();
    }

    private void send(JobCommand command) {
        commands.pipeInput(command.getJobId(), command);
    }

    private static JobCommands at(Instant time) {
        return new JobCommands(Clock.fixed(time, ZoneOffset.UTC));
    }
}
