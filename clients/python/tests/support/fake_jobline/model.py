"""The fake server's records: job types, jobs, and the log of every worker call it answered."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class Problem(Exception):
    """An error answer: status, title, detail and an optional 409 reason."""

    def __init__(self, status: int, title: str, detail: str, reason: str | None = None):
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.reason = reason

    def body(self) -> dict[str, Any]:
        body = {"type": "about:blank", "title": self.title, "status": self.status, "detail": self.detail}
        if self.reason:
            body["reason"] = self.reason
        return body


@dataclass
class FakeType:
    name: str
    version: int
    body: dict[str, Any]
    declared_at: str

    def view(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "declared_at": self.declared_at, **self.body}


@dataclass
class FakeJob:
    job_id: str
    type: str
    type_version: int
    input: dict[str, Any]
    stages: list[str]               # the plan; with dynamic stages, as the worker last declared it
    options: dict[str, Any]
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    status: str = "pending"
    attempt: int = 0                # the last attempt handed out
    stage: int = 0                  # the running stage while running
    completed_stages: int = 0       # stages completed, by any attempt
    checkpoint: Any = None          # of the last completed stage
    result: Any = None
    error: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    progress: float | None = None   # of the running stage
    message: str | None = None
    cancel_requested: bool = False
    lease_expires: float = 0.0
    worker_id: str | None = None
    ended: dict[int, str] = field(default_factory=dict)  # attempt -> the 409 reason its calls now get
    artifacts: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    attempt_artifacts: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    releases: int = 0
    dynamic_stages: bool = False

    @property
    def max_attempts(self) -> int:
        return self.options.get("max_attempts", 3)

    def percent(self) -> int:
        done = self.completed_stages + ((self.progress or 0.0) if self.status == "running" else 0.0)
        return int(100 * done / len(self.stages)) if self.status != "completed" else 100

    def view(self) -> dict[str, Any]:
        stage_name = self.stages[self.stage - 1] if 1 <= self.stage <= len(self.stages) else None
        return {"job_id": self.job_id, "type": self.type, "status": self.status, "progress": self.percent(),
                "progress_message": self.message, "stage": stage_name, "stage_number": self.stage or None,
                "stages_total": len(self.stages),
                "stages": [{"number": n, "name": name} for n, name in enumerate(self.stages, 1)], "attempt": self.attempt, "max_attempts": self.max_attempts,
                "error": self.error, "errors": self.errors, "input": self.input, "result": self.result,
                "files": [self.file_view(name) for name in self.files],
                "artifacts": [self.artifact_view(name) for name in self.artifacts]}

    def file_view(self, name: str) -> dict[str, Any]:
        content, content_type = self.files[name]
        return {"name": name, "size": len(content), "content_type": content_type,
                "url": f"/api/jobs/{self.job_id}/artifacts/{name}"}

    def artifact_view(self, name: str, store: dict[str, tuple[bytes, str]] | None = None) -> dict[str, Any]:
        content, content_type = (store or self.artifacts)[name]
        return {"name": name, "size": len(content), "content_type": content_type,
                "url": f"/api/jobs/{self.job_id}/artifacts/{name}"}


@dataclass(frozen=True)
class Call:
    """One worker call as the fake answered it."""

    kind: str                 # declare, poll, heartbeat, stage_complete, complete, fail, release, artifact
    job_id: str | None
    attempt: int | None
    body: Any
    status: int
    answer: Any
    at: float                 # time.monotonic() when answered
    stage: int | None = None  # of a stage_complete

    @property
    def reason(self) -> str | None:
        return self.answer.get("reason") if isinstance(self.answer, dict) else None
