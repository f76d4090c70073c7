package io.jobline.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.jobline.api.system.JoblineProperties;
import io.jobline.core.testing.EventLog;
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
            hub.follow(hub.newSubscriber(signal), "job-3");
            hub.folded(EventLog.of("job-2").deleted().last(), null);
            hub.folded(EventLog.of("job-3").deleted().last(), null);

            await().atMost(Duration.ofSeconds(5)).until(() -> signal.sent.size() == 1);

            RecordingSink back = new RecordingSink();
            assertThat(hub.followAll(hub.newSubscriber(back), lastSeen)).isTrue();
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
            hub.follow(hub.newSubscriber(follower), "job-2");
            hub.folded(EventLog.of("job-2").deleted().last(), null);
            await().atMost(Duration.ofSeconds(5)).until(() -> follower.sent.size() == 1);

            RecordingSink back = new RecordingSink();
            assertThat(hub.followAll(hub.newSubscriber(back), lastSeen)).isFalse();
            assertThat(back.sent).isEmpty();
            assertThat(follower.sent).extracting(LiveMessage::jobId).containsExactly("job-2");
        } finally {
            hub.destroy();
        }
    }

    /** An every-job client that sees one update and disconnects; returns the stream id it would resume after. */
    private static String followEveryJobForOneUpdateAndLeave(LiveHub hub) {
        RecordingSink sink = new RecordingSink();
        Subscriber away = hub.newSubscriber(sink);
        hub.followAll(away, null);
        hub.folded(EventLog.of("job-1").deleted().last(), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.sent.size() == 1);
        hub.remove(away);
        return sink.sent.get(0).streamId();
    }

    private LiveHub hub() {
        LiveHub hub = new LiveHub(new LiveMessages(JsonMapper.builder().build()),
                new JoblineProperties(null, null, null, null, new JoblineProperties.Live(10, 100, 10, Duration.ofSeconds(5)), null, null, null, null), nanos::get);
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
                new JoblineProperties(null, null, null, null, new JoblineProperties.Live(10, 100, 10, Duration.ofSeconds(5)), null, null, null, null));
        try {
            hub.start();
            ClosingSink stream = new ClosingSink();
            ClosingSink socket = new ClosingSink();
            hub.followAll(hub.newSubscriber(stream), null);
            hub.follow(hub.newSubscriber(socket), "job-1");

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
