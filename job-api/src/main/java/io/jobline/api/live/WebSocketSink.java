package io.jobline.api.live;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.websocket.RemoteEndpoint;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

/** A WebSocket session as a sink; a send that blocks longer than the send timeout fails and disconnects. */
final class WebSocketSink implements Sink {

    private final WebSocketSession session;
    private final ReentrantLock writing = new ReentrantLock();

    WebSocketSink(WebSocketSession session, Duration sendTimeout) {
        this.session = session;
        if (session instanceof StandardWebSocketSession standard && standard.getNativeSession() != null) {
            standard.getNativeSession().getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", sendTimeout.toMillis());
        }
    }

    @Override
    public void send(LiveMessage message) throws IOException {
        writing.lock();
        try {
            session.sendMessage(new TextMessage(message.json()));
        } finally {
            writing.unlock();
        }
    }

    /** Frames batched in the container's buffer and flushed once: one write instead of one per message. */
    @Override
    public void send(List<LiveMessage> messages) throws IOException {
        if (messages.size() == 1 || !(session instanceof StandardWebSocketSession standard) || standard.getNativeSession() == null) {
            Sink.super.send(messages);
            return;
        }
        RemoteEndpoint.Basic remote = standard.getNativeSession().getBasicRemote();
        writing.lock();
        try {
            remote.setBatchingAllowed(true);
            for (LiveMessage message : messages) {
                remote.sendText(message.json());
            }
            remote.flushBatch();
        } finally {
            remote.setBatchingAllowed(false);
            writing.unlock();
        }
    }

    @Override
    public void heartbeat() throws IOException {
        if (writing.tryLock()) {
            try {
                session.sendMessage(new PingMessage(ByteBuffer.allocate(0)));
            } finally {
                writing.unlock();
            }
        }
    }

    @Override
    public void close(String reason) {
        try {
            session.close(CloseStatus.POLICY_VIOLATION.withReason(reason.length() > 120 ? reason.substring(0, 120) : reason));
        } catch (IOException | RuntimeException e) {
            // already gone
        }
    }
}
