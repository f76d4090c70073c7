package io.jobline.api.live;

import java.time.Duration;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import io.jobline.api.access.Caller;
import io.jobline.api.problem.ApiException;
import io.jobline.api.status.JobIds;
import io.jobline.api.system.JoblineProperties;
import io.jobline.core.support.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The WebSocket protocol at /ws: {"subscribe": id}, {"subscribe": id, "after": seq}, {"subscribe": "*"},
 * {"unsubscribe": id}. Anything else gets an error message and the connection stays open. The session sees what the
 * handshake's caller may see: its own jobs (an admin's: all); another owner's job is an unknown one.
 */
@Component
class JobUpdatesWebSocketHandler extends TextWebSocketHandler {

    private static final String SUBSCRIBER = "subscriber";

    private final LiveHub hub;
    private final LiveSubscriptions subscriptions;
    private final LiveMessages messages;
    private final Duration sendTimeout;

    JobUpdatesWebSocketHandler(LiveHub hub, LiveSubscriptions subscriptions, LiveMessages messages,
                               JoblineProperties properties) {
        this.hub = hub;
        this.subscriptions = subscriptions;
        this.messages = messages;
        this.sendTimeout = properties.live().sendTimeout();
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        Caller caller = (Caller) session.getAttributes().get(CallerHandshakeInterceptor.CALLER);
        Subscriber subscriber = hub.newSubscriber(new WebSocketSink(session, sendTimeout), caller);
        if (session.getAttributes().get(ConnectionLimitInterceptor.SLOT) instanceof ConnectionLimits.Slot slot) {
            subscriber.onClose(slot::release);
        }
        session.getAttributes().put(SUBSCRIBER, subscriber);
        subscriber.send(messages.connection());
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        Subscriber subscriber = (Subscriber) session.getAttributes().get(SUBSCRIBER);
        JsonNode request;
        try {
            request = Json.parse(message.getPayload());
        } catch (JacksonException e) {
            subscriber.send(messages.error(null, "Not JSON: " + e.getOriginalMessage()));
            return;
        }
        if (request == null || !request.isObject()) {
            subscriber.send(messages.error(null, "Send a JSON object: {\"subscribe\": \"<job_id>\"}, {\"subscribe\": \"*\"} or {\"unsubscribe\": \"<job_id>\"}"));
            return;
        }
        try {
            if (request.has("subscribe")) {
                subscribe(subscriber, request);
            } else if (request.has("unsubscribe")) {
                subscriptions.unsubscribe(subscriber, jobIdOrAll(request.get("unsubscribe")));
            } else {
                subscriber.send(messages.error(null, "Unknown message; use 'subscribe' or 'unsubscribe'"));
            }
        } catch (ApiException e) {
            subscriber.send(messages.error(null, e.getMessage()));
        }
    }

    private void subscribe(Subscriber subscriber, JsonNode request) {
        String jobId = jobIdOrAll(request.get("subscribe"));
        JsonNode after = request.get("after");
        if (after != null && !after.isNull() && !(after.isIntegralNumber() && after.longValue() >= 0)) {
            throw ApiException.badRequest("'after' must be the last sequence number you saw (an integer >= 0)");
        }
        if ("*".equals(jobId)) {
            subscriptions.subscribeAll(subscriber, null, true);
        } else {
            subscriptions.subscribe(subscriber, jobId, after == null || after.isNull() ? null : after.longValue());
        }
    }

    private static String jobIdOrAll(JsonNode value) {
        if (value == null || !value.isString()) {
            throw ApiException.badRequest("A job id must be a string: a UUID, or \"*\" for every job");
        }
        return "*".equals(value.asString()) ? "*" : JobIds.require(value.asString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Subscriber subscriber = (Subscriber) session.getAttributes().get(SUBSCRIBER);
        if (subscriber != null) {
            subscriber.closeQuietly("closed");
        }
        // Also when the session never got its subscriber: releasing again does nothing.
        if (session.getAttributes().get(ConnectionLimitInterceptor.SLOT) instanceof ConnectionLimits.Slot slot) {
            slot.release();
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        afterConnectionClosed(session, CloseStatus.SERVER_ERROR);
    }
}
