"""One trace from a submit through the service and a Python worker: the service (started by the tests with an OTLP
endpoint) hands the worker the job's trace, the worker's stage is a span of it, and the service's span of the
worker's report is a child of that stage span."""
from __future__ import annotations

import threading

import pytest

import jobline
from tests.support.spans import EXPORTER, hex_span, hex_trace
from tests.support.waiting import wait_until

TRACE = "0af7651916cd43dd8448eb211c80319c"


def test_a_python_workers_stage_is_a_span_of_the_jobs_trace_and_its_report_continues_it(service_url, otlp_receiver):
    if otlp_receiver is None:
        pytest.skip("JOBLINE_URL points at a service these tests did not start with an OTLP endpoint")
    url, receiver = service_url, otlp_receiver
    EXPORTER.clear()
    worker = jobline.Worker(url, poll_wait_ms=2000)
    worker.add_job_type("traced-py", {"only": lambda ctx: {"done": True}})
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        assert worker.ready.wait(30)
        with jobline.Client(url, headers={"traceparent": f"00-{TRACE}-b7ad6b7169203331-01"}) as client:
            job_id = client.submit("traced-py", {})["job_id"]
            wait_until(lambda: client.get(job_id)["status"] == "completed", timeout=60, message="the job completed")
    finally:
        worker.stop("test over")
        thread.join(10)

    stage = next(span for span in EXPORTER.get_finished_spans() if span.name == "stage only")
    assert hex_trace(stage) == TRACE
    wait_until(lambda: any(name.endswith("/complete") and parent == hex_span(stage)
                           for _, _, parent, name in receiver.spans), timeout=20,
               message="the service's span of the worker's report, child of the Python stage span")
    names = {name for trace, _, _, name in receiver.spans if trace == TRACE}
    assert {"POST /api/jobs", "decide SubmitJob", "decide StartJob", "decide CompleteJob"} <= names
