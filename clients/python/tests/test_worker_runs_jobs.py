"""A worker against the fake server: declaring, running stages in order, resuming, reporting results and files."""
from __future__ import annotations

import asyncio
import os
import socket
import threading

import pytest

import jobline
from jobline.worker import default_worker_id


def test_a_three_stage_job_runs_end_to_end_handing_each_checkpoint_to_the_next_stage(fake, new_worker, start_worker):
    worker = new_worker()
    seen = []

    @worker.job_type("triple", stages=["one", "two", "three"])
    class Triple:
        def one(self, ctx):
            seen.append((ctx.stage, ctx.checkpoint))
            return {"n": ctx.input["start"] + 1}

        def two(self, ctx):
            seen.append((ctx.stage, ctx.checkpoint))
            return {"n": ctx.checkpoint["n"] * 10}

        def three(self, ctx):
            seen.append((ctx.stage, ctx.checkpoint))
            return {"total": ctx.checkpoint["n"] + 5}

    start_worker(worker)
    job_id = fake.submit("triple", {"start": 1})

    fake.wait_for(lambda: fake.jobs[job_id].status == "completed", message="the job completed")
    assert fake.job(job_id).result == {"total": 25}
    assert seen == [((1, "one"), None), ((2, "two"), {"n": 2}), ((3, "three"), {"n": 20})]
    reports = [(c.kind, c.stage, c.body) for c in fake.calls_of(job_id, kinds=("stage_complete", "complete"))]
    assert reports == [("stage_complete", 1, {"checkpoint": {"n": 2}}),
                       ("stage_complete", 2, {"checkpoint": {"n": 20}}),
                       ("complete", None, {"result": {"total": 25}})]
    assert all(call.status == 200 for call in fake.calls_of(job_id))


def test_a_job_handed_out_at_stage_two_skips_stage_one_and_starts_from_the_checkpoint(fake, new_worker, start_worker):
    worker = new_worker()
    ran = []
    worker.add_job_type("resumable", {
        "one": lambda ctx: ran.append("one") or {"n": 1},
        "two": lambda ctx: ran.append(("two", ctx.attempt, ctx.checkpoint)) or {"n": ctx.checkpoint["n"] * 10},
        "three": lambda ctx: ran.append("three") or {"total": ctx.checkpoint["n"] + 5},
    })
    start_worker(worker)
    job_id = fake.submit("resumable", completed_stages=1, checkpoint={"n": 7})

    fake.wait_for(lambda: fake.jobs[job_id].status == "completed", message="the job completed")
    assert ran == [("two", 2, {"n": 7}), "three"]
    assert fake.job(job_id).result == {"total": 75}
    assert [c.stage for c in fake.calls_of(job_id, kinds=["stage_complete"])] == [2]


def test_the_worker_declares_each_type_with_its_policy_before_it_polls(fake, new_worker, start_worker):
    worker = new_worker()

    @worker.job_type("declared", stages=["fetch", "crunch-numbers"], description="Numbers",
                     input_schema={"type": "object", "required": ["a"]}, options={"max_attempts": 2},
                     dedup_key="/a", concurrency_limit=3)
    class Declared:
        def fetch(self, ctx):
            return None

        def crunch_numbers(self, ctx):
            return None

    start_worker(worker)

    assert fake.types["declared"].body == {
        "stages": ["fetch", "crunch-numbers"], "description": "Numbers",
        "input_schema": {"type": "object", "required": ["a"]}, "options": {"max_attempts": 2},
        "dedup_key": "/a", "concurrency_limit": 3}
    assert [call.status for call in fake.calls_of(kinds=["declare"])] == [201]
    assert worker.declared["declared"]["version"] == 1


def test_a_stage_reads_the_jobs_files_and_uploads_artifacts_that_the_completed_job_keeps(
        fake, new_worker, start_worker, tmp_path):
    worker = new_worker()
    report = tmp_path / "report.json"
    report.write_bytes(b'{"ok": true}')

    @worker.job_type("files")
    def copy(ctx):
        data = ctx.files["in.txt"].read()
        saved = ctx.files["in.txt"].save(tmp_path)
        ctx.upload_artifact("upper.txt", data.upper(), "text/plain")
        ctx.upload_artifact("report.json", report)
        return {"saved": saved.read_bytes().decode()}

    start_worker(worker)
    job_id = fake.submit("files", files={"in.txt": b"hello"})

    fake.wait_for(lambda: fake.jobs[job_id].status == "completed", message="the job completed")
    job = fake.job(job_id)
    assert job.result == {"saved": "hello"}
    assert job.artifacts == {"upper.txt": (b"HELLO", "text/plain"), "report.json": (b'{"ok": true}', "application/json")}


def test_async_stage_functions_run_to_their_end_on_an_event_loop_of_their_own(fake, new_worker, start_worker):
    worker = new_worker()

    @worker.job_type("async-stages", stages=["first", "second"])
    class AsyncStages:
        async def first(self, ctx):
            await asyncio.sleep(0)
            return {"n": 1}

        async def second(self, ctx):
            ctx.progress(1.0, "done")
            return {"n": ctx.checkpoint["n"] + 1}

    start_worker(worker)
    job_id = fake.submit("async-stages")

    fake.wait_for(lambda: fake.jobs[job_id].status == "completed", message="the job completed")
    assert fake.job(job_id).result == {"n": 2}


def test_jobs_run_side_by_side_up_to_the_concurrency(fake, new_worker, start_worker):
    worker = new_worker()
    inside = threading.Semaphore(0)
    go = threading.Event()

    @worker.job_type("parallel")
    def hold(ctx):
        inside.release()
        go.wait(5)
        return ctx.job_id

    start_worker(worker, concurrency=2)
    jobs = [fake.submit("parallel") for _ in range(3)]

    fake.wait_for(lambda: sum(j.status == "running" for j in fake.jobs.values()) == 2, message="two jobs running")
    assert sum(j.status == "pending" for j in fake.jobs.values()) == 1
    go.set()
    fake.wait_for(lambda: all(fake.jobs[j].status == "completed" for j in jobs), message="all three completed")


def test_a_worker_is_named_after_its_host_and_process_by_default():
    assert default_worker_id() == f"{socket.gethostname()}/{os.getpid()}"
    assert jobline.Worker("http://localhost:1").worker_id == default_worker_id()


async def test_run_async_serves_jobs_until_its_task_is_cancelled(fake, new_worker):
    worker = new_worker()
    worker.add_job_type("from-asyncio", {"only": lambda ctx: "ran"})
    task = asyncio.create_task(worker.run_async())
    assert await asyncio.to_thread(worker.ready.wait, 5)
    job_id = fake.submit("from-asyncio")

    await asyncio.to_thread(fake.wait_for, lambda: fake.jobs[job_id].status == "completed")
    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)
    assert fake.job(job_id).result == "ran"
