package io.jobline.api.live;

import java.io.IOException;

/** Where a subscriber's messages go: a WebSocket session or an SSE response. */
interface Sink {

    void send(LiveMessage message) throws IOException;

    /** A keep-alive that also finds dead connections. */
    void heartbeat() throws IOException;

    void close(String reason);
}
