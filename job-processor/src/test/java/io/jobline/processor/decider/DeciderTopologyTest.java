package io.jobline.processor.decider;

import static io.jobline.processor.decider.DeciderFixture.COMMANDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.jobline.core.command.JobCommands;
import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.policy.Policy;
import io.jobline.core.testing.EventLog;
import io.jobline.schemas.command.JobCommand;
import io.jobline.schemas.event.AttemptFailed;
import io.jobline.schemas.event.JobCancelled;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.JobSubmitted;
import io.jobline.schemas.event.ProgressReported;
import io.jobline.schemas.event.StageStarted;
import io.jobline.schemas.event.SubmitRefused;
import io.jobline.schemas.registry.SchemaRegistry;
import io.jobline.schemas.topic.JobTopics;

class DeciderTopologyTest {

    private final JobTopics topics = new JobTopics(SchemaRegistry.forUrl(null));
    private final RecordingListener listener = new RecordingListener();
    @AutoClose
    private final DeciderDriver decider = new DeciderDriver(listener, Instant.now());
    private final TopologyTestDriver driver = decider.driver;
    private final TestInputTopic<String, JobCommand> commands = decider.commands;
    private final TestOutputTopic<String, JobEvent> events = decider.events;

    /** StreamsConfigs disables task idling, which is only safe while no task reads two topics or more. */
    @Test
    void shouldReadOneTopicPerSubtopologySoTasksNeverWaitForAnother() {
        assertThat(DeciderTopology.build(topics, listener, tick -> null).describe().subtopologies())
                .allSatisfy(sub -> assertThat(sub.nodes().stream()
                        .filter(node -> node instanceof org.apache.kafka.streams.TopologyDescription.Source)
                        .flatMap(node -> ((org.apache.kafka.streams.TopologyDescription.Source) node).topicSet().stream()))
                        .hasSize(1));
    }

