"""The client against the real service, with its built-in demo job type (stages of stage_ms each)."""
from __future__ import annotations

import uuid

import pytest

import jobline
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import wait_until

DEMO = {"stages": 3, "stage_ms": 200}


def test_a_submitted_demo_job_is_found_waited_for_and_its_result_read(client):
    submitted = client.submit("demo", DEMO)
    seen = []

    job = client.wait(submitted["job_id"], timeout=30, on_progress=seen.append)

    assert submitted["status"] == "pending"
    assert job["status"] == "completed" and job["stages_total"] == 3
    assert client.result(submitted["job_id"])["result"] == {"stages_completed": 3}
    assert client.get(submitted["job_id"])["status"] == "completed"
    assert seen[-1].status == "completed" and seen[-1].progress == 100
    percents = [p.progress for p in seen if p.status == "running"]
    assert percents == sorted(percents), "progress only grows"


def test_wait_can_follow_the_websocket_instead_of_polling(client):
    job_id = client.submit("demo", DEMO)["job_id"]
    seen = []

    job = client.wait(job_id, timeout=30, on_progress=seen.append, live=True)

    assert job["status"] == "completed"
    assert any(p.stage == "stage-2" for p in seen)


def test_a_listing_filters_by_type_and_status_and_pages_on(client):
    job_ids = [client.submit("noop")["job_id"] for _ in range(3)]
    for job_id in job_ids:
        client.wait(job_id, timeout=30)

    page = client.list(type="noop", status="completed", limit=2)
    every = {job["job_id"] for job in client.iter_jobs(type="noop", status="completed", limit=2)}

    assert len(page["jobs"]) == 2 and page["next_after"] and page["count"] >= 3
    assert set(job_ids) <= every


def test_the_event_history_pages_by_sequence(client):
    job_id = client.submit("demo", DEMO)["job_id"]
    client.wait(job_id, timeout=30)

    everything = client.events(job_id)["events"]
    later = client.events(job_id, after=2, limit=3)

    assert everything[0]["type"] == "JobSubmitted" and everything[-1]["type"] == "JobCompleted"
    assert [e["sequence"] for e in everything] == list(range(1, len(everything) + 1))
    assert [e["sequence"] for e in later["events"]] == [3, 4, 5]


def test_follow_yields_updates_in_sequence_order_until_the_final_status(client):
    job_id = client.submit("demo", DEMO)["job_id"]

    with client.follow(job_id) as updates:
        messages = list(updates)

    sequences = [m["seq"] for m in messages]
    assert sequences == sorted(set(sequences))
    assert messages[-1]["type"] == "job_status" and messages[-1]["status"]["status"] == "completed"
    assert any(m["type"] == "job_progress" for m in messages)


def test_follow_resumes_after_a_dropped_connection_losing_and_repeating_nothing(client, service_url):
    url = httpx_url(service_url)
    proxy = TcpProxy(url.host, url.port)
    try:
        job_id = client.submit("demo", {"stages": 3, "stage_ms": 600})["job_id"]
        with jobline.Client(f"http://127.0.0.1:{proxy.port}") as proxied, proxied.follow(job_id, after=0) as updates:
            messages = [updates.receive(timeout=20), updates.receive(timeout=20)]
            proxy.cut()
            messages += list(updates)
            reconnects = updates.reconnects
    finally:
        proxy.close()

    sequences = [m["seq"] for m in messages]
    assert reconnects >= 1 and proxy.accepted >= 2
    assert sequences == sorted(set(sequences)), "in order, nothing repeated"
    assert messages[-1]["status"]["status"] == "completed"
    events = client.events(job_id)["events"]
    progress_events = {e["sequence"] for e in events if e["type"] in ("ProgressReported", "StageStarted",
                                                                      "StageCompleted")}
    assert progress_events <= set(sequences), "nothing lost"


def test_a_cancelled_job_can_be_retried_and_then_completes(client):
    job_id = client.submit("demo", {"stages": 2, "stage_ms": 1500})["job_id"]
    wait_until(lambda: client.get(job_id)["status"] == "running", timeout=20, message="the job running")

    client.cancel(job_id)
    cancelled = client.wait(job_id, timeout=20)
    with pytest.raises(jobline.ProblemError) as no_result:
        client.result(job_id)
    client.retry(job_id)
    # The retry is decided asynchronously: until it is, the job still reads as cancelled.
    wait_until(lambda: client.get(job_id)["status"] != "cancelled", timeout=20, message="the retry decided")
    retried = client.wait(job_id, timeout=30)

    assert cancelled["status"] == "cancelled"
    assert no_result.value.status == 409 and no_result.value["job_status"] == "cancelled"
    assert retried["status"] == "completed"


def test_a_deleted_job_disappears_from_lookup(client):
    job_id = client.submit("noop")["job_id"]
    client.wait(job_id, timeout=30)

    client.delete(job_id)

    def gone() -> bool:
        try:
            client.get(job_id)
            return False
        except jobline.ProblemError as error:
            return error.status == 404
    wait_until(gone, timeout=20, message="the job gone")


def test_the_same_idempotency_key_returns_the_job_it_created(client):
    key = f"test-{uuid.uuid4()}"
    first = client.submit("noop", idempotency_key=key)
    again = client.submit("noop", idempotency_key=key)
    assert again["job_id"] == first["job_id"]


def test_a_submit_with_a_file_is_multipart(client, tmp_path):
    sales = tmp_path / "sales.csv"
    sales.write_text("region,amount\nnorth,10\nsouth,20.5\nnorth,30\n")

    job_id = client.submit("csv-report", {"delimiter": ","}, files=[sales])["job_id"]
    job = client.wait(job_id, timeout=30)

    assert job["status"] == "completed", job.get("errors")
    assert client.result(job_id)["result"]["rows"] == 3
    assert b"region" in client.artifact(job_id, "report.json")


def test_an_unknown_job_type_is_a_400_problem_with_a_detail(client):
    with pytest.raises(jobline.ProblemError) as refused:
        client.submit("no-such-type")
    assert refused.value.status == 400 and "no-such-type" in (refused.value.detail or "")


def httpx_url(url: str):
    import httpx
    return httpx.URL(url)
