"""What ``wait(on_progress=...)`` hands its callback, built from a job, a job_progress or a job_status message."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

TERMINAL = frozenset({"completed", "failed", "cancelled"})


@dataclass(frozen=True)
class Progress:
    """A job's progress as the server reports it: ``progress`` is percent (0-100) of the whole job."""

    job_id: str
    status: str | None
    progress: int | None
    message: str | None
    stage: str | None

    @classmethod
    def of_job(cls, job: Mapping[str, Any]) -> "Progress":
        return cls(job.get("job_id", ""), job.get("status"), job.get("progress"), job.get("progress_message"),
                   job.get("stage"))

    @classmethod
    def of_message(cls, message: Mapping[str, Any], status: str | None) -> "Progress":
        if message.get("type") == "job_status":
            return cls.of_job(message.get("status") or {})
        return cls(message.get("job_id", ""), status, message.get("progress"), message.get("message"),
                   message.get("stage"))


class ProgressTracker:
    """Calls the callback when the progress differs from the last one it was called with."""

    def __init__(self, callback: Callable[[Progress], Any] | None):
        self._callback = callback
        self.last: Progress | None = None

    def see(self, progress: Progress) -> bool:
        if progress == self.last:
            return False
        self.last = progress
        if self._callback is not None:
            self._callback(progress)
        return True


def backoff(initial: float = 0.1, factor: float = 1.5, maximum: float = 2.0):
    """Delays for polling: ``initial``, growing by ``factor`` up to ``maximum``, forever."""
    delay = initial
    while True:
        yield delay
        delay = min(maximum, delay * factor)
