package io.jobline.api.live;

import java.io.IOException;

/** Where a subscriber's messages go: a WebSocket session or an SSE response. */
interface Sink {

    void send(LiveMessage message) throws IOException;

    /** Several messages in order; a sink that can writes them with one flush. */
    default void send(java.util.List<LiveMessage> messages) throws IOException {
        for (LiveMessage message : messages) {
            send(message);
        }
    }

    /** A keep-alive that also finds dead connections. */
    void heartbeat() throws IOException;

    void close(String reason);
}
