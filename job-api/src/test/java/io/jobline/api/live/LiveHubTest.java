package io.jobline.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobline.api.system.JoblineProperties;
import tools.jackson.databind.json.JsonMapper;

/** The hub's part in shutdown: push connections end before the web server waits for open requests. */
class LiveHubTest {

    @Test
    void shouldCloseEveryPushConnectionWhenStopped() throws Exception {
        LiveHub hub = new LiveHub(new LiveMessages(JsonMapper.builder().build()),
                new JoblineProperties(null, null, null, null, new JoblineProperties.Live(10), null));
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
