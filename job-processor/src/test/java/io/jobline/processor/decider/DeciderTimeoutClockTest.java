package io.jobline.processor.decider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.jobline.core.command.JobCommands;
import io.jobline.core.policy.Policy;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.command.Tick;
import io.jobline.schemas.event.AttemptFailed;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobStarted;

/**
 * Timeouts are judged against how far the decider has read its partition, which the ticks it appends to the
 * partition tell: a backlog of commands must not fail the jobs whose heartbeats or starts wait in it, and the wall
 * clock alone fails nothing, while a partition with nothing else to read still times out.
 */
class DeciderTimeoutClockTest {

    private static final Instant START = Instant.parse("2026-06-01T12:00:00Z");
    private static final Policy TWO_SECOND_HEARTBEAT = Policy.SINGLE_ATTEMPT.withMaxAttempts(2).withTimeouts(null, null, 2_000L);

    /** Jobs the runner of this process waits to take over. */
    private final Set<String> awaitingTakeover = new HashSet<>();
    @AutoClose
    private final DeciderDriver decider = new DeciderDriver(new DecisionListener() {
        @Override
        public boolean awaitsTakeover(String jobId) {
            return awaitingTakeover.contains(jobId);
        }
    }, START);
    private final TopologyTestDriver driver = decider.driver;
    private final TestInputTopic<String, JobCommand> commands = decider.commands;
    private final TestOutputTopic<String, JobEvent> events = decider.events;

    @Test
    void shouldJudgeTimeoutsByTheTicksReadNotByWhenTheCommandsWereRead() {
        startJob("j1");

        // The decider reads a partition ten seconds behind, then catches up.
        driver.advanceWallClockTime(Duration.ofSeconds(12));
        decider.ticks.clear();
        send(at(START.plusSeconds(9)).heartbeat("j1", "w", 1, 0));
        send(tick(START.plusSeconds(10)));
        assertThat(failures("j1")).as("its last heartbeat, read before the tick, was 1 s old").isEmpty();

        send(tick(START.plusSeconds(12)));
        assertThat(events.readValuesToList()).singleElement().satisfies(e -> {
            assertThat(e.getPayload()).isInstanceOf(AttemptFailed.class);
            assertThat(((AttemptFailed) e.getPayload()).getError()).contains("no heartbeat");
            assertThat(e.getTimestamp()).as("failed as of the tick").isEqualTo(START.plusSeconds(12));
        });
    }

    @Test
    void shouldNotTimeOutARunningJobOnATickFromAnotherPartition() {
        startJob("j1");

        driver.advanceWallClockTime(Duration.ofSeconds(30));
        commands.pipeInput("", new JobDecider(() -> "t").tick(3, START.plusSeconds(30)));

        assertThat(failures("j1")).isEmpty();
    }

    @Test
    void shouldSendOneTickForItsPartitionOnceARunningAttemptIsPastATimeoutByTheWallClockAndFailItOnlyWhenReadBack() {
        startJob("j1");

        driver.advanceWallClockTime(Duration.ofMillis(1_500));
        assertThat(decider.ticks).as("no attempt is past a timeout yet").isEmpty();
        driver.advanceWallClockTime(Duration.ofMillis(1_000));
        assertThat(decider.ticks).singleElement().satisfies(tick -> {
            assertThat(tick.getPayload()).isEqualTo(new Tick(0));
            assertThat(tick.getTimestamp()).isEqualTo(START.plusMillis(2_500));
        });
        driver.advanceWallClockTime(Duration.ofMillis(2_000));
        assertThat(decider.ticks).as("one tick on its way at a time").hasSize(1);
        assertThat(failures("j1")).as("the wall clock alone fails nothing").isEmpty();

        decider.readTicks();

        assertThat(events.readValuesToList()).singleElement().satisfies(e -> {
            assertThat(((AttemptFailed) e.getPayload()).getError()).contains("no heartbeat");
            assertThat(e.getTimestamp()).isEqualTo(START.plusMillis(2_500));
        });
        decider.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(decider.ticks).as("nothing runs any more").isEmpty();
    }

    @Test
    void shouldIgnoreAndCountATickStampedFarAheadOfTheDecidersClock() {
        startJob("j1");
        long ignoredBefore = IgnoredTicks.count();

        send(tick(START.plus(Duration.ofHours(1))));

        assertThat(failures("j1")).as("a forged tick would time out every running job").isEmpty();
        assertThat(IgnoredTicks.count()).isEqualTo(ignoredBefore + 1);
        driver.advanceWallClockTime(Duration.ofSeconds(3));
        send(tick(START.plusSeconds(3)));
        assertThat(failures("j1")).as("an honest tick still counts").singleElement()
                .satisfies(error -> assertThat(error).contains("no heartbeat"));
    }

    @Test
    void shouldSendAnotherTickWhenTheLastNeverCameBack() {
        startJob("j1");
        driver.advanceWallClockTime(Duration.ofMillis(2_500));
        decider.ticks.clear(); // lost

        driver.advanceWallClockTime(DeciderProcessor.TICK_RESEND_AFTER);
        decider.readTicks();

        assertThat(failures("j1")).singleElement().satisfies(error -> assertThat(error).contains("no heartbeat"));
    }

    @Test
    void shouldStartAnAttemptsClocksWhenItsStartIsGrantedNotWhenItWasAsked() {
        send(at(START).submit("j1", "alice", "demo", "{}", List.of(), List.of("s"),
                new JobCommands.SubmitOptions(TWO_SECOND_HEARTBEAT, null, null, null)));
        decider.advanceWallClockTime(Duration.ofSeconds(5));
        send(at(START).start("j1", "w", 0)); // asked at once, granted 5 s later: it waited behind a backlog

        assertThat(events.readValuesToList()).filteredOn(e -> e.getPayload() instanceof JobStarted)
                .singleElement().satisfies(e -> assertThat(e.getTimestamp()).isEqualTo(START.plusSeconds(5)));
        decider.advanceWallClockTime(Duration.ofMillis(1_500));
        assertThat(failures("j1")).as("its worker has run for 1.5 s of a 2 s heartbeat timeout").isEmpty();
        decider.advanceWallClockTime(Duration.ofMillis(1_000));
        assertThat(failures("j1")).singleElement().satisfies(error -> assertThat(error).contains("no heartbeat"));
    }

    @Test
    void shouldNotTimeOutARunningJobThatWaitsHereToBeTakenOverFromAWorkerThatIsGone() {
        startJob("j1");
        awaitingTakeover.add("j1");

        driver.advanceWallClockTime(Duration.ofSeconds(10));
        send(tick(START.plusSeconds(10)));

        assertThat(decider.ticks).as("no deadline to wait for").isEmpty();
        assertThat(failures("j1")).as("its worker is gone; that is not a failed attempt").isEmpty();
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

    private static JobCommand tick(Instant at) {
        return new JobDecider(() -> UUID.randomUUID().toString()).tick(0, at);
    }

    private static JobCommands at(Instant time) {
        return new JobCommands(Clock.fixed(time, ZoneOffset.UTC));
    }
}
