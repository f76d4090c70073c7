"""Waiting for a job to finish, apart from the I/O: deadlines, backoff, progress changes, when to stop.

Each step answers what changed (a ``Progress`` to hand the callback, or None) and whether the job finished; the
clients call the callback themselves, so the async client can await a coroutine callback.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Mapping

from .errors import ProblemError, WaitTimeout
from .progress import TERMINAL, Progress, ProgressTracker, backoff


@dataclass(frozen=True)
class Step:
    progress: Progress | None
    job: Mapping[str, Any] | None  # the finished job, once it is

    @property
    def finished(self) -> bool:
        return self.job is not None


class Waiting:
    def __init__(self, job_id: str, timeout: float | None):
        self.job_id = job_id
        self.timeout = timeout
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self._tracker = ProgressTracker(None)
        self._last_job: Mapping[str, Any] | None = None
        self._delays = backoff()

    def remaining(self) -> float | None:
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def timed_out(self) -> WaitTimeout:
        return WaitTimeout(self.job_id, self.timeout or 0.0, self._last_job)

    def polled(self, job: Mapping[str, Any]) -> Step:
        """Sees a polled job. A change of progress makes the next poll come sooner."""
        self._last_job = job
        changed = self._changed(Progress.of_job(job))
        if changed:
            self._delays = backoff()
        return Step(changed, dict(job) if job.get("status") in TERMINAL else None)

    def next_delay(self) -> float:
        """How long to sleep before the next poll; raises WaitTimeout once the deadline has passed."""
        delay = next(self._delays)
        remaining = self.remaining()
        if remaining is None:
            return delay
        if remaining <= 0:
            raise self.timed_out()
        return min(delay, remaining)

    def pushed(self, message: Mapping[str, Any], status: str | None) -> Step:
        """Sees a followed message (job_progress or job_status)."""
        if message.get("type") != "job_status":
            return Step(self._changed(Progress.of_message(message, status)), None)
        job = message.get("status") or {}
        if job.get("status") == "deleted":
            raise ProblemError(404, "Not Found", f"Job {self.job_id} was deleted")
        self._last_job = job
        return Step(self._changed(Progress.of_job(job)), dict(job) if job.get("status") in TERMINAL else None)

    def ended(self) -> Mapping[str, Any]:
        """The follow ended without a final job_status in hand (it cannot, but answer the last state seen)."""
        return dict(self._last_job or {})

    def _changed(self, progress: Progress) -> Progress | None:
        return progress if self._tracker.see(progress) else None


def retryable_read(error: ProblemError) -> bool:
    """A read that may succeed when tried again: the service is starting or Kafka is slow."""
    return error.status in (502, 503, 504)
