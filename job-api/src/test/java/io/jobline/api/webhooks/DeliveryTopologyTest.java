package io.jobline.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jobline.api.webhooks.DeliveryTopology.Send;
import io.jobline.api.webhooks.DeliveryTopology.Target;
import io.jobline.api.webhooks.WebhookJob.Delivery;
import io.jobline.core.support.Json;
import io.jobline.core.testing.EventLog;
import io.jobline.core.testing.TempFolders;
import io.jobline.schemas.common.Notify;
import io.jobline.schemas.event.JobEvent;
import io.jobline.schemas.event.JobStarted;
import io.jobline.schemas.event.JobSubmitted;
import io.jobline.schemas.event.ProgressReported;
import io.jobline.schemas.event.StageCompleted;
import io.jobline.schemas.event.StageStarted;
import io.jobline.schemas.registry.SchemaRegistry;
import io.jobline.schemas.topic.JobTopics;
import io.jobline.schemas.webhook.WebhookAttempt;

class DeliveryTopologyTest {

    private static final List<Duration> DELAYS = List.of(Duration.ofSeconds(5), Duration.ofSeconds(60));
    private final JobTopics topics = new JobTopics(SchemaRegistry.forUrl(null));
    private final List<Send> sent = new ArrayList<>();
    /** owner → subscriptions (id, url, kinds, types). */
    private final Map<String, List<Subscription>> subscriptions = new HashMap<>();
    private boolean capacity = true;
    private TopologyTestDriver driver;
    private TestInputTopic<String, JobEvent> events;
    private TestInputTopic<String, WebhookAttempt> attempts;
    private KeyValueStore<String, WebhookJob> jobs;

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "webhooks-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, TempFolders.create("webhooks-test").toString());
        DeliveryTopology.Subscribers subscribers = new DeliveryTopology.Subscribers() {
            @Override
            public boolean any(String owner, String type) {
                return subscriptions.getOrDefault(owner, List.of()).stream().anyMatch(s -> s.covers(type));
            }

            @Override
            public List<Target> matching(String owner, String type, String kind, Instant submittedAt) {
                return subscriptions.getOrDefault(owner, List.of()).stream()
                        .filter(s -> s.covers(type) && s.events().contains(kind)
                                && (submittedAt == null || !s.createdAt().isAfter(submittedAt)))
                        .map(s -> new Target(s.id(), s.url())).toList();
            }
        };
        DeliveryTopology.Dispatcher dispatcher = new DeliveryTopology.Dispatcher() {
            @Override
            public boolean hasCapacity() {
                return capacity;
            }

            @Override
            public void dispatch(Send send) {
                sent.add(send);
            }
        };
        DeliveryTopology.Schedule schedule = new DeliveryTopology.Schedule(DELAYS, Duration.ofDays(1), Duration.ofSeconds(30));
        driver = new TopologyTestDriver(DeliveryTopology.build(topics, subscribers, dispatcher, schedule), props,
                EventLog.T0.plusSeconds(10));
        events = driver.createInputTopic(JobTopics.EVENTS, topics.events().keySerde().serializer(),
                topics.events().valueSerde().serializer());
        attempts = driver.createInputTopic(JobTopics.WEBHOOK_ATTEMPTS, topics.webhookAttempts().keySerde().serializer(),
                topics.webhookAttempts().valueSerde().serializer());
        jobs = driver.getKeyValueStore(DeliveryTopology.JOBS_STORE);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private static EventLog submittedWithNotify(String jobId, String owner, String url, String... kinds) {
        return EventLog.of(jobId).raw(new JobSubmitted("demo", owner, "{}", List.of(), List.of("one", "two"), null, null,
                null, null, 0, null, null, false, new Notify(url, List.of(kinds))), 0, 1);
    }

    /** Started, its first stage started, half done and completed. */
    private static EventLog withStages(EventLog submitted) {
        return submitted.raw(new JobStarted("w", 1, null), 1, 2).raw(new StageStarted(1, "one"), 1, 3)
                .raw(new ProgressReported(1, 50, "half"), 1, 4).raw(new StageCompleted(1, "one", null, null), 1, 5);
    }

