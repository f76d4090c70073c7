package io.jobline.api.live;

import java.util.Map;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import io.jobline.api.access.Callers;

/** Keeps the handshake's caller with the WebSocket session: what its subscriptions may see. */
@Component
class CallerHandshakeInterceptor implements HandshakeInterceptor {

    static final String CALLER = CallerHandshakeInterceptor.class.getName() + ".caller";

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) {
        attributes.put(CALLER, Callers.current());
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
    }
}
