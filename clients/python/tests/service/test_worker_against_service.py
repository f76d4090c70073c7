"""A Python worker against the real service. Skipped until the service serves the worker protocol."""
from __future__ import annotations

import threading
import time
import uuid

import pytest

import jobline
from tests.support.waiting import wait_until

pytestmark = pytest.mark.usefixtures("worker_protocol")


def _type_name(label: str) -> str:
    return f"pysdk-{label}-{uuid.uuid4().hex[:8]}"


class _Running:
    def __init__(self, worker: jobline.Worker, concurrency: int = 1):
        self.worker = worker
        self.thread = threading.Thread(target=worker.run, kwargs={"concurrency": concurrency}, daemon=True)
        self.thread.start()
        assert worker.ready.wait(30), "the worker declared its types and polls"

    def stop(self) -> None:
        self.worker.stop("test over")
        self.thread.join(10)
        assert not self.thread.is_alive()


@pytest.fixture
def running_workers():
    started: list[_Running] = []

    def start(worker: jobline.Worker, concurrency: int = 1) -> _Running:
        running = _Running(worker, concurrency)
        started.append(running)
        return running
    yield start
    for running in started:
        if running.thread.is_alive():
            running.stop()


def _worker(service_url: str) -> jobline.Worker:
    return jobline.Worker(service_url, poll_wait_ms=2000)


def test_a_declared_type_runs_on_a_python_worker_with_checkpoints_progress_and_an_artifact(
        client, service_url, running_workers):
    name = _type_name("triple")
    worker = _worker(service_url)

    @worker.job_type(name, stages=["one", "two", "three"], options={"max_attempts": 1})
    class Triple:
        def one(self, ctx):
            ctx.progress(0.5, "halfway through one")
            return {"n": ctx.input["start"] + 1}

        def two(self, ctx):
            return {"n": ctx.checkpoint["n"] * 10}

        def three(self, ctx):
            ctx.upload_artifact("total.txt", str(ctx.checkpoint["n"] + 5).encode(), "text/plain")
            return {"total": ctx.checkpoint["n"] + 5}

    running_workers(worker)
    job_id = client.submit(name, {"start": 1})["job_id"]

    job = client.wait(job_id, timeout=60)

    assert job["status"] == "completed", job.get("errors")
    assert client.result(job_id)["result"] == {"total": 25}
    assert client.artifact(job_id, "total.txt") == b"25"
    assert [s["name"] for s in job["stages"]] == ["one", "two", "three"]


def test_cancel_reaches_the_stage_of_a_python_worker(client, service_url, running_workers):
    name = _type_name("cancel")
    worker = _worker(service_url)
    stopped = threading.Event()

    @worker.job_type(name)
    def endless(ctx):
        try:
            while True:
                ctx.progress(0.1, "working")
                time.sleep(0.05)  # simulated work
        except jobline.JobCancelled:
            stopped.set()
            raise

    running_workers(worker)
    job_id = client.submit(name)["job_id"]
    wait_until(lambda: client.get(job_id)["status"] == "running", timeout=30, message="the job running")

    client.cancel(job_id)

    assert client.wait(job_id, timeout=60)["status"] == "cancelled"
    assert stopped.wait(30), "the stage saw JobCancelled"


def test_a_job_released_at_shutdown_resumes_on_another_worker_after_its_last_completed_stage(
        client, service_url, running_workers):
    name = _type_name("resume")
    stage_two_started = threading.Event()
    ran: list = []

    def make_worker() -> jobline.Worker:
        worker = _worker(service_url)

        def one(ctx):
            ran.append(("one", ctx.attempt))
            return {"from": "one"}

        def two(ctx):
            ran.append(("two", ctx.attempt, ctx.checkpoint))
            stage_two_started.set()
            if len(ran) < 3:  # the first worker's stage two runs until the worker stops
                while True:
                    ctx.progress(0.2)
                    time.sleep(0.05)  # simulated work
            return {"done": True}
        worker.add_job_type(name, {"one": one, "two": two})
        return worker

    first = running_workers(make_worker())
    job_id = client.submit(name)["job_id"]
    assert stage_two_started.wait(30)
    first.stop()
    running_workers(make_worker())

    job = client.wait(job_id, timeout=60)

    assert job["status"] == "completed", job.get("errors")
    assert ran[0] == ("one", 1) and ran[1] == ("two", 1, {"from": "one"})
    assert ran[2][0] == "two" and ran[2][2] == {"from": "one"} and ran[2][1] > 1


def test_a_python_worker_declares_stages_as_it_goes_and_the_job_shows_them(client, service_url, running_workers):
    name = _type_name("dynamic")
    worker = _worker(service_url)

    @worker.job_type(name, stages=["prepare"], dynamic_stages=True, options={"max_attempts": 1})
    class Ingest:
        def prepare(self, ctx):
            ctx.set_next_stages([f"file-{n}" for n in range(1, ctx.input["files"] + 1)])
            return {"sizes": []}

        def any_stage(self, ctx):
            return {"sizes": ctx.checkpoint["sizes"] + [len(ctx.stage.name)]}

    running_workers(worker)
    assert client.job_type(name)["dynamic_stages"] is True
    job_id = client.submit(name, {"files": 2})["job_id"]

    job = client.wait(job_id, timeout=60)

    assert job["status"] == "completed", job.get("errors")
    assert client.result(job_id)["result"] == {"sizes": [6, 6]}
    assert job["stages_total"] == 3
    assert [s["name"] for s in job["stages"]] == ["prepare", "file-1", "file-2"]
    assert all(s["completed_at"] for s in job["stages"])


def test_a_plan_declared_as_it_goes_is_kept_when_another_worker_resumes_the_job(client, service_url, running_workers):
    name = _type_name("dynamic-resume")
    second_part_started = threading.Event()
    ran: list = []

    def make_worker() -> jobline.Worker:
        worker = _worker(service_url)

        def split(ctx):
            ran.append(("split", ctx.attempt))
            ctx.set_next_stages(["part-1", "part-2"])
            return {"parts": 2}

        def part(ctx):
            ran.append((ctx.stage.name, ctx.attempt, list(ctx.stages)))
            if ctx.stage.name == "part-2" and ctx.attempt == 1:  # runs until the first worker stops
                second_part_started.set()
                while True:
                    ctx.progress(0.2)
                    time.sleep(0.05)  # simulated work
            return {"parts": ctx.checkpoint["parts"]}
        worker.add_job_type(name, {"split": split, "*": part}, dynamic_stages=True)
        return worker

    first = running_workers(make_worker())
    job_id = client.submit(name)["job_id"]
    assert second_part_started.wait(30)
    first.stop()
    running_workers(make_worker())

    job = client.wait(job_id, timeout=60)

    assert job["status"] == "completed", job.get("errors")
    assert ran[:2] == [("split", 1), ("part-1", 1, ["split", "part-1", "part-2"])]
    assert ran[-1][0] == "part-2" and ran[-1][1] > 1 and ran[-1][2] == ["split", "part-1", "part-2"]
    assert [s["name"] for s in job["stages"]] == ["split", "part-1", "part-2"]
