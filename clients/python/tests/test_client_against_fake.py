"""The client's encoding, errors and waiting, against the fake server (a worker on the fake runs the jobs)."""
from __future__ import annotations

import threading
import time

import pytest

import jobline


@pytest.fixture
def client(server):
    with jobline.Client(server.url) as client:
        yield client


@pytest.fixture
def declared(fake):
    fake.declare("echo", {"stages": ["only"]})


def test_a_json_submit_sends_type_input_options_and_the_idempotency_key(fake, client, declared):
    answer = client.submit("echo", {"a": 1}, options={"max_attempts": 2}, idempotency_key="order-1")

    assert answer["status"] == "pending"
    [received] = fake.submissions
    assert received == {"body": {"type": "echo", "input": {"a": 1}, "options": {"max_attempts": 2}}, "files": {},
                        "idempotency_key": "order-1"}


def test_a_submit_with_files_is_multipart_with_the_input_as_json_text(fake, client, declared, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_bytes(b"region,amount\nnorth,10\n")

    client.submit("echo", {"delimiter": ","}, files={"raw.bin": b"\x00\x01", "sales.csv": path})
    client.submit("echo", files=[path])

    first, second = fake.submissions
    assert first["body"] == {"type": "echo", "input": {"delimiter": ","}}
    assert first["files"] == {"raw.bin": b"\x00\x01", "sales.csv": b"region,amount\nnorth,10\n"}
    assert second["files"] == {"sales.csv": b"region,amount\nnorth,10\n"}


def test_notify_is_sent_as_the_jobs_webhook_in_json_and_in_multipart(fake, client, declared):
    client.submit("echo", {"a": 1}, notify="https://example.com/hooks/jobs")
    client.submit("echo", notify={"url": "https://example.com/h", "events": ("terminal", "stage")})
    client.submit("echo", files={"a.txt": b"a"}, notify={"url": "https://example.com/m", "events": "progress,stage"})
    client.submit("echo")

    plain, with_events, multipart, without = fake.submissions
    assert plain["body"] == {"type": "echo", "input": {"a": 1}, "notify": {"url": "https://example.com/hooks/jobs"}}
    assert with_events["body"]["notify"] == {"url": "https://example.com/h", "events": ["terminal", "stage"]}
    assert multipart["body"]["notify"] == {"url": "https://example.com/m", "events": ["progress", "stage"]}
    assert multipart["files"] == {"a.txt": b"a"}
    assert "notify" not in without["body"]


def test_a_notify_without_a_url_is_refused_before_anything_is_sent(fake, client, declared):
    with pytest.raises(ValueError, match="url"):
        client.submit("echo", notify={"events": ["terminal"]})
    with pytest.raises(TypeError):
        client.submit("echo", notify=42)  # type: ignore[arg-type]
    assert fake.submissions == []


def test_an_error_answer_raises_a_problem_error_with_the_problems_fields(fake, client, declared):
    job_id = client.submit("echo")["job_id"]
    fake.cancel(job_id)

    with pytest.raises(jobline.ProblemError) as missing:
        client.get("no-such-job")
    with pytest.raises(jobline.ProblemError) as cancelled:
        client.result(job_id)

    assert (missing.value.status, missing.value.title, missing.value.detail) == (404, "Not Found",
                                                                               "Job no-such-job not found")
    assert cancelled.value.status == 409 and cancelled.value["job_status"] == "cancelled"
    assert "409 Conflict" in str(cancelled.value)


def test_the_result_of_a_job_still_pending_raises_job_not_finished(client, declared):
    job_id = client.submit("echo")["job_id"]
    with pytest.raises(jobline.JobNotFinished) as pending:
        client.result(job_id)
    assert pending.value.status == "pending"


def test_wait_returns_the_finished_job_and_calls_back_on_each_progress_change(
        fake, client, new_worker, start_worker):
    worker = new_worker()
    steps = threading.Semaphore(0)

    @worker.job_type("stepper", stages=["one", "two"])
    class Stepper:
        def one(self, ctx):
            steps.acquire(timeout=5)
            return 1

        def two(self, ctx):
            return ctx.checkpoint + 1

    start_worker(worker)
    job_id = client.submit("stepper")["job_id"]
    seen = []

    def on_progress(progress):
        seen.append(progress)
        if progress.status == "running":
            steps.release()

    job = client.wait(job_id, timeout=10, on_progress=on_progress)

    assert job["status"] == "completed" and job["result"] == 2
    assert seen[-1].status == "completed" and seen[-1].progress == 100
    assert len(set(seen)) == len(seen), "called only on changes"


def test_wait_gives_up_after_its_timeout_with_the_last_state_seen(client, declared):
    job_id = client.submit("echo")["job_id"]
    started = time.monotonic()

    with pytest.raises(jobline.WaitTimeout) as timed_out:
        client.wait(job_id, timeout=0.3)

    assert 0.3 <= time.monotonic() - started < 2
    assert timed_out.value.job["status"] == "pending"
    assert isinstance(timed_out.value, TimeoutError)


async def test_the_async_client_waits_with_an_async_callback(fake, server, new_worker, start_worker):
    worker = new_worker()
    worker.add_job_type("quick", {"only": lambda ctx: {"done": True}})
    start_worker(worker)
    seen = []

    async def on_progress(progress):
        seen.append(progress.status)

    async with jobline.AsyncClient(server.url) as client:
        job_id = (await client.submit("quick", {"x": 1}))["job_id"]
        job = await client.wait(job_id, timeout=10, on_progress=on_progress)
        result = await client.result(job_id)

    assert job["status"] == "completed" and seen[-1] == "completed"
    assert result["result"] == {"done": True}