    private void pipe(EventLog log) {
        log.events().forEach(e -> events.pipeInput(e.getJobId(), e));
    }

    private void tried(Send send, Integer status, boolean delivered, Instant at) {
        attempts.pipeInput(send.jobId(), new WebhookAttempt(send.deliveryId(), send.jobId(), send.attempt(), at, send.url(),
                status, delivered ? null : "HTTP " + status, 12L, delivered));
    }

    private Instant wallClock() {
        return EventLog.T0.plusSeconds(10).plusMillis(advanced);
    }

    private long advanced;

    private void advance(Duration by) {
        advanced += by.toMillis();
        driver.advanceWallClockTime(by);
    }

    @Test
    void shouldSendATerminalEventToTheJobsOwnWebhookAtOnceWithTheSameIdForTheSameEvent() {
        EventLog log = withStages(submittedWithNotify("j1", "alice", "https://hooks.example.com/a", "terminal"))
                .completed("{\"n\":1}", List.of());
        pipe(log);

        assertThat(sent).singleElement().satisfies(send -> {
            assertThat(send.jobId()).isEqualTo("j1");
            assertThat(send.owner()).isEqualTo("alice");
            assertThat(send.url()).isEqualTo("https://hooks.example.com/a");
            assertThat(send.eventType()).isEqualTo("job.completed");
            assertThat(send.attempt()).isEqualTo(1);
            assertThat(send.deliveryId()).isEqualTo(DeliveryTopology.deliveryId(log.last().getEventId(), null));
            var body = Json.parse(send.body());
            assertThat(body.get("type").asString()).isEqualTo("job.completed");
            assertThat(body.get("data").get("job_id").asString()).isEqualTo("j1");
            assertThat(body.get("data").get("job_type").asString()).isEqualTo("demo");
            assertThat(body.get("data").get("result").get("n").asInt()).isEqualTo(1);
        });

        events.pipeInput("j1", log.last()); // the same event read again, as after a crash before a commit
        assertThat(sent).hasSize(1);
        assertThat(jobs.get("j1").deliveries()).hasSize(1);
    }

    @Test
    void shouldRetryAFailedTryWhenItsDelayHasPassedAndFailForGoodAfterTheLast() {
        pipe(submittedWithNotify("j1", "alice", "https://hooks.example.com/a", "terminal").failed("boom", 0));
        Send first = sent.get(0);

        tried(first, 500, false, wallClock());
        advance(Duration.ofSeconds(4));
        assertThat(sent).as("not before its 5 s delay").hasSize(1);
        advance(Duration.ofSeconds(2));
        assertThat(sent).hasSize(2);
        Send second = sent.get(1);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.deliveryId()).isEqualTo(first.deliveryId());
        assertThat(second.body()).isEqualTo(first.body());

        tried(second, 503, false, wallClock());
        advance(Duration.ofSeconds(61));
        assertThat(sent).hasSize(3);
        tried(sent.get(2), 500, false, wallClock());
        advance(Duration.ofHours(1));

