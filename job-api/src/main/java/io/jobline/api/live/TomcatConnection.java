package io.jobline.api.live;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.RequestFacade;
import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Tomcat connection a request came on, for what the Servlet API does not reach: its peer address, and the write
 * timeout of that one connection. Tomcat's request hides them behind non-public members, which are read here and
 * nowhere else.
 *
 * <p>Where forwarded headers are applied ({@code server.forward-headers-strategy}, which Spring Boot turns on by
 * itself on Kubernetes and other cloud platforms), {@code getRemoteAddr()} is taken from X-Forwarded-For whenever
 * the peer looks like a proxy (any private or loopback address): a client in such a network, or behind a load
 * balancer that rewrites the source address, writes it itself. The peer address is the TCP connection's.
 *
 * <p>A stream is written on a live-sender thread with Tomcat's blocking write. When the client stops reading, that
 * write waits until the socket has taken nothing for the connection's write timeout; then it fails with
 * SocketTimeoutException and Tomcat closes the connection. Every connection starts with the connector's connection
 * timeout there (60 s), and neither the Servlet API nor Spring can change it for one response: a stream's
 * {@code SseEmitter} timeout is the async request's lifetime, and completing the emitter from another thread waits
 * for the same lock as the blocked write. The WebSocket sink has Tomcat's {@code BLOCKING_SEND_TIMEOUT} instead.
 *
 * <p>The timeout stays with the connection, also for any request that follows on it (an EventSource reconnecting on
 * a kept-alive connection); a bound on a write that makes no progress at all does no harm there.
 *
 * <p>Where the connection cannot be reached (another container, Tomcat internals that changed; for the write timeout,
 * also an HTTP/2 stream) this logs once, and the connector's timeout and {@code getRemoteAddr()} apply; LiveLimitsIT
 * then fails.
 */
final class TomcatConnection {

    private static final Logger log = LoggerFactory.getLogger(TomcatConnection.class);
    private static final AtomicBoolean warned = new AtomicBoolean();

    private static final Field FACADE_REQUEST;
    private static final Field COYOTE_HOOK;
    private static final Method SOCKET_WRAPPER;

    static {
        Field facadeRequest = null;
        Field coyoteHook = null;
        Method socketWrapper = null;
        try {
            facadeRequest = RequestFacade.class.getDeclaredField("request");
            facadeRequest.setAccessible(true);
            coyoteHook = org.apache.coyote.Request.class.getDeclaredField("hook");
            coyoteHook.setAccessible(true);
            socketWrapper = AbstractProcessor.class.getDeclaredMethod("getSocketWrapper");
            socketWrapper.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            warn("Tomcat's request does not have the expected members (" + e + ")");
        }
        FACADE_REQUEST = facadeRequest;
        COYOTE_HOOK = coyoteHook;
        SOCKET_WRAPPER = socketWrapper;
    }

    private final Request request;

    private TomcatConnection(Request request) {
        this.request = request;
    }

    /** @return the connection of {@code request}, or null where it cannot be reached */
    static TomcatConnection of(ServletRequest request) {
        if (FACADE_REQUEST == null) {
            return null;
        }
        ServletRequest unwrapped = request;
        while (unwrapped instanceof ServletRequestWrapper wrapper) {
            unwrapped = wrapper.getRequest();
        }
        if (!(unwrapped instanceof RequestFacade facade)) {
            warn("the request is not Tomcat's but " + unwrapped.getClass().getName());
            return null;
        }
        try {
            return new TomcatConnection((Request) FACADE_REQUEST.get(facade));
        } catch (ReflectiveOperationException | RuntimeException e) {
            warn("Tomcat's request could not be read (" + e + ")");
            return null;
        }
    }

    /** The address of the connection's other end, whatever X-Forwarded-For says; else {@code getRemoteAddr()}. */
    static String peerAddress(ServletRequest request) {
        TomcatConnection connection = of(request);
        return connection != null ? connection.peerAddress() : request.getRemoteAddr();
    }

    String peerAddress() {
        return request.getPeerAddr();
    }

    /**
     * Sets how long a blocking write on this connection may wait for the client to take data.
     *
     * @return whether it was set; if not, the connector's own timeout applies
     */
    boolean setWriteTimeout(Duration timeout) {
        try {
            // Only an HTTP/1.1 connection belongs to this one response; an HTTP/2 connection carries other streams.
            if (!(COYOTE_HOOK.get(request.getCoyoteRequest()) instanceof Http11Processor processor)) {
                warn("the request is not served over HTTP/1.1");
                return false;
            }
            SocketWrapperBase<?> socket = (SocketWrapperBase<?>) SOCKET_WRAPPER.invoke(processor);
            socket.setWriteTimeout(timeout.toMillis());
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            warn("Tomcat's request could not be read (" + e + ")");
            return false;
        }
    }

    private static void warn(String why) {
        if (warned.compareAndSet(false, true)) {
            log.warn("Cannot reach a request's Tomcat connection ({}): SSE writes are bounded by the connector's "
                    + "connection timeout, not jobline.live.send-timeout, and push connections count by getRemoteAddr()", why);
        }
    }
}
