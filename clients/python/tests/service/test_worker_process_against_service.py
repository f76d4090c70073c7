"""Python worker processes against the real service: 20 jobs end to end, then one whose worker is SIGKILLed
mid-stage resumes on another worker from its last checkpoint, and the killed attempt's late calls are refused."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from tests.support.waiting import wait_until

pytestmark = pytest.mark.usefixtures("worker_protocol")

WORKER = Path(__file__).resolve().parents[1] / "support" / "pipeline_worker_process.py"


def _start_worker(service_url: str, type_name: str, worker_id: str, log: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2] / "src"))
    return subprocess.Popen([sys.executable, str(WORKER), service_url, type_name, worker_id],
                            stdout=log.open("w"), stderr=subprocess.STDOUT, env=env)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_killed_worker_process_loses_nothing_its_job_resumes_from_the_checkpoint(client, service_url, tmp_path):
    type_name = f"pipeline-{uuid.uuid4().hex[:8]}"
    first = _start_worker(service_url, type_name, "py-worker-1", tmp_path / "worker-1.log")
    second = None
    try:
        wait_until(lambda: client.job_type(type_name) if _declared(service_url, type_name) else None, timeout=30,
                   message="the worker declared its type")
        ids = [client.submit(type_name, {"start": i})["job_id"] for i in range(20)]
        for i, job_id in enumerate(ids):
            job = client.wait(job_id, timeout=60)
            assert job["status"] == "completed", job.get("errors")
            assert client.result(job_id)["result"] == {"total": (i + 1) * 10 + 5, "attempt": 1}

        slow = client.submit(type_name, {"start": 4, "slow": True})["job_id"]
        wait_until(lambda: client.get(slow)["stage_number"] == 2 and client.get(slow)["progress"] > 33,
                   timeout=30, message="stage two of the slow job is running")
        first.kill()
        first.wait(10)
        second = _start_worker(service_url, type_name, "py-worker-2", tmp_path / "worker-2.log")

        job = client.wait(slow, timeout=60)

        assert job["status"] == "completed", job.get("errors")
        assert client.result(slow)["result"] == {"total": 55, "attempt": 2}
        events = client.events(slow)["events"]
        starts = [e for e in events if e["type"] == "JobStarted"]
        assert [s["data"]["worker_id"] for s in starts] == ["py-worker-1", "py-worker-2"]
        assert starts[1]["data"]["first_stage"] == 2, "resumed after the completed stage"
        assert starts[1]["data"]["checkpoint"] == {"n": 5}
        late = httpx.post(f"{service_url}/api/jobs/{slow}/attempts/1/stages/2/complete", json={"checkpoint": {"n": 0}})
        assert late.status_code == 409
        assert late.json()["reason"] == "superseded"
    finally:
        _stop(first)
        if second is not None:
            _stop(second)


def _declared(service_url: str, type_name: str) -> bool:
    return httpx.get(f"{service_url}/api/job-types/{type_name}", timeout=5).status_code == 200
