package io.jobline.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jobline.core.lifecycle.JobStatus;
import io.jobline.core.testing.EventLog;
import io.jobline.projections.catchup.FoldProgress;
import io.jobline.projections.query.JobFilter;
import io.jobline.projections.query.JobPage;
import io.jobline.projections.query.ListedJob;
import io.jobline.projections.query.StoreJobQueries;
import io.jobline.projections.view.AttemptError;
import io.jobline.projections.view.JobView;
import io.jobline.projections.view.StageView;
import io.jobline.schemas.common.FileRef;
import io.jobline.schemas.event.AttemptFailed;
import io.jobline.schemas.event.JobCancelled;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobFailed;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.JobSubmitted;
import io.jobline.schemas.event.ProgressReported;
import io.jobline.schemas.event.StageStarted;
import io.jobline.schemas.registry.SchemaRegistry;
import io.jobline.schemas.topic.JobTopics;

class JobsTopologyTest {

    private final JobTopics topics = new JobTopics(SchemaRegistry.forUrl(null));
    private TopologyTestDriver driver;
    private TestInputTopic<String, JobEvent> events;
    private StoreJobQueries queries;
    private final List<String> folded = new java.util.ArrayList<>();
    private final FoldProgress progress = new FoldProgress();

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "projections-test");
        // Its own state folder: the default one under /tmp is shared by every build running on the host.
        props.put(StreamsConfig.STATE_DIR_CONFIG, io.jobline.core.testing.TempFolders.create("projections-test").toString());
        driver = new TopologyTestDriver(JobsTopology.build(topics, (event, before, after) -> folded.add(event.getSequence() + ":"
                + (before == null ? "new" : before.status().wireName()) + ">" + (after == null ? "deleted" : after.status().wireName())), progress), props, EventLog.T0);
        events = driver.createInputTopic(JobTopics.EVENTS, topics.events().keySerde().serializer(),
                topics.events().valueSerde().serializer());
        queries = new StoreJobQueries(() -> driver.getKeyValueStore(JobsTopology.JOBS_STORE),
                () -> driver.getKeyValueStore(JobsTopology.HISTORY_STORE), () -> driver.getKeyValueStore(JobsTopology.STATS_STORE),
                () -> driver.getKeyValueStore(JobsTopology.DEDUP_STORE),
                () -> List.of(driver.<String, ListedJob>getKeyValueStore(JobsTopology.INDEX_STORE)),
                () -> driver.getKeyValueStore(JobsTopology.TOMBSTONE_STORE));
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    /** StreamsConfigs disables task idling, which is only safe while no task reads two topics or more. */
    @Test
    void shouldReadOneTopicPerSubtopologySoTasksNeverWaitForAnother() {
        assertThat(JobsTopology.build(topics).describe().subtopologies())
                .allSatisfy(sub -> assertThat(sub.nodes().stream()
                        .filter(node -> node instanceof org.apache.kafka.streams.TopologyDescription.Source)
                        .flatMap(node -> ((org.apache.kafka.streams.TopologyDescription.Source) node).topicSet().stream()))
                        .hasSize(1));
    }

    @Test
    void shouldTellThatItsPartitionRunsAndWhichOffsetItFoldedLast() {
        assertThat(progress.isRunning(0)).as("initialized: restored and folding").isTrue();
        assertThat(progress.lastFolded(0)).isEqualTo(-1);

        pipe(EventLog.of("j1").submitted("demo", "alice", "stage-1"));
        pipe(EventLog.of("j2").submitted("demo", "alice", "stage-1"));

        assertThat(progress.lastFolded(0)).isEqualTo(1);
    }

    @Test
    void shouldRememberForTwoDaysThatAJobSubmittedWithAnIdempotencyKeyWasDeleted() {
        EventLog keyed = EventLog.of("j1").submittedWithKey("demo", "alice", "order-1", "hash", "stage-1").deleted();
        pipe(keyed);
        pipe(EventLog.of("j2").submitted("demo", "alice", "stage-1").deleted());

        assertThat(queries.find("j1")).isEmpty();
        assertThat(queries.deletedAt("j1")).contains(keyed.last().getTimestamp());
        assertThat(queries.deletedAt("j2")).as("no key: nothing to remember").isEmpty();

        driver.advanceWallClockTime(Duration.ofHours(47));
        assertThat(queries.deletedAt("j1")).isPresent();
        driver.advanceWallClockTime(Duration.ofHours(2));
        assertThat(queries.deletedAt("j1")).isEmpty();
    }

    @Test
    void shouldShowASubmittedJobAsPending() {
        pipe(EventLog.of("j1").submitted("demo", "alice", "stage-1", "stage-2"));

        JobView job = job("j1");
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.owner()).isEqualTo("alice");
        assertThat(job.stagesTotal()).isEqualTo(2);
        assertThat(job.progress()).isZero();
        assertThat(job.createdAt()).isEqualTo(EventLog.T0.plusSeconds(1));
        assertThat(job.startedAt()).isNull();
    }

    @Test
    void shouldFollowARunThroughStagesAndProgressToCompletion() {
        EventLog log = EventLog.of("j1").submittedDemo(2).started("w").stageStarted(1).progress(1, 30, "reading");
        pipe(log);
        JobView running = job("j1");
        assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.progress()).isEqualTo(30);
        assertThat(running.progressMessage()).isEqualTo("reading");
        assertThat(running.stage()).isEqualTo("stage-1");
        assertThat(running.stageNumber()).isEqualTo(1);
        assertThat(running.attempt()).isEqualTo(1);
        assertThat(running.startedAt()).isEqualTo(EventLog.T0.plusSeconds(2));

        EventLog rest = EventLog.of("j1").submittedDemo(2).started("w").stageStarted(1).progress(1, 30, "reading")
                .stageCompleted(1, null).stageStarted(2).progress(2, 90, "almost").stageCompleted(2, null)
                .completed("{\"answer\":42}", List.of(new FileRef("report.json", "jobs/j1/artifacts/report.json", 10L, "application/json")));
        pipeFrom(rest, 4);

        JobView done = job("j1");
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.progress()).isEqualTo(100);
        assertThat(done.resultJson()).isEqualTo("{\"answer\":42}");
        assertThat(done.artifacts()).singleElement().satisfies(a -> assertThat(a.name()).isEqualTo("report.json"));
        assertThat(done.completedAt()).isEqualTo(rest.last().getTimestamp());
        assertThat(done.stages()).extracting(StageView::completedAt).doesNotContainNull();
        assertThat(done.lastSequence()).isEqualTo(rest.last().getSequence());
    }

    @Test
    void shouldShowThePlanAWorkerDeclaresAsItGoesWithProgressOfTheNewTotal() {
        EventLog log = EventLog.of("j1").submittedDynamic("ingest", null, "prepare").started("w").stageStarted(1)
                .progress(1, 80, "listing files");
        pipe(log);
        assertThat(job("j1").hasDynamicStages()).isTrue();
        assertThat(job("j1").stagesTotal()).isEqualTo(1);

        pipeMore(log, l -> l.stageCompleted(1, "{}", List.of("chunk-1", "chunk-2", "chunk-3")).stageStarted(2));

        JobView replanned = job("j1");
        assertThat(replanned.stagesTotal()).isEqualTo(4);
        assertThat(replanned.stages()).extracting(StageView::number, StageView::name)
                .containsExactly(tuple(1, "prepare"), tuple(2, "chunk-1"), tuple(3, "chunk-2"), tuple(4, "chunk-3"));
        assertThat(replanned.stages().get(0).completedAt()).isNotNull();
        assertThat(replanned.stages().get(1).startedAt()).isNotNull();
        assertThat(replanned.progress()).as("1 of 4 stages, though the 1-stage plan was at 80%").isEqualTo(25);

        pipeMore(log, l -> l.stageCompleted(2, null, List.of("chunk-2")).stageStarted(3).stageCompleted(3, null)
                .completed("{}", List.of()));

        JobView done = job("j1");
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.stagesTotal()).isEqualTo(3);
        assertThat(done.stages()).extracting(StageView::name).containsExactly("prepare", "chunk-1", "chunk-2");
        assertThat(done.stages()).extracting(StageView::completedAt).doesNotContainNull();
        assertThat(done.progress()).isEqualTo(100);
    }

    @Test
    void shouldKeepTheDeclaredPlanWhenTheNextAttemptResumes() {
        EventLog log = EventLog.of("j1").submittedDynamic("ingest", null, "prepare").started("w").stageStarted(1)
                .stageCompleted(1, "{}", List.of("chunk-1", "chunk-2")).stageStarted(2);
        pipe(log);

        pipe(EventLog.of("j1").raw(new AttemptFailed("lost", 2, EventLog.T0.plusSeconds(60), false), 1, 6)
                .raw(new JobStarted("w2", 2, "{}"), 2, 7).raw(new StageStarted(2, "chunk-1"), 2, 8));

        JobView resumed = job("j1");
        assertThat(resumed.attempt()).isEqualTo(2);
        assertThat(resumed.stagesTotal()).isEqualTo(3);
        assertThat(resumed.progress()).isEqualTo(33);
        assertThat(resumed.stage()).isEqualTo("chunk-1");
    }

    @Test
    void shouldRecordTheErrorOfAFailedJob() {
        pipe(EventLog.of("j1").submittedDemo(2).started("w").stageStarted(1).failed("bad input on line 7", 1));

        JobView job = job("j1");
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error()).isEqualTo("bad input on line 7");
        assertThat(job.completedAt()).isNotNull();
    }

    @Test
    void shouldShowAFailedAttemptAsPendingWithItsRetryTimeAndKeepEveryAttemptsError() {
        Instant retryAt = EventLog.T0.plusSeconds(60);
        EventLog log = EventLog.of("j1").submittedDemo(2).started("w").stageStarted(1)
                .raw(new AttemptFailed("model timed out", 1, retryAt, false), 1, 4);
        pipe(log);

        JobView waiting = job("j1");
        assertThat(waiting.status()).isEqualTo(JobStatus.PENDING);
        assertThat(waiting.nextAttemptAt()).isEqualTo(retryAt);
        assertThat(waiting.errors()).extracting(AttemptError::attempt, AttemptError::error).containsExactly(tuple(1, "model timed out"));

        pipe(EventLog.of("j1").raw(new JobStarted("w", 1, null), 2, 5).raw(new StageStarted(1, "stage-1"), 2, 6)
                .raw(new JobFailed("model timed out again", 1, true, false), 2, 7));

        JobView failed = job("j1");
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.nextAttemptAt()).isNull();
        assertThat(failed.errors()).extracting(AttemptError::attempt, AttemptError::error)
                .containsExactly(tuple(1, "model timed out"), tuple(2, "model timed out again"));
    }

    @Test
    void shouldHoldADedupKeyOnlyWhileItsJobIsPendingOrRunning() {
        pipe(EventLog.of("j1").raw(new JobSubmitted("demo", "alice", "{}", List.of(), List.of("s"), null, null, null, "nightly", 0, null, null, false, null), 0, 1));
        pipe(EventLog.of("j2").raw(new JobSubmitted("demo", "alice", "{}", List.of(), List.of("s"), null, null, null, null, 0, null, null, false, null), 0, 1));

        assertThat(queries.activeJobWithDedupKey("demo", "nightly")).contains("j1");
        assertThat(queries.activeJobWithDedupKey("csv-report", "nightly")).isEmpty();

        pipe(EventLog.of("j1").raw(new JobCancelled(null, null), 0, 2));

        assertThat(queries.activeJobWithDedupKey("demo", "nightly")).isEmpty();
    }

    @Test
    void shouldShowACancelledJob() {
        pipe(EventLog.of("j1").submittedDemo(2).cancelled("user asked"));

        assertThat(job("j1").status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(job("j1").progressMessage()).contains("user asked");
    }

    @Test
    void shouldShowARetriedJobAsPendingAgainWithoutItsOldError() {
        pipe(EventLog.of("j1").submittedDemo(2).started("w").stageStarted(1).failed("boom", 1)
                .raw(new io.jobline.schemas.event.JobRetried("try again", "boom", "alice"), 1, 5));

        JobView job = job("j1");
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.error()).isNull();
        assertThat(job.completedAt()).isNull();
        assertThat(job.progressMessage()).contains("try again");
    }

    @Test
    void shouldIgnoreADuplicatedEvent() {
        EventLog log = EventLog.of("j1").submittedDemo(1).started("w").stageStarted(1).progress(1, 40, "forty");
        pipe(log);
        JobView before = job("j1");

        events.pipeInput("j1", log.events().get(1));
        events.pipeInput("j1", log.last());

        assertThat(job("j1")).isEqualTo(before);
        assertThat(queries.history("j1")).hasSize(4);
    }

    @Test
    void shouldIgnoreProgressFromAStaleAttempt() {
        EventLog log = EventLog.of("j1").submittedDemo(2).started("w1").stageStarted(1).stageCompleted(1, "{}")
                .started("w2").stageStarted(2).progress(2, 60, "live");
        pipe(log);

        events.pipeInput("j1", EventLog.of("j1").raw(new ProgressReported(1, 99, "zombie"), 1, 9).last());

        assertThat(job("j1").progress()).isEqualTo(60);
        assertThat(job("j1").progressMessage()).isEqualTo("live");
        assertThat(job("j1").attempt()).isEqualTo(2);
    }

    @Test
    void shouldIgnoreWorkReportedAfterATerminalEvent() {
        EventLog log = EventLog.of("j1").submittedDemo(2).started("w").cancelled(null);
        pipe(log);

        events.pipeInput("j1", EventLog.of("j1").raw(new StageStarted(1, "stage-1"), 1, 4).last());
        events.pipeInput("j1", EventLog.of("j1").raw(new ProgressReported(1, 50, "late"), 1, 5).last());

        assertThat(job("j1").status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(job("j1").progress()).isZero();
        assertThat(queries.history("j1")).hasSize(3);
    }

    @Test
    void shouldForgetADeletedJobAndItsHistory() {
        pipe(EventLog.of("j1").submittedDemo(1).ranToCompletion("w", "{}").deleted());
        pipe(EventLog.of("j2").submittedDemo(1));

        assertThat(queries.find("j1")).isEmpty();
        assertThat(queries.history("j1")).isEmpty();
        assertThat(queries.list(JobFilter.ALL, 50, 0).count()).isEqualTo(1);
    }

    @Test
    void shouldKeepEachJobsHistoryInSequenceOrder() {
        EventLog log = EventLog.of("j1").submittedDemo(2).ranToCompletion("w", "{}");
        pipe(log);
        pipe(EventLog.of("j10").submittedDemo(1));

        assertThat(queries.history("j1")).extracting(JobEvent::getSequence)
                .containsExactlyElementsOf(log.events().stream().map(JobEvent::getSequence).toList());
    }

    @Test
    void shouldListNewestFirstWithFiltersAndPaging() {
        for (int i = 1; i <= 5; i++) {
            EventLog log = EventLog.of("job-" + i).submitted(i % 2 == 0 ? "csv-report" : "demo", i <= 3 ? "alice" : "bob", "s");
            JobEvent submitted = log.last();
            submitted.setTimestamp(EventLog.T0.plusSeconds(i * 10));
            events.pipeInput(submitted.getJobId(), submitted);
        }

        assertThat(ids(queries.list(JobFilter.ALL, 50, 0))).containsExactly("job-5", "job-4", "job-3", "job-2", "job-1");
        assertThat(ids(queries.list(new JobFilter(null, "demo", null), 50, 0))).containsExactly("job-5", "job-3", "job-1");
        assertThat(ids(queries.list(new JobFilter(null, null, "alice"), 2, 1))).containsExactly("job-2", "job-1");
        assertThat(queries.list(new JobFilter(null, null, "alice"), 2, 1).count()).isEqualTo(3);
        assertThat(queries.list(new JobFilter(JobStatus.RUNNING, null, null), 50, 0).count()).isZero();
        assertThat(queries.list(JobFilter.ALL, 50, 10).jobs()).isEmpty();
        assertThat(queries.list(JobFilter.ALL, Integer.MAX_VALUE, 0).jobs()).as("retention lists everything").hasSize(5);
    }

    @Test
    void shouldPageThroughTheListingWithTheCursorOfEachPage() {
        for (int i = 1; i <= 5; i++) {
            EventLog log = EventLog.of("job-" + i).submitted("demo", i <= 3 ? "alice" : "bob", "s");
            JobEvent submitted = log.last();
            submitted.setTimestamp(EventLog.T0.plusSeconds(i * 10));
            events.pipeInput(submitted.getJobId(), submitted);
        }

        JobPage first = queries.list(JobFilter.ALL, 2, 0, null);
        JobPage second = queries.list(JobFilter.ALL, 2, 0, first.next());
        JobPage third = queries.list(JobFilter.ALL, 2, 0, second.next());

        assertThat(ids(first)).containsExactly("job-5", "job-4");
        assertThat(ids(second)).containsExactly("job-3", "job-2");
        assertThat(ids(third)).containsExactly("job-1");
        assertThat(third.next()).as("not full: the last page").isNull();
        assertThat(List.of(first.count(), second.count(), third.count())).containsOnly(5L);
        JobPage alice = queries.list(new JobFilter(null, null, "alice"), 1, 0, queries.list(new JobFilter(null, null, "alice"), 1, 0, null).next());
        assertThat(ids(alice)).containsExactly("job-2");
        assertThat(alice.count()).as("every match, not those after the cursor").isEqualTo(3);
    }

    @Test
    void shouldReadAJobsHistoryAPageAtATime() {
        pipe(EventLog.of("j1").submittedDemo(1).started("w").stageStarted(1).progress(1, 50, "half").stageCompleted(1, null));

        assertThat(queries.history("j1", 0, 2)).extracting(JobEvent::getSequence).containsExactly(1L, 2L);
        assertThat(queries.history("j1", 2, 2)).extracting(JobEvent::getSequence).containsExactly(3L, 4L);
        assertThat(queries.history("j1", 4, 2)).extracting(JobEvent::getSequence).containsExactly(5L);
        assertThat(queries.history("j1", 5, 2)).isEmpty();
    }

    @Test
    void shouldListAJobUnderItsCurrentStatusAndJobsCreatedTheSameMillisecondById() {
        EventLog b = EventLog.of("b").submittedDemo(1);
        EventLog a = EventLog.of("a").submittedDemo(1);
        pipe(b);
        pipe(a);
        assertThat(ids(queries.list(JobFilter.ALL, 50, 0))).containsExactly("a", "b");

        pipeMore(b, log -> log.started("w"));
        assertThat(ids(queries.list(new JobFilter(JobStatus.RUNNING, null, null), 50, 0))).containsExactly("b");
        assertThat(ids(queries.list(new JobFilter(JobStatus.PENDING, null, null), 50, 0))).containsExactly("a");

        pipeMore(b, log -> log.stageStarted(1).stageCompleted(1, null).completed("{}", List.of()));
        assertThat(queries.list(new JobFilter(JobStatus.RUNNING, null, null), 50, 0).jobs()).isEmpty();
        JobPage completed = queries.list(new JobFilter(JobStatus.COMPLETED, "demo", null), 50, 0);
        assertThat(ids(completed)).containsExactly("b");
        assertThat(completed.count()).isEqualTo(1);

        pipeMore(b, EventLog::deleted);
        assertThat(ids(queries.list(JobFilter.ALL, 50, 0))).containsExactly("a");
        assertThat(queries.list(JobFilter.ALL, 50, 0).count()).isEqualTo(1);
    }

    /** Stores of a version without the index: their jobs are indexed once, by a punctuation, not on every start. */
    @Test
    void shouldIndexTheJobsHeldBeforeTheIndexExistedOnce() {
        pipe(EventLog.of("old").submittedDemo(1));
        KeyValueStore<String, ListedJob> index = driver.getKeyValueStore(JobsTopology.INDEX_STORE);
        String key = JobsTopology.indexKey(job("old"));
        index.delete(key);
        assertThat(queries.list(JobFilter.ALL, 50, 0).jobs()).isEmpty();

        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertThat(ids(queries.list(JobFilter.ALL, 50, 0))).containsExactly("old");

        index.delete(key);
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertThat(queries.list(JobFilter.ALL, 50, 0).jobs()).as("indexed once only").isEmpty();
    }

    @Test
    void shouldTellTheListenerEachFoldWithTheJobBeforeAndAfterButNotAnIgnoredEvent() {
        EventLog log = EventLog.of("j1").submittedDemo(1).started("w").stageStarted(1).cancelled(null).deleted();
        pipe(log);
        events.pipeInput("j1", log.events().get(1));

        assertThat(folded).containsExactly("1:new>pending", "2:pending>running", "3:running>running",
                "4:running>cancelled", "5:cancelled>deleted");
    }

    @Test
    void shouldCountJobsByTypeAndStatusWithSuccessRateAndDuration() {
        pipe(EventLog.of("a").submittedDemo(1).ranToCompletion("w", "{}"));
        pipe(EventLog.of("b").submittedDemo(1).ranToCompletion("w", "{}"));
        pipe(EventLog.of("c").submittedDemo(1).started("w").failed("boom", 1));
        pipe(EventLog.of("d").submittedDemo(1));
        pipe(EventLog.of("e").submitted("csv-report", "bob", "analyze", "report"));
        pipe(EventLog.of("f").submittedDemo(1).ranToCompletion("w", "{}").deleted());

        java.util.Map<String, io.jobline.projections.stats.TypeStats> byType = new java.util.HashMap<>();
        queries.stats().forEach(s -> byType.put(s.type(), s));
        var demo = byType.get("demo");
        assertThat(demo.counts()).isEqualTo(java.util.Map.of("completed", 2L, "failed", 1L, "pending", 1L));
        assertThat(demo.successRate()).isEqualTo(2.0 / 3);
        assertThat(demo.averageDurationSeconds()).as("started at +2 s, completed at +6 s").isEqualTo(4.0);
        assertThat(byType.get("csv-report").counts()).isEqualTo(java.util.Map.of("pending", 1L));
        assertThat(byType.get("csv-report").successRate()).isNull();
    }

    @Test
    void shouldCountEachOwnersJobsApartWithoutChangingTheTypesCounts() {
        pipe(EventLog.of("a").submitted("demo", "alice", "s").ranToCompletion("w", "{}"));
        pipe(EventLog.of("b").submitted("demo", "alice", "s"));
        pipe(EventLog.of("c").submitted("demo", "bob", "s").started("w"));
        pipe(EventLog.of("d").submitted("csv-report", "bob", "analyze", "report"));
        pipe(EventLog.of("e").submitted("demo", "alice", "s").deleted());

        assertThat(queries.stats("alice")).singleElement().satisfies(demo -> {
            assertThat(demo.type()).isEqualTo("demo");
            assertThat(demo.counts()).isEqualTo(java.util.Map.of("completed", 1L, "pending", 1L));
        });
        assertThat(queries.stats("bob")).extracting(s -> s.type() + "=" + s.counts())
                .containsExactly("csv-report={pending=1}", "demo={running=1}");
        assertThat(queries.stats("carol")).isEmpty();
        assertThat(queries.stats()).extracting(s -> s.type() + "=" + s.total()).containsExactly("csv-report=1", "demo=3");
    }

    @Test
    void shouldCountTheBytesEachOwnersRetainedJobsWereUploadedWithUntilTheyAreDeleted() {
        pipe(EventLog.of("a").submittedWithFiles("csv-report", "alice",
                List.of(file("a", "x.csv", 1000), file("a", "y.csv", 24)), "analyze").ranToCompletion("w", "{}"));
        pipe(EventLog.of("b").submittedWithFiles("demo", "alice", List.of(file("b", "z.bin", 5000)), "s"));
        pipe(EventLog.of("c").submittedWithFiles("demo", "bob", List.of(file("c", "w.bin", 7)), "s"));
        pipe(EventLog.of("d").submittedWithFiles("demo", "alice", List.of(file("d", "gone.bin", 100_000)), "s").deleted());

        assertThat(queries.stats("alice")).extracting(s -> s.type() + "=" + s.uploadBytes())
                .containsExactlyInAnyOrder("csv-report=1024", "demo=5000");
        assertThat(queries.stats("bob")).extracting(io.jobline.projections.stats.TypeStats::uploadBytes).containsExactly(7L);
    }

    private static FileRef file(String jobId, String name, long size) {
        return new FileRef(name, "jobs/" + jobId + "/inputs/r/" + name, size, "application/octet-stream");
    }

    @Test
    void shouldCountPendingAndRunningJobsByTypeAndPriority() {
        pipe(EventLog.of("a").raw(submittedWithPriority("demo", 5), 0, 1));
        pipe(EventLog.of("b").raw(submittedWithPriority("demo", 5), 0, 1).started("w"));
        pipe(EventLog.of("c").raw(submittedWithPriority("demo", -3), 0, 1));
        pipe(EventLog.of("d").submittedDemo(1).started("w"));
        pipe(EventLog.of("e").submittedDemo(1).ranToCompletion("w", "{}"));
        pipe(EventLog.of("f").raw(submittedWithPriority("demo", 5), 0, 1).cancelled(null));
        pipe(EventLog.of("g").raw(submittedWithPriority("csv-report", 5), 0, 1).deleted());

        assertThat(queries.activeByPriority()).extracting(j -> j.type() + "@" + j.priority() + "=" + j.pending() + "/" + j.running())
                .containsExactlyInAnyOrder("demo@-3=1/0", "demo@0=0/1", "demo@5=1/1");
        assertThat(queries.stats()).as("the types' own counts are unchanged").extracting(s -> s.type() + "=" + s.total())
                .containsExactly("csv-report=0", "demo=6");
    }

    @Test
    void shouldCountTheActiveJobsHeldBeforeThePriorityCountsExistedOnce() {
        // A view an older version stored: the store has no priority counts yet.
        JobView old = io.jobline.projections.view.JobViewFold.apply(null,
                EventLog.of("old").raw(submittedWithPriority("demo", 7), 0, 1).last());
        driver.<String, JobView>getKeyValueStore(JobsTopology.JOBS_STORE).put("old", old);

        pipe(EventLog.of("new").raw(submittedWithPriority("demo", 7), 0, 1));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        pipe(EventLog.of("newer").raw(submittedWithPriority("demo", 7), 0, 1));

        assertThat(queries.activeByPriority()).extracting(j -> j.type() + "@" + j.priority() + "=" + j.pending())
                .as("counted once").containsExactly("demo@7=3");
    }

    private static JobSubmitted submittedWithPriority(String type, int priority) {
        return new JobSubmitted(type, "anonymous", "{}", List.of(), List.of("only"), null, null, null, null, priority,
                null, null, false, null);
    }

    @Test
    void shouldAddUpTheStatsOfEveryPartitionOfAType() {
        var a = io.jobline.projections.stats.TypeStats.empty("demo").apply(null, null);
        var first = new io.jobline.projections.stats.TypeStats("demo", java.util.Map.of("completed", 2L), 4000, 10);
        var second = new io.jobline.projections.stats.TypeStats("demo", java.util.Map.of("completed", 1L, "failed", 1L), 2000, 5);

        var sum = first.plus(second);

        assertThat(sum.counts()).isEqualTo(java.util.Map.of("completed", 3L, "failed", 1L));
        assertThat(sum.averageDurationSeconds()).isEqualTo(2.0);
        assertThat(sum.successRate()).isEqualTo(0.75);
        assertThat(sum.uploadBytes()).isEqualTo(15);
        assertThat(a.counts()).isEmpty();
    }

    private static List<String> ids(JobPage page) {
        return page.jobs().stream().map(JobView::jobId).toList();
    }

    private void pipe(EventLog log) {
        log.events().forEach(e -> events.pipeInput(e.getJobId(), e));
    }

    /** Adds events to {@code log} and pipes only those. */
    private void pipeMore(EventLog log, Consumer<EventLog> more) {
        int piped = log.events().size();
        more.accept(log);
        pipeFrom(log, piped);
    }

    private void pipeFrom(EventLog log, int fromIndex) {
        log.events().subList(fromIndex, log.events().size()).forEach(e -> events.pipeInput(e.getJobId(), e));
    }

    private JobView job(String id) {
        return queries.find(id).orElseThrow();
    }
}
