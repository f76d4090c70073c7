"""The exceptions of the SDK: problems the server answered, and the signals a stage raises or receives."""
from __future__ import annotations

from typing import Any, Mapping

_PROBLEM_FIELDS = ("type", "title", "status", "detail", "instance", "reason")


class JoblineError(Exception):
    """Base class of every exception this package raises on its own."""


class ProblemError(JoblineError):
    """The server answered an error: an RFC 9457 problem (``application/problem+json``) or another non-2xx answer.

    ``status``, ``title``, ``detail``, ``type``, ``instance`` and ``reason`` are the problem's members (None when
    absent); every other member (``errors``, ``job_id``, ``job_status``, ...) is in ``extra`` and also reachable as
    ``error["errors"]``.
    """

    def __init__(self, status: int, title: str | None = None, detail: str | None = None, *,
                 type: str | None = None, instance: str | None = None, reason: str | None = None,
                 extra: Mapping[str, Any] | None = None, retry_after: float | None = None):
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type
        self.instance = instance
        self.reason = reason
        self.extra = dict(extra or {})
        self.retry_after = retry_after
        super().__init__(self._summary())

    @classmethod
    def from_body(cls, status: int, body: Mapping[str, Any], retry_after: float | None = None) -> "ProblemError":
        extra = {k: v for k, v in body.items() if k not in _PROBLEM_FIELDS}
        return cls(status, body.get("title"), body.get("detail"), type=body.get("type"),
                   instance=body.get("instance"), reason=body.get("reason"), extra=extra, retry_after=retry_after)

    def __getitem__(self, key: str) -> Any:
        return self.extra[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.extra.get(key, default)

    def _summary(self) -> str:
        parts = [str(self.status)]
        if self.title:
            parts.append(self.title)
        text = " ".join(parts)
        if self.reason:
            text += f" ({self.reason})"
        if self.detail:
            text += f": {self.detail}"
        return text


class JobNotFinished(JoblineError):
    """``result()`` of a job that is still pending or running (the server answered 202)."""

    def __init__(self, job_id: str, status: str | None):
        self.job_id = job_id
        self.status = status
        super().__init__(f"Job {job_id} is {status or 'not finished'}; it has no result yet")


class WaitTimeout(JoblineError, TimeoutError):
    """``wait()`` gave up before the job finished. ``job`` is the last state seen (None if none was)."""

    def __init__(self, job_id: str, timeout: float, job: Mapping[str, Any] | None):
        self.job_id = job_id
        self.job = job
        super().__init__(f"Job {job_id} did not finish within {timeout} s"
                         + (f" (last status: {job.get('status')})" if job else ""))


class FatalError(JoblineError):
    """Raise from a stage to fail the job for good: the worker reports it as not retryable."""


class AttemptStopped(JoblineError):
    """The attempt running this stage is over for this worker; the stage should end (let it propagate).

    ``reason`` says why: a 409 reason from the server (``superseded``, ``timed_out``, ``finished``,
    ``stage_mismatch``, ``cancelled``), ``released`` when the worker is shutting down, ``not_found`` when the job
    is gone. Nothing more is sent for the attempt once it is raised.
    """

    def __init__(self, reason: str, detail: str | None = None):
        self.reason = reason
        self.detail = detail
        super().__init__(f"attempt stopped: {reason}" + (f" ({detail})" if detail else ""))


class JobCancelled(AttemptStopped):
    """The job was cancelled while its stage ran. Raised by ``ctx.progress()``; let it propagate."""

    def __init__(self, detail: str | None = None):
        super().__init__("cancelled", detail)
