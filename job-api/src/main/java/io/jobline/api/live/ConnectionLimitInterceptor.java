package io.jobline.api.live;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import io.jobline.api.problem.ApiException;
import io.jobline.api.problem.ProblemResponses;

/**
 * Admits a WebSocket handshake only under the connection limits. Over them it answers 429 problem+json with
 * Retry-After, and no upgrade happens: the client learns why from the status, and the refusal costs no WebSocket
 * session. An admitted handshake passes its slot to the session, which releases it when it closes; a handshake that
 * fails after admission (no valid upgrade request) releases it here.
 */
@Component
class ConnectionLimitInterceptor implements HandshakeInterceptor {

    /** The session attribute (and, until the handshake ends, the request attribute) that holds the slot. */
    static final String SLOT = ConnectionLimits.Slot.class.getName();

    private final ConnectionLimits limits;

    ConnectionLimitInterceptor(ConnectionLimits limits) {
        this.limits = limits;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) throws IOException {
        HttpServletRequest servletRequest = ((ServletServerHttpRequest) request).getServletRequest();
        try {
            ConnectionLimits.Slot slot = limits.admit(TomcatConnection.peerAddress(servletRequest));
            attributes.put(SLOT, slot);
            servletRequest.setAttribute(SLOT, slot);
            return true;
        } catch (ApiException e) {
            ProblemResponses.write(((ServletServerHttpResponse) response).getServletResponse(), e, servletRequest.getRequestURI());
            return false;
        }
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
        HttpServletResponse servletResponse = ((ServletServerHttpResponse) response).getServletResponse();
        if (exception != null || servletResponse.getStatus() != HttpStatus.SWITCHING_PROTOCOLS.value()) {
            Object slot = ((ServletServerHttpRequest) request).getServletRequest().getAttribute(SLOT);
            if (slot instanceof ConnectionLimits.Slot admitted) {
                admitted.release();
            }
        }
    }
}