        assertThat(sent).as("two delays: three tries in all").hasSize(3);
        Delivery delivery = jobs.get("j1").deliveries().get(0);
        assertThat(delivery.status()).isEqualTo(Delivery.Status.FAILED);
        assertThat(delivery.nextAttemptAt()).isNull();
        assertThat(delivery.attempts()).extracting(WebhookJob.Attempt::attempt, WebhookJob.Attempt::statusCode)
                .containsExactly(tuple(1, 500), tuple(2, 503), tuple(3, 500));
    }

    @Test
    void shouldStopOnceDeliveredAndIgnoreARepeatedTry() {
        pipe(submittedWithNotify("j1", "alice", "https://hooks.example.com/a", "terminal").cancelled("no longer needed"));
        Send first = sent.get(0);

        tried(first, 204, true, wallClock());
        tried(first, 204, true, wallClock()); // the sender's record written twice
        advance(Duration.ofMinutes(10));

        assertThat(sent).hasSize(1);
        Delivery delivery = jobs.get("j1").deliveries().get(0);
        assertThat(delivery.status()).isEqualTo(Delivery.Status.DELIVERED);
        assertThat(delivery.attempts()).hasSize(1);
        assertThat(driver.<String, String>getKeyValueStore(DeliveryTopology.DUE_STORE).approximateNumEntries()).isZero();
    }

    @Test
    void shouldTryAgainATryWhoseOutcomeNeverCameBackOnceItCountsAsLost() {
        pipe(submittedWithNotify("j1", "alice", "https://hooks.example.com/a", "terminal").completed("{}", List.of()));

        advance(Duration.ofSeconds(20));
        assertThat(sent).as("still under way").hasSize(1);
        advance(Duration.ofSeconds(15));
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).attempt()).as("nothing was recorded: the same try again").isEqualTo(1);
    }

    @Test
    void shouldSendOnlyTheKindsTheDestinationAskedFor() {
        pipe(withStages(submittedWithNotify("j1", "alice", "https://hooks.example.com/a", "stage", "progress"))
                .completed("{}", List.of()));

        assertThat(sent).extracting(Send::eventType)
                .containsExactly("job.stage_started", "job.progress", "job.stage_completed");
    }

    @Test
    void shouldSendToTheOwnersSubscriptionsForTheTypesTheyName() {
        subscriptions.put("alice", List.of(
                new Subscription("s1", "alice", "https://a.example.com/all", List.of("terminal"), List.of(), Instant.EPOCH, "alice"),
                new Subscription("s2", "alice", "https://a.example.com/csv", List.of("terminal"), List.of("csv-report"), Instant.EPOCH, "alice")));
        pipe(EventLog.of("j1").submitted("demo", "alice", "one").completed("{}", List.of()));
        pipe(EventLog.of("j2").submitted("demo", "bob", "one").completed("{}", List.of()));

        assertThat(sent).singleElement().satisfies(send -> {
            assertThat(send.jobId()).isEqualTo("j1");
            assertThat(send.url()).isEqualTo("https://a.example.com/all");
        });
        assertThat(jobs.get("j1").deliveries().get(0).subscription()).isEqualTo("s1");
        assertThat(jobs.get("j2")).as("bob has no subscription and the job no notify: nothing kept").isNull();
    }

    @Test
    void shouldNotSendToASubscriptionMadeAfterTheJobWasSubmitted() {
        pipe(submittedWithNotify("j1", "alice", "https://hooks.example.com/own", "terminal"));
        subscriptions.put("alice", List.of(new Subscription("s-late", "alice", "https://a.example.com/late", List.of("terminal"),
                List.of(), EventLog.T0.plusSeconds(30), "alice")));
        events.pipeInput("j1", EventLog.of("j1").raw(new io.jobline.schemas.event.JobCancelled("stop", "alice"), 0, 2).last());

        assertThat(sent).extracting(Send::url).containsExactly("https://hooks.example.com/own");
    }

    @Test
    void shouldKeepADueDeliveryUntilTheSenderHasRoom() {
        capacity = false;
        pipe(submittedWithNotify("j1", "alice", "https://hooks.example.com/a", "terminal").completed("{}", List.of()));
        advance(Duration.ofSeconds(1));
        assertThat(sent).isEmpty();

        capacity = true;
        advance(Duration.ofMillis(300));

        assertThat(sent).hasSize(1);
    }

    @Test
    void shouldNotSendEventsOlderThanTheLifetime() {
        advance(Duration.ofDays(2));
        pipe(submittedWithNotify("j1", "alice", "https://hooks.example.com/a", "terminal").completed("{}", List.of()));

        assertThat(sent).isEmpty();
    }

    @Test
    void shouldForgetADeletedJobAndItsPendingDeliveries() {
        EventLog log = submittedWithNotify("j1", "alice", "https://hooks.example.com/a", "terminal").completed("{}", List.of());
        pipe(log);
        tried(sent.get(0), 500, false, wallClock());

        events.pipeInput("j1", log.deleted().last());
        advance(Duration.ofMinutes(5));

        assertThat(jobs.get("j1")).isNull();
        assertThat(sent).hasSize(1);
    }
}
