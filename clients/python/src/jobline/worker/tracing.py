"""Continues a job's trace in the worker.

The service hands each attempt the job's W3C trace context (``traceparent``, when it traces). The worker sends it
back with the attempt's calls, so they join the job's trace. Where OpenTelemetry is installed (``pip install
jobline[otel]`` and an SDK set up by the application), each stage also becomes a span of that trace, and the calls
made during the stage name it as their parent.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

try:
    from opentelemetry import trace
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
except ImportError:  # OpenTelemetry is optional
    trace = None

if TYPE_CHECKING:
    from .attempt import Attempt


@contextmanager
def stage_span(attempt: "Attempt", number: int, name: str) -> Iterator[None]:
    handed = attempt.job.get("traceparent")
    if trace is None or not handed:
        yield
        return
    propagator = TraceContextTextMapPropagator()
    parent = propagator.extract({"traceparent": handed})
    tracer = trace.get_tracer("jobline.worker")
    with tracer.start_as_current_span(f"stage {name}", context=parent, kind=trace.SpanKind.CONSUMER) as span:
        span.set_attribute("jobline.job_id", attempt.job_id)
        span.set_attribute("jobline.attempt", attempt.number)
        span.set_attribute("jobline.stage", number)
        carrier: dict[str, str] = {}
        propagator.inject(carrier)
        attempt.api.trace(attempt.job_id, attempt.number, carrier.get("traceparent", handed))
        try:
            yield
        finally:
            attempt.api.trace(attempt.job_id, attempt.number, handed)