    @Test
    void shouldTurnASubmitIntoAJobSubmittedEventKeyedByJobId() {
        send(COMMANDS.submit("j1", "alice", "demo", "{\"stages\":2}", List.of(), List.of("stage-1", "stage-2")));

        var record = events.readRecord();
        assertThat(record.key()).isEqualTo("j1");
        assertThat(record.value().getPayload()).isInstanceOf(JobSubmitted.class);
        assertThat(record.value().getSequence()).isEqualTo(1);
        assertThat(state("j1").status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void shouldKeepJobsApartAndNumberEachOnItsOwn() {
        send(COMMANDS.submit("j1", "alice", "demo", "{}", List.of(), List.of("s")));
        send(COMMANDS.submit("j2", "bob", "demo", "{}", List.of(), List.of("s")));
        send(COMMANDS.start("j2", "w", 0));

        assertThat(events.readRecordsToList()).extracting(r -> r.key() + "#" + r.value().getSequence())
                .containsExactly("j1#1", "j2#1", "j2#2", "j2#3");
    }

    @Test
    void shouldAppendNothingForADuplicateCommand() {
        JobCommand submit = COMMANDS.submit("j1", "alice", "demo", "{}", List.of(), List.of("s"));
        send(submit);
        send(submit);
        send(COMMANDS.start("j1", "w", 0));
        send(COMMANDS.start("j1", "w", 0));

        assertThat(payloadTypes()).containsExactly(JobSubmitted.class, JobStarted.class, StageStarted.class);
    }

    @Test
    void shouldIgnoreReportsFromAStaleAttempt() {
        send(COMMANDS.submit("j1", "alice", "demo", "{}", List.of(), List.of("s1", "s2")));
        send(COMMANDS.start("j1", "old", 0));
        send(COMMANDS.start("j1", "new", 1));
        send(COMMANDS.completeStage("j1", "old", 1, 1, "{}"));
        send(COMMANDS.progress("j1", "old", 1, 1, 40, "zombie"));
        send(COMMANDS.progress("j1", "new", 2, 1, 20, "live"));

        List<JobEvent> all = events.readValuesToList();
        assertThat(all.stream().<Class<?>>map(e -> e.getPayload().getClass()).toList()).containsExactly(JobSubmitted.class,
                JobStarted.class, StageStarted.class, JobStarted.class, StageStarted.class, ProgressReported.class);
        assertThat(((ProgressReported) all.get(5).getPayload()).getMessage()).isEqualTo("live");
        assertThat(all.get(5).getAttempt()).isEqualTo(2);
    }

    @Test
    void shouldAppendNothingAfterATerminalEvent() {
        send(COMMANDS.submit("j1", "alice", "demo", "{}", List.of(), List.of("s1")));
        send(COMMANDS.start("j1", "w", 0));
        send(COMMANDS.cancel("j1", "alice", null));
        send(COMMANDS.startStage("j1", "w", 1, 1, "s1"));
        send(COMMANDS.progress("j1", "w", 1, 1, 50, "late"));
        send(COMMANDS.complete("j1", "w", 1, null, List.of()));
        send(COMMANDS.cancel("j1", "alice", null));

        assertThat(payloadTypes()).containsExactly(JobSubmitted.class, JobStarted.class, StageStarted.class, JobCancelled.class);
        assertThat(listener.rejections).hasSize(4);
    }

    @Test
    void shouldAppendEveryEventTypeOverAJobsWholeLife() {
        send(COMMANDS.submit("ok", "alice", "demo", "{}", List.of(), List.of("s1")));
        send(COMMANDS.start("ok", "w", 0));
        send(COMMANDS.progress("ok", "w", 1, 1, 50, "half"));
        send(COMMANDS.complete("ok", "w", 1, "{\"n\":1}", List.of()));
        send(COMMANDS.delete("ok", "alice", null));
        send(COMMANDS.submit("bad", "alice", "demo", "{}", List.of(), List.of("s1")));
        send(COMMANDS.start("bad", "w", 0));
        send(COMMANDS.fail("bad", "w", 1, "boom", null));

        List<JobEvent> all = events.readValuesToList();

        assertThat(all.stream().map(e -> e.getPayload().getClass().getSimpleName()).toList()).containsExactly(
                "JobSubmitted", "JobStarted", "StageStarted", "ProgressReported", "StageCompleted", "JobCompleted",
                "JobDeleted", "JobSubmitted", "JobStarted", "StageStarted", "JobFailed");
        assertThat(state("ok").status()).isEqualTo(JobStatus.DELETED);
        assertThat(state("bad").status()).isEqualTo(JobStatus.FAILED);
        assertThat(all.stream().filter(e -> e.getJobId().equals("ok")).map(JobEvent::getSequence).toList())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void shouldTellTheListenerEveryDecision() {
        send(COMMANDS.submit("j1", "alice", "demo", "{}", List.of(), List.of("s1")));
        send(COMMANDS.cancel("j1", "alice", null));

        assertThat(listener.accepted).containsExactly("j1:JobSubmitted", "j1:JobCancelled");
    }

    @Test
    void shouldSkipACommandWhoseKeyIsNotItsJobId() {
        commands.pipeInput("other-key", COMMANDS.submit("j1", "alice", "demo", "{}", List.of(), List.of("s1")));

        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void shouldFailAnAttemptOnTheWallClockOnceItsWorkerStopsReportingAndScheduleItsRetry() {
        Policy policy = Policy.SINGLE_ATTEMPT.withMaxAttempts(2).withTimeouts(null, null, 2_000L);
        send(COMMANDS.submit("j1", "alice", "demo", "{}", List.of(), List.of("s"),
                new JobCommands.SubmitOptions(policy, null, null, null)));
        send(COMMANDS.start("j1", "w", 0));
        events.readRecordsToList();

        decider.advanceWallClockTime(Duration.ofMillis(1_500));
        assertThat(events.isEmpty()).as("reported within the heartbeat timeout").isTrue();
        decider.advanceWallClockTime(Duration.ofMillis(1_000));

        JobEvent failed = events.readValue();
        assertThat(failed.getPayload()).isInstanceOf(AttemptFailed.class);
        assertThat(((AttemptFailed) failed.getPayload()).getError()).contains("no heartbeat");
        assertThat(((AttemptFailed) failed.getPayload()).getTimedOut()).isTrue();
        assertThat(failed.getAttempt()).isEqualTo(1);
        assertThat(state("j1").status()).isEqualTo(JobStatus.PENDING);
        assertThat(listener.accepted).endsWith("j1:AttemptFailed");
        decider.advanceWallClockTime(Duration.ofMillis(5_000));
        assertThat(events.isEmpty()).as("a pending job is not timed out again").isTrue();
    }

    @Test
    void shouldStartAJobInTheStepThatAcceptsItWhenALocalWorkerClaimsIt() {
        listener.claimAs = "worker-x";

        send(COMMANDS.submit("j1", "alice", "demo", "{}", List.of(), List.of("s")));

        List<JobEvent> appended = events.readValuesToList();
        assertThat(appended).extracting(e -> e.getPayload().getClass().getSimpleName())
                .containsExactly("JobSubmitted", "JobStarted", "StageStarted");
        assertThat(appended).extracting(JobEvent::getSequence).containsExactly(1L, 2L, 3L);
        assertThat(((JobStarted) appended.get(1).getPayload()).getWorkerId()).isEqualTo("worker-x");
        assertThat(appended.get(1).getAttempt()).isEqualTo(1);
        assertThat(state("j1").status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void shouldNotClaimAJobWhoseRetryIsNotDueYet() {
        Policy policy = Policy.SINGLE_ATTEMPT.withMaxAttempts(2).withBackoff(60_000, 2.0, 60_000);
        send(COMMANDS.submit("j1", "alice", "demo", "{}", List.of(), List.of("s"), new JobCommands.SubmitOptions(policy, null, null, null)));
        send(COMMANDS.start("j1", "w", 0));
        listener.claimAs = "worker-x";

        send(COMMANDS.fail("j1", "w", 1, "boom", null, true));

        assertThat(payloadTypes()).endsWith(AttemptFailed.class);
        assertThat(state("j1").status()).isEqualTo(JobStatus.PENDING);
    }

    private void send(JobCommand command) {
        commands.pipeInput(command.getJobId(), command);
    }

    private List<Class<?>> payloadTypes() {
        return events.readValuesToList().stream().<Class<?>>map(e -> e.getPayload().getClass()).toList();
    }

    private JobState state(String jobId) {
        KeyValueStore<String, JobState> store = driver.getKeyValueStore(DeciderTopology.STATE_STORE);
        return store.get(jobId);
    }

    private static final class RecordingListener implements DecisionListener {
        final List<String> accepted = new ArrayList<>();
        final List<String> rejections = new ArrayList<>();
        /** The worker that claims every job that becomes pending; null claims none. */
        String claimAs;

        @Override
        public String claimSlot(int partition, JobState job) {
            return claimAs;
        }

        @Override
        public void decided(int partition, JobCommand command, Decision decision) {
            if (decision.isRejected()) {
                rejections.add(decision.rejection());
            }
            decision.events().forEach(e -> accepted.add(e.getJobId() + ":" + e.getPayload().getClass().getSimpleName()));
        }
    }

    @Test
    void shouldOfferAJobNoLocalWorkerClaimedWithEverythingItsNextAttemptNeeds() {
        send(COMMANDS.submit("j1", "alice", "demo", "{\"stages\":2}", List.of(), List.of("stage-1", "stage-2"),
                new JobCommands.SubmitOptions(Policy.SINGLE_ATTEMPT, null, null, null, 7, null, null)));

        var offer = decider.offers.readRecord();
        assertThat(offer.key()).isEqualTo("j1");
        assertThat(offer.value().getAttempt()).as("the expected attempt of the StartJob that takes it").isZero();
        assertThat(offer.value().getFirstStage()).isEqualTo(1);
        assertThat(offer.value().getStages()).containsExactly("stage-1", "stage-2");
        assertThat(offer.value().getInput()).isEqualTo("{\"stages\":2}");
        assertThat(offer.value().getPriority()).isEqualTo(7);
        assertThat(decider.offers.isEmpty()).isTrue();
    }

    @Test
    void shouldNotOfferAJobALocalWorkerClaimedAsItWasAccepted() {
        listener.claimAs = "worker-x";
        send(COMMANDS.submit("j1", "alice", "demo", "{}", List.of(), List.of("s")));

        assertThat(state("j1").workerId()).isEqualTo("worker-x");
        assertThat(decider.offers.isEmpty()).isTrue();
    }

    @Test
    void shouldOfferAReleasedJobAgainToResumeAfterItsLastCompletedStage() {
        send(COMMANDS.submit("j1", "alice", "demo", "{}", List.of(), List.of("s1", "s2")));
        send(COMMANDS.start("j1", "w", 0));
        send(COMMANDS.completeStage("j1", "w", 1, 1, "{\"n\":1}"));
        decider.offers.readRecordsToList();

        send(COMMANDS.release("j1", "w", 1, "shutting down"));

        assertThat(state("j1").status()).isEqualTo(JobStatus.PENDING);
        var offer = decider.offers.readValue();
        assertThat(offer.getAttempt()).isEqualTo(1);
        assertThat(offer.getFirstStage()).isEqualTo(2);
        assertThat(offer.getCheckpoint()).isEqualTo("{\"n\":1}");
    }

    @Test
    void shouldOfferAReleasedJobWithDynamicStagesWithThePlanItsWorkerDeclared() {
        send(COMMANDS.submit("j1", "alice", "ingest", "{}", List.of(), List.of("prepare"),
                new JobCommands.SubmitOptions(Policy.SINGLE_ATTEMPT, null, null, null, 0, 1, null, true)));
        send(COMMANDS.start("j1", "w", 0));
        send(COMMANDS.completeStage("j1", "w", 1, 1, "{}", List.of("file-1", "file-2")));
        send(COMMANDS.startStage("j1", "w", 1, 2, "file-1"));
        decider.offers.readRecordsToList();

        send(COMMANDS.release("j1", "w", 1, "shutting down"));

        var offer = decider.offers.readValue();
        assertThat(offer.getStages()).containsExactly("prepare", "file-1", "file-2");
        assertThat(offer.getFirstStage()).isEqualTo(2);
    }

    @Test
    void shouldOfferAFailedAttemptsRetryOnlyWhenItIsDueAndAPendingJobAgainAfterAWhile() {
        send(COMMANDS.submit("j1", "alice", "demo", "{}", List.of(), List.of("s"),
                new JobCommands.SubmitOptions(Policy.SINGLE_ATTEMPT.withMaxAttempts(2), null, null, null)));
        send(COMMANDS.start("j1", "w", 0));
        decider.offers.readRecordsToList();
        send(COMMANDS.fail("j1", "w", 1, "boom", 1, true));
        assertThat(decider.offers.isEmpty()).as("the retry is not due yet").isTrue();

        decider.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(decider.offers.readValue().getAttempt()).isEqualTo(1);

        decider.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(decider.offers.isEmpty()).isTrue();
        decider.advanceWallClockTime(PendingJobs.REOFFER_AFTER);
        assertThat(decider.offers.readValue().getAttempt()).as("offered again: an offer may be lost").isEqualTo(1);
    }

    @Test
    void shouldKeepOnlyThePartitionsBestFewJobsOfATypeOnOfferAndOfferTheNextWhenOneStarts() {
        for (String id : List.of("j1", "j2", "j3", "j4")) {
            send(COMMANDS.submit(id, "alice", "demo", "{}", List.of(), List.of("s")));
        }
        assertThat(offeredJobs()).as("a window of %d", PendingJobs.WINDOW).containsExactly("j1", "j2");

        send(COMMANDS.start("j2", "w", 0));

        assertThat(offeredJobs()).containsExactly("j3");
    }

    @Test
    void shouldOfferAJobThatOutranksEveryOfferedJobOfItsTypeAtOnce() {
        for (String id : List.of("low-1", "low-2", "low-3")) {
            send(COMMANDS.submit(id, "alice", "demo", "{}", List.of(), List.of("s")));
        }
        decider.offers.readRecordsToList();

        send(COMMANDS.submit("high", "alice", "demo", "{}", List.of(), List.of("s"), priority(10)));
        send(COMMANDS.submit("other-type", "alice", "noop", "{}", List.of(), List.of("s")));

        assertThat(offeredJobs()).containsExactly("high", "other-type");
        send(COMMANDS.start("low-1", "w", 0));
        assertThat(offeredJobs()).as("high and low-2 are out").isEmpty();
    }

    @Test
    void shouldHandOutAJobThatWaitedLongEnoughBeforeANewerOneOfHigherPriority() {
        for (String id : List.of("a1", "a2", "waited")) {
            send(COMMANDS.submit(id, "alice", "demo", "{}", List.of(), List.of("s")));
        }
        JobCommands later = new JobCommands(java.time.Clock.fixed(EventLog.T0.plus(JobState.AGING_STEP.multipliedBy(2)),
                java.time.ZoneOffset.UTC));
        send(later.submit("newer", "alice", "demo", "{}", List.of(), List.of("s"), priority(1)));
        decider.offers.readRecordsToList();

        send(later.start("a1", "w", 0));

        assertThat(offeredJobs()).as("waited two aging steps: worth more than one priority point").containsExactly("waited");
    }

    @Test
    void shouldOfferAnotherOwnersJobBeforeTheRestOfOneOwnersBacklog() {
        for (String id : List.of("alice-1", "alice-2", "alice-3", "alice-4")) {
            send(COMMANDS.submit(id, "alice", "demo", "{}", List.of(), List.of("s")));
        }
        send(COMMANDS.submit("bob-1", "bob", "demo", "{}", List.of(), List.of("s")));
        assertThat(offeredJobs()).containsExactly("alice-1", "alice-2");

        send(COMMANDS.start("alice-1", "w", 0));

        assertThat(offeredJobs()).as("bob's turn").containsExactly("bob-1");
        send(COMMANDS.start("alice-2", "w", 0));
        assertThat(offeredJobs()).containsExactly("alice-3");
    }

    @Test
    void shouldOfferAJobAgainAtOnceWhenAStartFromItsOfferWasRefused() {
        send(COMMANDS.submit("j1", "alice", "demo", "{}", List.of(), List.of("s")));
        assertThat(offeredJobs()).containsExactly("j1");

        send(COMMANDS.start("j1", "w", 3));

        assertThat(listener.rejections).anyMatch(r -> r.contains("attempt"));
        assertThat(offeredJobs()).as("the taker dropped the offer it got").containsExactly("j1");
    }

    private List<String> offeredJobs() {
        return decider.offers.readValuesToList().stream().map(o -> o.getJobId()).toList();
    }

    private static JobCommands.SubmitOptions priority(int priority) {
        return new JobCommands.SubmitOptions(Policy.SINGLE_ATTEMPT, null, null, null, priority, null, null);
    }

    @Test
    void shouldRefuseAStartPastTheTypesConcurrencyLimitAndOfferTheBestWaitingJobWhenOneStops() {
        JobCommands.SubmitOptions limitTwo = new JobCommands.SubmitOptions(Policy.SINGLE_ATTEMPT, null, null, null, 0, 1, 2);
        JobCommands.SubmitOptions limitTwoUrgent = new JobCommands.SubmitOptions(Policy.SINGLE_ATTEMPT, null, null, null, 50, 1, 2);
        for (String id : List.of("g1", "g2", "g3")) {
            send(COMMANDS.submit(id, "alice", "gpu", "{}", List.of(), List.of("s"), limitTwo));
        }
        send(COMMANDS.start("g1", "w", 0));
        send(COMMANDS.start("g2", "w", 0));
        send(COMMANDS.submit("g4", "alice", "gpu", "{}", List.of(), List.of("s"), limitTwoUrgent));
        decider.offers.readRecordsToList();

        send(COMMANDS.start("g3", "w", 0));
        assertThat(state("g3").status()).as("a third would pass the limit of 2").isEqualTo(JobStatus.PENDING);
        assertThat(listener.rejections).anyMatch(r -> r.contains("concurrency limit of 2"));
        decider.advanceWallClockTime(PendingJobs.REOFFER_AFTER.plusSeconds(1));
        assertThat(decider.offers.isEmpty()).as("nothing is offered while the type is at its limit").isTrue();

        send(COMMANDS.complete("g1", "w", 1, "{}", List.of()));
        assertThat(decider.offers.readValuesToList()).extracting(o -> o.getJobId())
                .as("the urgent one first").containsExactly("g4");
        send(COMMANDS.start("g4", "w", 0));
        assertThat(state("g4").status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void shouldRefuseASubmitWhoseDedupKeyAPendingOrRunningJobOfItsTypeHoldsNamingTheHolder() {
        JobCommands.SubmitOptions video7 = new JobCommands.SubmitOptions(Policy.SINGLE_ATTEMPT, null, null, "video-7");
        send(COMMANDS.submit("d1", "alice", "compare", "{}", List.of(), List.of("s"), video7));
        send(COMMANDS.submit("d2", "bob", "compare", "{}", List.of(), List.of("s"), video7));
        send(COMMANDS.start("d1", "w", 0));
        send(COMMANDS.submit("d3", "bob", "compare", "{}", List.of(), List.of("s"), video7));
        send(COMMANDS.submit("o1", "bob", "other", "{}", List.of(), List.of("s"), video7));

        List<JobEvent> decided = events.readValuesToList();
        assertThat(decided).filteredOn(e -> e.getPayload() instanceof SubmitRefused)
                .as("refused while the holder is pending, then running")
                .extracting(JobEvent::getJobId, e -> ((SubmitRefused) e.getPayload()).getDuplicateOf(), JobEvent::getSequence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("d2", "d1", 0L), org.assertj.core.groups.Tuple.tuple("d3", "d1", 0L));
        assertThat(decided).filteredOn(e -> e.getPayload() instanceof JobSubmitted).extracting(JobEvent::getJobId)
                .as("the same key of another type is another key").containsExactly("d1", "o1");
        assertThat(state("d2")).as("no job was made").isNull();
        assertThat(listener.rejections).anyMatch(r -> r.contains("a duplicate of job d1"));

        send(COMMANDS.complete("d1", "w", 1, "{}", List.of()));
        send(COMMANDS.submit("d4", "bob", "compare", "{}", List.of(), List.of("s"), video7));
        send(COMMANDS.submit("d2", "bob", "compare", "{}", List.of(), List.of("s"), video7));
        assertThat(events.readValuesToList()).filteredOn(e -> !e.getJobId().equals("d1"))
                .extracting(JobEvent::getJobId, e -> e.getPayload().getClass().getSimpleName())
                .as("a finished job holds its key no more: the next one holds it")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("d4", "JobSubmitted"),
                        org.assertj.core.groups.Tuple.tuple("d2", "SubmitRefused"));
    }

    @Test
    void shouldKnowWhichJobHoldsADedupKeyWhenItTakesOverAPartition() {
        // The task's store as a task taking over the partition finds it: d1, pending, holds the key.
        var context = new org.apache.kafka.streams.processor.api.MockProcessorContext<String, org.apache.avro.specific.SpecificRecord>();
        KeyValueStore<String, JobState> store = org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                        org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(DeciderTopology.STATE_STORE),
                        org.apache.kafka.common.serialization.Serdes.String(), new io.jobline.core.support.StateSerde<>(JobState.class))
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        context.setCurrentSystemTimeMs(System.currentTimeMillis());
        JobCommands.SubmitOptions video7 = new JobCommands.SubmitOptions(Policy.SINGLE_ATTEMPT, null, null, "video-7");
        JobCommand holder = COMMANDS.submit("d1", "alice", "compare", "{}", List.of(), List.of("s"), video7);
        JobDecider jobDecider = new JobDecider(() -> java.util.UUID.randomUUID().toString());
        store.put("d1", jobDecider.decide(JobState.empty("d1"), holder).state());

        DeciderProcessor processor = new DeciderProcessor(jobDecider, listener, tick -> null, Duration.ofSeconds(1));
        processor.init(context);
        JobCommand duplicate = COMMANDS.submit("d2", "bob", "compare", "{}", List.of(), List.of("s"), video7);
        processor.process(new org.apache.kafka.streams.processor.api.Record<>("d2", duplicate, 0L));

        assertThat(context.forwarded()).extracting(f -> f.record().value())
                .singleElement().satisfies(event -> assertThat(((JobEvent) event).getPayload())
                        .isEqualTo(new SubmitRefused("A compare job with dedup key 'video-7' is already pending or running: d1", "d1")));
        assertThat(store.get("d2")).isNull();
    }
}
