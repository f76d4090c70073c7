package io.jobline.core.tracing;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How a job's work is traced (OpenTelemetry): a span for each request, decision, attempt and stage, all in the trace
 * the job was submitted in. The trace context travels as a W3C {@code traceparent} in the Kafka headers of commands,
 * events and offers, in the decider's state of the job, and to external workers in their tasks and reports.
 *
 * <p>Tracing is process-wide, as OpenTelemetry's own instrumentation is: {@link #install} puts an SDK in place at
 * start ({@link TracingSetup}, when an OTLP endpoint is configured). Until then every span is a no-op, nothing is
 * written to headers, and the cost is a few method calls.
 */
public final class JobTracing {

    public static final String HEADER = "traceparent";

    private static final OpenTelemetry OFF = OpenTelemetry.noop();
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static volatile OpenTelemetry openTelemetry = OFF;
    private static volatile Tracer tracer = OFF.getTracer("io.jobline");

    private JobTracing() {
    }

    /** Traces with {@code sdk} from now on. */
    public static synchronized void install(OpenTelemetry sdk) {
        openTelemetry = sdk;
        tracer = sdk.getTracer("io.jobline");
    }

    /** Stops tracing, if {@code sdk} is the one installed (a later one stays). */
    public static synchronized void uninstall(OpenTelemetry sdk) {
        if (openTelemetry == sdk) {
            install(OFF);
        }
    }

    public static boolean enabled() {
        return openTelemetry != OFF;
    }

    /** A span, started as a child of {@code parent} (of nothing: a new trace). */
    public static Span start(String name, SpanKind kind, Context parent) {
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent == null ? Context.root() : parent).startSpan();
    }

    /** The W3C traceparent of the span current on this thread; null when there is none (or tracing is off). */
    public static String currentTraceparent() {
        return traceparent(Context.current());
    }

    public static String traceparent(Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return null;
        }
        String[] value = new String[1];
        W3C.inject(context, value, (carrier, key, v) -> {
            if (HEADER.equals(key)) {
                carrier[0] = v;
            }
        });
        return value[0];
    }

    /** The context a W3C traceparent names; the root context for null or a malformed one. */
    public static Context fromTraceparent(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3C.extract(Context.root(), Map.of(HEADER, traceparent.trim()), MAP);
    }

    /** The context in the headers of a Kafka record, or else {@code fallback}'s. */
    public static Context fromHeaders(Headers headers, String fallback) {
        Header header = headers == null ? null : headers.lastHeader(HEADER);
        Context found = header == null ? Context.root() : fromTraceparent(new String(header.value(), StandardCharsets.UTF_8));
        return Span.fromContext(found).getSpanContext().isValid() ? found : fromTraceparent(fallback);
    }

    /** Writes the current span's traceparent into {@code headers}, if there is one. */
    public static void injectCurrent(Headers headers) {
        inject(currentTraceparent(), headers);
    }

    public static void inject(String traceparent, Headers headers) {
        if (traceparent != null) {
            headers.remove(HEADER);
            headers.add(HEADER, traceparent.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

}
