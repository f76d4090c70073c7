"""How a worker ends an attempt: cancelled, superseded (409), failed by its stage, or a refused report."""
from __future__ import annotations

import threading
import time

import jobline
from tests.support.waiting import wait_until


def _progress_until_stopped(stopped: list):
    """A stage that reports progress every 10 ms until the worker tells it to stop."""
    def stage(ctx):
        i = 0
        try:
            while True:
                i += 1
                ctx.progress(min(1.0, i / 1000), f"step {i}")
                time.sleep(0.01)  # simulated work
        except jobline.AttemptStopped as stop:
            stopped.append((stop, ctx.cancelled))
            raise
    return stage


def test_cancel_reaches_a_running_stage_at_its_next_progress_and_nothing_more_is_sent_for_the_attempt(
        fake, new_worker, start_worker):
    worker = new_worker()
    stopped: list = []
    worker.add_job_type("cancellable", {"work": _progress_until_stopped(stopped), "after": lambda ctx: "never"})
    start_worker(worker)
    job_id = fake.submit("cancellable")
    fake.wait_for(lambda: fake.calls_of(job_id, kinds=["heartbeat"]), message="a first heartbeat")

    fake.cancel(job_id)

    wait_until(lambda: not worker.active_jobs and stopped, message="the worker dropped the job")
    assert isinstance(stopped[0][0], jobline.JobCancelled)
    assert stopped[0][1] is True  # ctx.cancelled
    calls = fake.calls_of(job_id, attempt=1)
    assert calls[-1].kind == "heartbeat" and calls[-1].answer["cancel_requested"] is True
    assert [c for c in calls if c.answer and c.answer.get("cancel_requested")] == [calls[-1]]
    assert all(c.kind == "heartbeat" for c in calls)


def test_a_superseded_attempt_stops_quietly_and_the_worker_runs_the_jobs_next_attempt(fake, new_worker, start_worker):
    fake.heartbeat_interval_ms = 60_000  # no heartbeat of attempt 1 before its stage returns
    worker = new_worker()
    go = threading.Event()

    @worker.job_type("slow-first")
    def slow_first(ctx):
        if ctx.attempt == 1:
            go.wait(5)
        return {"attempt": ctx.attempt}

    running = start_worker(worker, concurrency=2)
    job_id = fake.submit("slow-first")
    fake.wait_for(lambda: fake.jobs[job_id].status == "running", message="attempt 1 running")

    fake.expire_lease(job_id)
    fake.wait_for(lambda: fake.jobs[job_id].status == "completed", message="attempt 2 completed the job")
    go.set()
    fake.wait_for(lambda: fake.calls_of(job_id, attempt=1), message="attempt 1 reported")
    wait_until(lambda: not worker.active_jobs, message="the worker dropped attempt 1")

    assert fake.job(job_id).result == {"attempt": 2}
    [late] = fake.calls_of(job_id, attempt=1)
    assert (late.kind, late.status, late.reason) == ("complete", 409, "superseded")
    assert running.thread.is_alive() and running.error is None
    next_job = fake.submit("slow-first")
    fake.wait_for(lambda: fake.jobs[next_job].status == "completed", message="the worker runs the next job")


def test_a_stage_exception_fails_the_attempt_as_retryable_and_the_next_attempt_runs(fake, new_worker, start_worker):
    worker = new_worker()

    @worker.job_type("flaky", options={"max_attempts": 2})
    def flaky(ctx):
        if ctx.attempt == 1:
            raise ValueError("disk full")
        return "ok"

    start_worker(worker)
    job_id = fake.submit("flaky")

    fake.wait_for(lambda: fake.jobs[job_id].status == "completed", message="attempt 2 completed")
    [failure] = fake.calls_of(job_id, kinds=["fail"])
    assert failure.attempt == 1 and failure.body["retryable"] is True
    assert failure.body["error"].startswith("ValueError: disk full")
    assert failure.answer["status"] == "pending"


def test_a_fatal_error_fails_the_job_without_a_retry(fake, new_worker, start_worker):
    worker = new_worker()

    @worker.job_type("doomed", options={"max_attempts": 3})
    def doomed(ctx):
        raise jobline.FatalError("the input video is corrupt")

    start_worker(worker)
    job_id = fake.submit("doomed")

    fake.wait_for(lambda: fake.jobs[job_id].status == "failed", message="the job failed")
    [failure] = fake.calls_of(job_id, kinds=["fail"])
    assert failure.body == {"error": "the input video is corrupt", "retryable": False}
    assert fake.job(job_id).attempt == 1


def test_a_checkpoint_the_server_refuses_as_too_large_fails_the_job_without_a_retry(fake, new_worker, start_worker):
    worker = new_worker()
    worker.add_job_type("bloated", {"big": lambda ctx: "x" * 70_000, "next": lambda ctx: None})
    start_worker(worker)
    job_id = fake.submit("bloated")

    fake.wait_for(lambda: fake.jobs[job_id].status == "failed", message="the job failed")
    [refused] = fake.calls_of(job_id, kinds=["stage_complete"])
    [failure] = fake.calls_of(job_id, kinds=["fail"])
    assert refused.status == 413
    assert failure.body["retryable"] is False and "64 KiB" in failure.body["error"]


def test_a_stage_returning_something_that_is_not_json_fails_the_job_without_a_retry(fake, new_worker, start_worker):
    worker = new_worker()
    worker.add_job_type("unjsonable", {"only": lambda ctx: {1, 2, 3}})
    start_worker(worker)
    job_id = fake.submit("unjsonable")

    fake.wait_for(lambda: fake.jobs[job_id].status == "failed", message="the job failed")
    [failure] = fake.calls_of(job_id, kinds=["fail"])
    assert failure.body["retryable"] is False and "not JSON" in failure.body["error"]
    assert not fake.calls_of(job_id, kinds=["complete"])


def test_a_report_answered_409_cancelled_ends_the_attempt_before_the_next_stage(fake, new_worker, start_worker):
    fake.heartbeat_interval_ms = 60_000  # the cancel reaches the worker through the stage's report, not a heartbeat
    worker = new_worker()
    go = threading.Event()
    ran = []
    worker.add_job_type("two-step", {"first": lambda ctx: go.wait(5) and ran.append("first"),
                                     "second": lambda ctx: ran.append("second")})
    start_worker(worker)
    job_id = fake.submit("two-step")
    fake.wait_for(lambda: fake.jobs[job_id].status == "running", message="the job running")

    fake.cancel(job_id)
    go.set()

    wait_until(lambda: ran and not worker.active_jobs, message="the worker dropped the job")
    assert ran == ["first"]
    assert [(c.kind, c.status, c.reason) for c in fake.calls_of(job_id)] == [("stage_complete", 409, "cancelled")]
