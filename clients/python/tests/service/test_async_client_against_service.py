"""The async client against the real service."""
from __future__ import annotations

import jobline


async def test_the_async_client_submits_follows_and_reads_the_result(service_url):
    async with jobline.AsyncClient(service_url) as client:
        job_id = (await client.submit("demo", {"stages": 2, "stage_ms": 200}))["job_id"]
        messages = [message async for message in client.follow(job_id)]
        result = await client.result(job_id)
        events = await client.events(job_id)

    assert messages[-1]["status"]["status"] == "completed"
    assert result["result"] == {"stages_completed": 2}
    assert events["events"][0]["type"] == "JobSubmitted"


async def test_the_async_client_waits_live_with_progress(service_url):
    seen = []
    async with jobline.AsyncClient(service_url) as client:
        job_id = (await client.submit("demo", {"stages": 2, "stage_ms": 200}))["job_id"]
        job = await client.wait(job_id, timeout=30, on_progress=seen.append, live=True)

    assert job["status"] == "completed" and seen[-1].status == "completed"
