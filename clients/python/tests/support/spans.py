"""The Python side's spans, kept in memory: one tracer provider for the whole test session (OpenTelemetry allows
one per process)."""
from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

EXPORTER = InMemorySpanExporter()
_provider = TracerProvider()
_provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
trace.set_tracer_provider(_provider)


def hex_trace(span) -> str:
    return format(span.context.trace_id, "032x")


def hex_span(span) -> str:
    return format(span.context.span_id, "016x")
