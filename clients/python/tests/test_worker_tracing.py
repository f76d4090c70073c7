"""A worker continues the job's trace: the attempt's calls carry a traceparent, and with OpenTelemetry set up each
stage is a span of the job's trace that the calls made during it name as their parent."""
from __future__ import annotations

import json

import httpx

from jobline.worker.attempt import Attempt
from jobline.worker.job_type import job_type_of
from jobline.worker.protocol import WorkerApi
from jobline.worker.runner import run_attempt
from tests.support.spans import EXPORTER as _exporter

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
HANDED = f"00-{TRACE}-00f067aa0ba902b7-01"


def _recording_api(calls: list[tuple[str, str | None]]) -> WorkerApi:
    def answer(request: httpx.Request) -> httpx.Response:
        calls.append((request.url.path, request.headers.get("traceparent")))
        if request.url.path.endswith("/heartbeat"):
            return httpx.Response(200, json={"cancel_requested": False, "lease_expires_at": "2026-12-01T10:00:30Z"})
        return httpx.Response(200, json={"next_stage": None, "status": "completed"})
    api = WorkerApi("http://jobline.test")
    api._http = httpx.Client(base_url="http://jobline.test", transport=httpx.MockTransport(answer))
    return api


def _job(traceparent: str | None) -> dict:
    return {"job_id": "j1", "type": "traced", "attempt": 1, "input": {}, "stages": ["one", "two"], "first_stage": 1,
            "checkpoint": None, "heartbeat_interval_ms": 60000, "traceparent": traceparent}


def test_each_stage_is_a_span_of_the_jobs_trace_and_the_calls_it_makes_name_it_as_their_parent():
    _exporter.clear()
    calls: list[tuple[str, str | None]] = []
    api = _recording_api(calls)
    job_type = job_type_of("traced", {"one": lambda ctx: {"n": 1}, "two": lambda ctx: {"n": 2}}, None, {})

    run_attempt(Attempt(api, _job(HANDED)), job_type, "w")

    stages = [span for span in _exporter.get_finished_spans() if span.name.startswith("stage ")]
    assert [span.name for span in stages] == ["stage one", "stage two"]
    assert all(format(span.context.trace_id, "032x") == TRACE for span in stages)
    assert all(format(span.parent.span_id, "016x") == "00f067aa0ba902b7" for span in stages)
    reports = [(path.rsplit("/", 1)[-1], header) for path, header in calls if not path.endswith("/heartbeat")]
    assert reports == [("complete", f"00-{TRACE}-{format(stages[0].context.span_id, '016x')}-01"),
                       ("complete", f"00-{TRACE}-{format(stages[1].context.span_id, '016x')}-01")]
    assert api._traceparents == {}, "forgotten once the attempt ended"


def test_without_a_trace_handed_out_no_header_is_sent_and_no_span_made():
    _exporter.clear()
    calls: list[tuple[str, str | None]] = []
    api = _recording_api(calls)
    job_type = job_type_of("traced", {"one": lambda ctx: {}, "two": lambda ctx: {}}, None, {})

    run_attempt(Attempt(api, _job(None)), job_type, "w")

    assert calls and all(header is None for _, header in calls)
    assert _exporter.get_finished_spans() == ()
