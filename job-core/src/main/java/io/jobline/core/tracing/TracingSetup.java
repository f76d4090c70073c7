package io.jobline.core.tracing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns tracing on when an OTLP endpoint is configured, with the standard OpenTelemetry settings (the {@code OTEL_*}
 * variables, or the same names as properties: {@code otel.exporter.otlp.endpoint}, ...), and leaves it off
 * otherwise. Only traces are exported (metrics and logs have their own ways here).
 */
public final class TracingSetup implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TracingSetup.class);

    /** The settings passed on from the application's configuration besides the environment the SDK reads itself. */
    static final List<String> SETTINGS = List.of("otel.sdk.disabled", "otel.service.name", "otel.resource.attributes",
            "otel.traces.exporter", "otel.traces.sampler", "otel.traces.sampler.arg", "otel.propagators",
            "otel.exporter.otlp.endpoint", "otel.exporter.otlp.traces.endpoint", "otel.exporter.otlp.protocol",
            "otel.exporter.otlp.traces.protocol", "otel.exporter.otlp.headers", "otel.exporter.otlp.traces.headers",
            "otel.exporter.otlp.timeout", "otel.exporter.otlp.compression", "otel.exporter.otlp.certificate",
            "otel.bsp.schedule.delay", "otel.bsp.max.queue.size", "otel.bsp.max.export.batch.size");

    private final OpenTelemetrySdk sdk;
    private final TraceIdsInLogs logs;

    private TracingSetup(OpenTelemetrySdk sdk, TraceIdsInLogs logs) {
        this.sdk = sdk;
        this.logs = logs;
    }

    /**
     * Installs an SDK when {@code setting} (a name of {@link #SETTINGS} to its value, or null) names an OTLP endpoint
     * or a traces exporter; empty when tracing stays off.
     */
    public static Optional<TracingSetup> start(Function<String, String> setting, String serviceName) {
        Map<String, String> given = new HashMap<>();
        for (String name : SETTINGS) {
            String value = setting.apply(name);
            if (value != null && !value.isBlank()) {
                given.put(name, value.trim());
            }
        }
        String exporter = given.getOrDefault("otel.traces.exporter", "");
        boolean wanted = given.containsKey("otel.exporter.otlp.endpoint") || given.containsKey("otel.exporter.otlp.traces.endpoint")
                || (!exporter.isEmpty() && !exporter.equals("none"));
        if (!wanted || "true".equalsIgnoreCase(given.get("otel.sdk.disabled"))) {
            return Optional.empty();
        }
        Map<String, String> defaults = new HashMap<>(Map.of("otel.metrics.exporter", "none", "otel.logs.exporter", "none",
                "otel.service.name", serviceName));
        defaults.putAll(given);
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .disableShutdownHook()
                .build().getOpenTelemetrySdk();
        JobTracing.install(sdk);
        log.info("Tracing on: spans go to {}", given.getOrDefault("otel.exporter.otlp.traces.endpoint",
                given.getOrDefault("otel.exporter.otlp.endpoint", "the " + exporter + " exporter")));
        return Optional.of(new TracingSetup(sdk, logback() ? TraceIdsInLogs.install() : null));
    }

    private static boolean logback() {
        try {
            Class.forName("ch.qos.logback.classic.LoggerContext", false, TracingSetup.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Exports what is left and stops tracing. */
    @Override
    public void close() {
        if (logs != null) {
            logs.uninstall();
        }
        JobTracing.uninstall(sdk);
        sdk.close();
    }
}
