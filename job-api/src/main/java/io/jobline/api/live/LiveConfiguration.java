package io.jobline.api.live;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * The WebSocket endpoint /ws, admitted under the connection limits with its caller, and the open push connections as
 * a metric. Origins are checked before the handshake gets here, with the access rules (AllowedOrigins), so Spring's
 * own check lets every origin through.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class LiveConfiguration implements WebSocketConfigurer {

    private final JobUpdatesWebSocketHandler handler;
    private final ConnectionLimitInterceptor limits;
    private final CallerHandshakeInterceptor callers;

    LiveConfiguration(JobUpdatesWebSocketHandler handler, ConnectionLimitInterceptor limits, CallerHandshakeInterceptor callers) {
        this.handler = handler;
        this.limits = limits;
        this.callers = callers;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/ws").addInterceptors(callers, limits).setAllowedOriginPatterns("*");
    }

    /** At /actuator/metrics/jobline.live.connections: how close the service is to jobline.live.max-connections. */
    @Bean
    MeterBinder liveConnectionsMetric(ConnectionLimits connections) {
        return registry -> Gauge.builder("jobline.live.connections", connections, ConnectionLimits::openConnections)
                .description("Open WebSocket and SSE connections")
                .register(registry);
    }

    /** Push clients disconnected for not keeping up (slow), or all at once because the hub fell behind (overloaded). */
    @Bean
    MeterBinder droppedLiveClientsMetric(LiveHub hub) {
        return registry -> {
            FunctionCounter.builder("jobline.live.clients.dropped", hub, LiveHub::droppedSlowClients)
                    .description("Push clients disconnected by the service").tag("reason", "slow").register(registry);
            FunctionCounter.builder("jobline.live.clients.dropped", hub, LiveHub::droppedOverloadedClients)
                    .description("Push clients disconnected by the service").tag("reason", "overloaded").register(registry);
        };
    }
}
