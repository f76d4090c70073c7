"""An in-memory Jobline speaking the worker protocol of docs/worker-protocol.md, with real 409 fencing.

Tests drive it directly (``submit``, ``cancel``, ``expire_lease``), read its log of worker calls (``calls``) and
wait on ``wait_for(condition)``, which wakes on every change instead of polling. ``server.py`` puts it on HTTP.
"""
from __future__ import annotations

import json
import re
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable

from .model import Call, FakeJob, FakeType, Problem

NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
MAX_JSON = 64 * 1024


def _iso(seconds_from_now: float = 0.0) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=seconds_from_now)).isoformat().replace("+00:00", "Z")


class FakeJobline:
    def __init__(self, *, heartbeat_interval_ms: int = 100, heartbeat_timeout_ms: int = 30000):
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.heartbeat_timeout_ms = heartbeat_timeout_ms
        self.types: dict[str, FakeType] = {}
        self.jobs: dict[str, FakeJob] = {}
        self.calls: list[Call] = []
        self.submissions: list[dict[str, Any]] = []  # what the client endpoints received
        self.changed = threading.Condition()
        self.closed = False

    # --- for tests

    def submit(self, type: str, input: dict[str, Any] | None = None, *, files: dict[str, bytes] | None = None,
               options: dict[str, Any] | None = None, completed_stages: int = 0, checkpoint: Any = None) -> str:
        """A pending job of a declared type; ``completed_stages``/``checkpoint`` as if an earlier attempt ran them."""
        with self.changed:
            declared = self.types.get(type)
            if declared is None:
                raise Problem(400, "Bad Request", f"Unknown job type '{type}'")
            job = FakeJob(str(uuid.uuid4()), type, declared.version, dict(input or {}), list(declared.body["stages"]),
                          {**declared.body.get("options", {}), **(options or {})},
                          files={name: (content, "application/octet-stream") for name, content in (files or {}).items()})
            job.dynamic_stages = bool(declared.body.get("dynamic_stages"))
            job.completed_stages = completed_stages
            job.checkpoint = checkpoint
            job.attempt = 1 if completed_stages else 0
            if completed_stages:
                job.ended[1] = "superseded"
            self.jobs[job.job_id] = job
            self.changed.notify_all()
            return job.job_id

    def cancel(self, job_id: str) -> None:
        with self.changed:
            job = self._job(job_id)
            if job.status in ("completed", "failed", "cancelled"):
                raise Problem(409, "Conflict", f"Job {job_id} is already {job.status}")
            job.status = "cancelled"
            self.changed.notify_all()

    def expire_lease(self, job_id: str) -> None:
        """The running attempt's lease runs out: it timed out, and the job waits for a poll as a new attempt."""
        with self.changed:
            job = self._job(job_id)
            assert job.status == "running", f"job {job_id} is {job.status}"
            self._end_attempt(job, "timed_out")
            job.status = "pending"
            self.changed.notify_all()

    def wait_for(self, condition: Callable[[], Any], timeout: float = 5.0, message: str = "condition") -> Any:
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                value = condition()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"Timed out after {timeout} s waiting for: {message}")
                self.changed.wait(remaining)

    def job(self, job_id: str) -> FakeJob:
        with self.changed:
            return self._job(job_id)

    def calls_of(self, job_id: str | None = None, attempt: int | None = None,
                 kinds: Iterable[str] | None = None) -> list[Call]:
        with self.changed:
            return [c for c in self.calls if (job_id is None or c.job_id == job_id)
                    and (attempt is None or c.attempt == attempt) and (kinds is None or c.kind in kinds)]

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    # --- the worker protocol: each answers (status, body) or raises Problem; every answer is logged

    def declare(self, name: str, body: Any) -> tuple[int, Any]:
        with self.changed:
            return self._logged("declare", None, None, body, lambda: self._declare(name, body))

    def poll(self, body: Any) -> tuple[int, Any]:
        """Holds the request until a job of the named types is pending (or ``wait_ms`` passed: 204)."""
        with self.changed:
            return self._logged("poll", None, None, body, lambda: self._poll(body))

    def attempt_call(self, kind: str, job_id: str, attempt: int, body: Any, stage: int | None = None,
                     content: bytes = b"", content_type: str = "", name: str = "") -> tuple[int, Any]:
        with self.changed:
            def answer() -> tuple[int, Any]:
                job = self._fence(job_id, attempt, kind, body, stage)
                if isinstance(job, tuple):
                    return job
                handler = getattr(self, "_" + kind)
                status, reply = handler(job, body, stage=stage, content=content, content_type=content_type,
                                        name=name)
                if job.status == "running" and kind not in ("release", "fail", "complete"):
                    job.lease_expires = time.monotonic() + self.heartbeat_timeout_ms / 1000
                    if isinstance(reply, dict) and "lease_expires_at" in reply:
                        reply["lease_expires_at"] = _iso(self.heartbeat_timeout_ms / 1000)
                return status, reply
            return self._logged(kind, job_id, attempt, body, answer, stage)

    # --- internals (called with self.changed held)

    def _logged(self, kind: str, job_id: str | None, attempt: int | None, body: Any,
                answer: Callable[[], tuple[int, Any]], stage: int | None = None) -> tuple[int, Any]:
        try:
            status, reply = answer()
        except Problem as problem:
            status, reply = problem.status, problem.body()
        self.calls.append(Call(kind, job_id, attempt, body, status, reply, time.monotonic(), stage))
        self.changed.notify_all()
        return status, reply

    def _job(self, job_id: str) -> FakeJob:
        job = self.jobs.get(job_id)
        if job is None:
            raise Problem(404, "Not Found", f"Job {job_id} not found")
        return job

    def _declare(self, name: str, body: Any) -> tuple[int, Any]:
        if not NAME.fullmatch(name):
            raise Problem(400, "Bad Request", f"A job type name must match {NAME.pattern}")
        stages = body.get("stages") if isinstance(body, dict) else None
        if not isinstance(stages, list) or not 1 <= len(stages) <= 100 or not all(isinstance(s, str) for s in stages):
            raise Problem(400, "Bad Request", "'stages' must list 1 to 100 stage names")
        unknown = set(body) - {"description", "input_schema", "stages", "options", "dedup_key", "concurrency_limit",
                               "dynamic_stages"}
        if unknown:
            raise Problem(400, "Bad Request", f"Unknown field(s) {sorted(unknown)}")
        current = self.types.get(name)
        if current is not None and current.body == body:
            return 200, current.view()
        declared = FakeType(name, (current.version + 1) if current else 1, dict(body), _iso())
        self.types[name] = declared
        return (200 if current else 201), declared.view()

    def _poll(self, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict):
            raise Problem(400, "Bad Request", "The body must be a JSON object")
        worker_id, types, wait_ms = body.get("worker_id"), body.get("types"), body.get("wait_ms", 50000)
        if not isinstance(worker_id, str) or not 1 <= len(worker_id) <= 128:
            raise Problem(400, "Bad Request", "'worker_id' must be 1 to 128 characters")
        if not isinstance(types, list) or not 1 <= len(types) <= 16:
            raise Problem(400, "Bad Request", "'types' must name 1 to 16 job types")
        undeclared = [t for t in types if t not in self.types]
        if undeclared:
            raise Problem(400, "Bad Request", f"Undeclared job type(s) {undeclared}")
        if not isinstance(wait_ms, int) or not 0 <= wait_ms <= 50000:
            raise Problem(400, "Bad Request", "'wait_ms' must be 0 to 50000")
        deadline = time.monotonic() + wait_ms / 1000
        while not self.closed:
            self._expire_leases()
            job = next((j for j in self.jobs.values() if j.status == "pending" and j.type in types), None)
            if job is not None:
                return 200, self._hand_out(job, worker_id)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self.changed.wait(min(remaining, 0.1))
        return 204, None

    def _hand_out(self, job: FakeJob, worker_id: str) -> dict[str, Any]:
        job.attempt += 1
        job.status = "running"
        job.stage = job.completed_stages + 1
        job.progress = None
        job.worker_id = worker_id
        job.attempt_artifacts = {}
        job.lease_expires = time.monotonic() + self.heartbeat_timeout_ms / 1000
        return {"job_id": job.job_id, "type": job.type, "type_version": job.type_version, "attempt": job.attempt,
                "input": job.input, "stages": job.stages, "first_stage": job.stage, "checkpoint": job.checkpoint,
                "files": [job.file_view(name) for name in job.files],
                "options": {"max_attempts": job.max_attempts, "heartbeat_timeout_ms": self.heartbeat_timeout_ms},
                "heartbeat_interval_ms": self.heartbeat_interval_ms,
                "lease_expires_at": _iso(self.heartbeat_timeout_ms / 1000)}

    def _expire_leases(self) -> None:
        now = time.monotonic()
        for job in self.jobs.values():
            if job.status == "running" and now > job.lease_expires:
                self._end_attempt(job, "timed_out")
                job.status = "pending"

    def _end_attempt(self, job: FakeJob, reason: str) -> None:
        job.ended[job.attempt] = reason
        job.progress = None

    def _fence(self, job_id: str, attempt: int, kind: str, body: Any, stage: int | None
               ) -> FakeJob | tuple[int, Any]:
        """The job when ``attempt`` may make this call; else its 409 problem (the fencing token at work), or the
        heartbeat answer of a cancelled job."""
        self._expire_leases()
        job = self._job(job_id)
        if not 1 <= attempt <= job.attempt:
            raise Problem(404, "Not Found", f"Job {job_id} has no attempt {attempt}")
        if attempt < job.attempt:
            raise Problem(409, "Conflict", f"Attempt {attempt} was superseded by attempt {job.attempt}", "superseded")
        if attempt in job.ended:
            reason = job.ended[attempt]
            raise Problem(409, "Conflict", f"Attempt {attempt} is over ({reason})", reason)
        if job.status == "cancelled":
            if kind == "heartbeat":
                return 200, {"cancel_requested": True, "lease_expires_at": _iso(self.heartbeat_timeout_ms / 1000)}
            raise Problem(409, "Conflict", f"Job {job_id} was cancelled", "cancelled")
        named = {"heartbeat": body.get("stage") if isinstance(body, dict) else None,
                 "stage_complete": stage, "complete": len(job.stages)}.get(kind)
        every_stage_completed = kind == "complete" and job.completed_stages == len(job.stages)
        if named is not None and named != job.stage and not every_stage_completed:
            raise Problem(409, "Conflict", f"Stage {named} is not the running stage ({job.stage})", "stage_mismatch")
        return job

    def _heartbeat(self, job: FakeJob, body: Any, **_: Any) -> tuple[int, Any]:
        if "progress" in body:
            progress = body["progress"]
            if not isinstance(progress, (int, float)) or not 0 <= progress <= 1:
                raise Problem(400, "Bad Request", "'progress' must be a fraction from 0 to 1")
            job.progress = progress
        if "message" in body:
            job.message = body["message"]
        return 200, {"cancel_requested": False, "lease_expires_at": ""}

    def _stage_complete(self, job: FakeJob, body: Any, *, stage: int, **_: Any) -> tuple[int, Any]:
        checkpoint = body.get("checkpoint") if isinstance(body, dict) else None
        _check_size(checkpoint, "checkpoint")
        next_stages = body.get("next_stages") if isinstance(body, dict) else None
        if next_stages is not None:
            if not job.dynamic_stages:
                raise Problem(422, "Fixed stage plan", f"Job {job.job_id} was not submitted with dynamic stages")
            if (not isinstance(next_stages, list) or stage + len(next_stages) > 100
                    or not all(isinstance(s, str) and s.strip() for s in next_stages)):
                raise Problem(400, "Bad Request", "'next_stages' must name the stages after this one, 100 in all")
            job.stages = job.stages[:stage] + next_stages
        job.completed_stages = stage
        job.checkpoint = checkpoint
        job.progress = None
        job.stage = stage + 1 if stage < len(job.stages) else 0
        return 200, {"next_stage": job.stage or None, "lease_expires_at": ""}

    def _complete(self, job: FakeJob, body: Any, **_: Any) -> tuple[int, Any]:
        result = body.get("result") if isinstance(body, dict) else None
        _check_size(result, "result")
        job.result = result
        job.completed_stages = len(job.stages)
        job.status = "completed"
        job.artifacts.update(job.attempt_artifacts)
        job.ended[job.attempt] = "finished"
        return 200, {"status": "completed"}

    def _fail(self, job: FakeJob, body: Any, **_: Any) -> tuple[int, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("error"), str):
            raise Problem(400, "Bad Request", "'error' is required")
        retryable = body.get("retryable", True)
        job.errors.append({"attempt": job.attempt, "stage": job.stage, "error": body["error"]})
        job.error = body["error"]
        job.ended[job.attempt] = "finished"
        if retryable and job.attempt < job.max_attempts:
            job.status = "pending"
            return 200, {"status": "pending", "next_attempt_at": _iso()}
        job.status = "failed"
        return 200, {"status": "failed", "next_attempt_at": None}

    def _release(self, job: FakeJob, body: Any, **_: Any) -> tuple[int, Any]:
        job.status = "pending"
        job.releases += 1
        job.ended[job.attempt] = "superseded"
        job.progress = None
        return 200, {"status": "pending"}

    def _artifact(self, job: FakeJob, body: Any, *, name: str, content: bytes, content_type: str,
                  **_: Any) -> tuple[int, Any]:
        job.attempt_artifacts[name] = (content, content_type or "application/octet-stream")
        return 201, job.artifact_view(name, job.attempt_artifacts)


def _check_size(value: Any, what: str) -> None:
    if len(json.dumps(value).encode()) > MAX_JSON:
        raise Problem(413, "Payload Too Large", f"The {what} is over 64 KiB; store it as an artifact")
