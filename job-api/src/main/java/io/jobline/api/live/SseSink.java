package io.jobline.api.live;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A Server-Sent Events response as a sink. Each event is named after the message type and carries an id: the
 * job's sequence number on a one-job stream, the stream position on the all-jobs stream, so a reconnecting
 * EventSource sends it back as Last-Event-ID.
 */
final class SseSink implements Sink {

    private final SseEmitter emitter;
    private final boolean oneJob;

    SseSink(SseEmitter emitter, boolean oneJob) {
        this.emitter = emitter;
        this.oneJob = oneJob;
    }

    @Override
    public synchronized void send(LiveMessage message) throws IOException {
        emitter.send(event(message));
    }

    /** Several events written with one flush, as the WebSocket sink batches its frames. */
    @Override
    public synchronized void send(List<LiveMessage> messages) throws IOException {
        Set<DataWithMediaType> parts = new LinkedHashSet<>();
        for (LiveMessage message : messages) {
            parts.addAll(event(message).build());
        }
        emitter.send(parts);
    }

    private SseEmitter.SseEventBuilder event(LiveMessage message) {
        SseEmitter.SseEventBuilder event = SseEmitter.event().name(message.type()).data(message.json(), MediaType.APPLICATION_JSON);
        String id = oneJob ? (message.seq() > 0 ? Long.toString(message.seq()) : null) : message.streamId();
        if (id != null) {
            event.id(id);
        }
        return event;
    }

    @Override
    public synchronized void heartbeat() throws IOException {
        emitter.send(SseEmitter.event().comment("keep-alive"));
    }

    @Override
    public void close(String reason) {
        try {
            emitter.complete();
        } catch (IllegalStateException e) {
            // The connection failed first (the client left): Tomcat refuses to complete an errored async request.
        }
    }
}
