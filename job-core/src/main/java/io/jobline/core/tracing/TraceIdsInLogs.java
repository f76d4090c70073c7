package io.jobline.core.tracing;

import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * While tracing is on, every log line written inside a span carries its {@code trace_id} and {@code span_id} in the
 * logging context (MDC), so the lines of one job's trace can be found from the trace and the other way round. A
 * logback turbo filter sets them just before a line is made, from the span current on that thread; it is installed
 * only with tracing, so a service without tracing pays nothing.
 */
final class TraceIdsInLogs extends TurboFilter {

    static final String TRACE_ID = "trace_id";
    static final String SPAN_ID = "span_id";

    /** Installs the filter when logback is the logging backend; returns it, or null. */
    static TraceIdsInLogs install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return null;
        }
        TraceIdsInLogs filter = new TraceIdsInLogs();
        filter.setName("jobline-trace-ids");
        filter.start();
        context.addTurboFilter(filter);
        return filter;
    }

    void uninstall() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getTurboFilterList().remove(this);
        }
        stop();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // Only for a line that will be written (the effective level, not isEnabledFor, which would call this again).
        if (level != null && logger != null && level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            SpanContext span = Span.current().getSpanContext();
            if (span.isValid()) {
                put(TRACE_ID, span.getTraceId());
                put(SPAN_ID, span.getSpanId());
            } else if (MDC.get(TRACE_ID) != null) {
                MDC.remove(TRACE_ID);
                MDC.remove(SPAN_ID);
            }
        }
        return FilterReply.NEUTRAL;
    }

    private static void put(String key, String value) {
        if (!value.equals(MDC.get(key))) {
            MDC.put(key, value);
        }
    }
}
