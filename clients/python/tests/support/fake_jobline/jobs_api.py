"""The few client endpoints the fake serves, enough to test the client's encoding and error handling."""
from __future__ import annotations

from typing import Any

from .fake import FakeJobline
from .model import Problem


def submit(fake: FakeJobline, body: dict[str, Any], files: dict[str, bytes], headers: dict[str, str]
           ) -> tuple[int, Any]:
    fake.submissions.append({"body": body, "files": files, "idempotency_key": headers.get("idempotency-key")})
    if not isinstance(body.get("type"), str):
        raise Problem(400, "Bad Request", "'type' is required and must be a non-empty string")
    job_id = fake.submit(body["type"], body.get("input"), files=files, options=body.get("options"))
    return 202, {"job_id": job_id, "status": "pending", "message": f"Job accepted. Follow it at /api/jobs/{job_id}"}


def get(fake: FakeJobline, job_id: str) -> tuple[int, Any]:
    with fake.changed:
        return 200, fake._job(job_id).view()


def result(fake: FakeJobline, job_id: str) -> tuple[int, Any]:
    with fake.changed:
        job = fake._job(job_id)
        if job.status == "completed":
            return 200, {"job_id": job_id, "status": "completed", "result": job.result,
                         "artifacts": [job.artifact_view(name) for name in job.artifacts]}
        if job.status in ("failed", "cancelled"):
            problem = Problem(409, "Conflict", f"Job {job_id} is {job.status}")
            return 409, {**problem.body(), "job_status": job.status, "error": job.error}
        return 202, {"job_id": job_id, "status": job.status}


def cancel(fake: FakeJobline, job_id: str) -> tuple[int, Any]:
    fake.cancel(job_id)
    return 202, {"job_id": job_id, "status": "cancelled"}


def artifact(fake: FakeJobline, job_id: str, name: str) -> tuple[bytes, str]:
    with fake.changed:
        job = fake._job(job_id)
        stored = job.files.get(name) or job.artifacts.get(name)
        if stored is None:
            raise Problem(404, "Not Found", f"Job {job_id} has no file {name}")
        return stored
