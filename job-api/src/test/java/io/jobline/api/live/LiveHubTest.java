package io.jobline.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.jobline.api.access.Caller;
import io.jobline.api.access.Scope;
import io.jobline.api.system.JoblineProperties;
import io.jobline.core.testing.EventLog;
import io.jobline.projections.view.JobView;
import io.jobline.projections.view.JobViewFold;
import io.jobline.schemas.event.JobEvent;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hub's part in shutdown (push connections end before the web server waits for open requests), and the window
 * that lets an every-job stream resume.
 */
class LiveHubTest {

    private final AtomicLong nanos = new AtomicLong();

    @Test
    void shouldResumeAnEveryJobStreamThatWasAwayForLessThanTheGracePeriod() throws Exception {
        LiveHub hub = hub();
        try {
            String lastSeen = followEveryJobForOneUpdateAndLeave(hub);

            nanos.addAndGet(LiveHub.RECENT_KEPT_WITHOUT_CLIENTS.toNanos() - 1);
            RecordingSink signal = new RecordingSink();
            hub.follow(hub.newSubscriber(signal, Caller.localAdmin()), "job-3");
            hub.folded(EventLog.of("job-2").deleted().last(), null);
            hub.folded(EventLog.of("job-3").deleted().last(), null);

            await().atMost(Duration.ofSeconds(5)).until(() -> signal.sent.size() == 1);

            RecordingSink back = new RecordingSink();
            assertThat(hub.followAll(hub.newSubscriber(back, Caller.localAdmin()), lastSeen)).isTrue();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(back.sent).extracting(LiveMessage::jobId).containsExactly("job-2", "job-3"));
        } finally {
            hub.destroy();
        }
    }

    @Test
    void shouldAskAnEveryJobStreamToRefetchWhenNobodyFollowedEveryJobForLongerThanTheGracePeriod() throws Exception {
        LiveHub hub = hub();
        try {
            String lastSeen = followEveryJobForOneUpdateAndLeave(hub);

            nanos.addAndGet(LiveHub.RECENT_KEPT_WITHOUT_CLIENTS.toNanos() + 1);
            RecordingSink follower = new RecordingSink();
            hub.follow(hub.newSubscriber(follower, Caller.localAdmin()), "job-2");
            hub.folded(EventLog.of("job-2").deleted().last(), null);
            await().atMost(Duration.ofSeconds(5)).until(() -> follower.sent.size() == 1);

            RecordingSink back = new RecordingSink();
            assertThat(hub.followAll(hub.newSubscriber(back, Caller.localAdmin()), lastSeen)).isFalse();
            assertThat(back.sent).isEmpty();
            assertThat(follower.sent).extracting(LiveMessage::jobId).containsExactly("job-2");
        } finally {
            hub.destroy();
        }
    }

    @Test
    void shouldSendAnEveryJobClientOnlyItsCallersJobsAndDeletionsOfUnknownOwnersToAdminsOnly() {
        LiveHub hub = hub();
        try {
            RecordingSink alice = new RecordingSink();
            RecordingSink admin = new RecordingSink();
            hub.followAll(hub.newSubscriber(alice, caller("alice")), null);
            hub.followAll(hub.newSubscriber(admin, Caller.localAdmin()), null);

            fold(hub, EventLog.of("job-a").submitted("demo", "alice", "s1"));
            fold(hub, EventLog.of("job-b").submitted("demo", "bob", "s1"));
            hub.folded(EventLog.of("job-a").submitted("demo", "alice", "s1").deleted().last(), null);
            hub.folded(EventLog.of("job-c").deleted().last(), null);

            await().atMost(Duration.ofSeconds(5)).until(() -> admin.sent.size() == 4);
            assertThat(admin.sent).extracting(LiveMessage::jobId).containsExactly("job-a", "job-b", "job-a", "job-c");
            assertThat(alice.sent).extracting(LiveMessage::jobId).as("her job, and its deletion: never bob's, nor a "
                    + "deletion of a job whose owner is not known").containsExactly("job-a", "job-a");
        } finally {
            hub.destroy();
        }
    }

    private static void fold(LiveHub hub, EventLog log) {
        JobView view = null;
        for (JobEvent event : log.events()) {
            view = JobViewFold.apply(view, event);
            hub.folded(event, view);
        }
    }

    private static Caller caller(String owner) {
        return new Caller(owner, EnumSet.of(Scope.JOBS_READ), Set.of(), "0123456789abcdef", null);
    }

    /** An every-job client that sees one update and disconnects; returns the stream id it would resume after. */
    private static String followEveryJobForOneUpdateAndLeave(LiveHub hub) {
        RecordingSink sink = new RecordingSink();
        Subscriber away = hub.newSubscriber(sink, Caller.localAdmin());
        hub.followAll(away, null);
        hub.folded(EventLog.of("job-1").deleted().last(), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.sent.size() == 1);
        hub.remove(away);
        return sink.sent.get(0).streamId();
    }

    private LiveHub hub() {
        LiveHub hub = new LiveHub(new LiveMessages(JsonMapper.builder().build()),
                new JoblineProperties(null, null, null, null, new JoblineProperties.Live(10, 100, 10, Duration.ofSeconds(5)), null, null, null, null, null, null, null), nanos::get);
        hub.start();
        return hub;
    }

    private static final class RecordingSink implements Sink {
        final List<LiveMessage> sent = new CopyOnWriteArrayList<>();

        @Override
        public void send(LiveMessage message) {
            sent.add(message);
        }

        @Override
        public void send(List<LiveMessage> messages) {
            sent.addAll(messages);
        }

        @Override
        public void heartbeat() {
        }

        @Override
        public void close(String reason) {
        }
    }

    @Test
    void shouldCloseEveryPushConnectionWhenStopped() throws Exception {
        LiveHub hub = new LiveHub(new LiveMessages(JsonMapper.builder().build()),
                new JoblineProperties(null, null, null, null, new JoblineProperties.Live(10, 100, 10, Duration.ofSeconds(5)), null, null, null, null, null, null, null));
        try {
            hub.start();
            ClosingSink stream = new ClosingSink();
            ClosingSink socket = new ClosingSink();
            hub.followAll(hub.newSubscriber(stream, Caller.localAdmin()), null);
            hub.follow(hub.newSubscriber(socket, Caller.localAdmin()), "job-1");

            hub.stop();

            assertThat(hub.isRunning()).isFalse();
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.closedWith != null && socket.closedWith != null);
            assertThat(List.of(stream.closedWith, socket.closedWith)).containsOnly("server shutting down");
        } finally {
            hub.destroy();
        }
    }

    private static final class ClosingSink implements Sink {
        volatile String closedWith;

        @Override
        public void send(LiveMessage message) {
        }

        @Override
        public void heartbeat() {
        }

        @Override
        public void close(String reason) {
            closedWith = reason;
        }
    }
}
