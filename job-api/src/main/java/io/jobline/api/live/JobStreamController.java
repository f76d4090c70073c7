package io.jobline.api.live;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.jobline.api.access.Caller;
import io.jobline.api.problem.ApiException;
import io.jobline.api.status.JobLookup;
import io.jobline.api.system.JoblineProperties;

/**
 * Server-Sent Events with the WebSocket protocol's payloads; Last-Event-ID resumes where the client left off. A stream
 * carries the caller's own jobs only (an admin's: all).
 */
@RestController
class JobStreamController {

    private static final long TIMEOUT_MS = TimeUnit.HOURS.toMillis(1);

    private final LiveHub hub;
    private final LiveSubscriptions subscriptions;
    private final LiveMessages messages;
    private final JobLookup lookup;
    private final ConnectionLimits limits;
    private final Duration sendTimeout;

    JobStreamController(LiveHub hub, LiveSubscriptions subscriptions, LiveMessages messages, JobLookup lookup,
                        ConnectionLimits limits, JoblineProperties properties) {
        this.hub = hub;
        this.subscriptions = subscriptions;
        this.messages = messages;
        this.lookup = lookup;
        this.limits = limits;
        this.sendTimeout = properties.live().sendTimeout();
    }

    @GetMapping(path = "/api/jobs/{id}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter job(@PathVariable String id, @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
                   HttpServletRequest request, @AuthenticationPrincipal Caller caller) {
        String jobId = lookup.require(id, caller).jobId();
        Long after = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                after = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Last-Event-ID of a job stream is the job's sequence number");
            }
        }
        SseEmitter emitter = new SseEmitter(TIMEOUT_MS);
        Subscriber subscriber = register(emitter, true, request, caller);
        try {
            subscriptions.subscribe(subscriber, jobId, after);
        } catch (RuntimeException e) {
            subscriber.closeQuietly("subscribe failed");
            throw e;
        }
        return emitter;
    }

    @GetMapping(path = "/api/jobs/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter all(@RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
                   HttpServletRequest request, @AuthenticationPrincipal Caller caller) {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MS);
        Subscriber subscriber = register(emitter, false, request, caller);
        String after = lastEventId == null || lastEventId.isBlank() ? null : lastEventId.trim();
        try {
            if (!subscriptions.subscribeAll(subscriber, after, after == null)) {
                subscriber.send(messages.resync("Updates after " + after + " are no longer available; fetch /api/jobs again"));
            }
        } catch (RuntimeException e) {
            subscriber.closeQuietly("subscribe failed");
            throw e;
        }
        return emitter;
    }

    /**
     * Admits the stream under the connection limits (429 otherwise); its slot is released when it closes. A write
     * that blocks for the send timeout fails, which closes the stream.
     */
    private Subscriber register(SseEmitter emitter, boolean oneJob, HttpServletRequest request, Caller caller) {
        TomcatConnection connection = TomcatConnection.of(request);
        ConnectionLimits.Slot slot = limits.admit(connection != null ? connection.peerAddress() : request.getRemoteAddr());
        if (connection != null) {
            connection.setWriteTimeout(sendTimeout);
        }
        Subscriber subscriber = hub.newSubscriber(new SseSink(emitter, oneJob), caller);
        subscriber.onClose(slot::release);
        emitter.onCompletion(() -> subscriber.closeQuietly("completed"));
        emitter.onTimeout(() -> subscriber.closeQuietly("timed out"));
        emitter.onError(e -> subscriber.closeQuietly("error"));
        return subscriber;
    }
}
