package io.jobline.api.system;

import java.util.Optional;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.jobline.core.tracing.TracingSetup;

/**
 * Turns tracing on at start when an OTLP endpoint is configured ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, or the
 * property {@code otel.exporter.otlp.endpoint}), and exports what is left at shutdown.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration implements DisposableBean {

    private final Optional<TracingSetup> tracing;

    TracingConfiguration(Environment environment) {
        this.tracing = TracingSetup.start(environment::getProperty,
                environment.getProperty("spring.application.name", "jobline"));
    }

    @Override
    public void destroy() {
        tracing.ifPresent(TracingSetup::close);
    }
}
