"""One attempt of a job held by this worker: its reports to the server, serialized, and the fence around them.

Calls of an attempt go one at a time (the stage thread's reports and the heartbeat thread's beats), so a
heartbeat always names the stage the server has running. The first 409 (or 404) ends the attempt for this
worker: from then on nothing is sent, and the stage learns it at its next ``ctx.progress()``.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any, Callable, TypeVar

from ..errors import AttemptStopped, JobCancelled, ProblemError
from .protocol import WorkerApi
from .throttle import ProgressThrottle

T = TypeVar("T")
log = logging.getLogger("jobline.worker")


class Attempt:
    def __init__(self, api: WorkerApi, job: dict[str, Any]):
        self.api = api
        self.job = job
        self.job_id: str = job["job_id"]
        self.number: int = job["attempt"]
        self.stages: list[str] = list(job["stages"])
        self.first_stage: int = job.get("first_stage") or 1
        interval = (job.get("heartbeat_interval_ms") or 5000) / 1000
        self._calls = threading.Lock()
        self._state = threading.Condition()
        self._throttle = ProgressThrottle(interval, time.monotonic())
        self._stage = self.first_stage
        self._ended: AttemptStopped | None = None
        api.trace(self.job_id, self.number, job.get("traceparent"))

    def __repr__(self) -> str:
        return f"job {self.job_id} attempt {self.number}"

    # --- state, for the stage and the heartbeat thread

    @property
    def stage(self) -> int:
        with self._state:
            return self._stage

    @property
    def ended(self) -> AttemptStopped | None:
        with self._state:
            return self._ended

    @property
    def cancelled(self) -> bool:
        return isinstance(self.ended, JobCancelled)

    def check(self) -> None:
        """Raises the reason the attempt ended, if it did."""
        ended = self.ended
        if ended is not None:
            raise ended

    def end(self, reason: AttemptStopped) -> bool:
        """Ends the attempt for this worker; False when it had already ended."""
        with self._state:
            if self._ended is not None:
                return False
            self._ended = reason
            self._state.notify_all()
            return True

    def offer_progress(self, fraction: float | None, message: str | None) -> None:
        with self._state:
            if self._ended is not None:
                raise self._ended
            self._throttle.offer(fraction, message)
            self._state.notify_all()

    def wait_until_heartbeat_due(self) -> bool:
        """Blocks until a heartbeat is due (True) or the attempt ended (False)."""
        with self._state:
            while self._ended is None:
                wait = self._throttle.due_at() - time.monotonic()
                if wait <= 0:
                    return True
                self._state.wait(wait)
            return False

    # --- calls

    def heartbeat(self) -> None:
        def send() -> Any:
            with self._state:
                body = {"stage": self._stage, **self._throttle.take(time.monotonic())}
            return self.api.heartbeat(self.job_id, self.number, body)
        answer = self._call(send)
        if answer.get("cancel_requested"):
            if self.end(JobCancelled("the heartbeat answered cancel_requested")):
                log.info("%s: cancelled", self)

    def complete_stage(self, stage: int, checkpoint: Any, next_stages: list[str] | None = None) -> None:
        """Completes ``stage``; ``next_stages`` (a job with dynamic stages) replace the rest of the plan."""
        def send() -> Any:
            answer = self.api.complete_stage(self.job_id, self.number, stage, checkpoint, next_stages)
            with self._state:
                if next_stages is not None:
                    self.stages = self.stages[:stage] + list(next_stages)
                self._stage = stage + 1 if stage < len(self.stages) else stage
                self._throttle.next_stage()
            return answer
        self._call(send)

    def complete(self, result: Any) -> None:
        self._call(lambda: self.api.complete(self.job_id, self.number, result))
        self.end(AttemptStopped("completed"))

    def fail(self, error: str, retryable: bool) -> dict[str, Any]:
        answer = self._call(lambda: self.api.fail(self.job_id, self.number, error, retryable))
        self.end(AttemptStopped("failed"))
        return answer

    def release(self, reason: str) -> None:
        """Gives the job back to the queue; the stage, still running, is told at its next progress call."""
        try:
            self._call(lambda: self.api.release(self.job_id, self.number, reason))
        finally:
            self.end(AttemptStopped("released", reason))

    def upload(self, name: str, content: bytes | Path, content_type: str) -> dict[str, Any]:
        return self._call(lambda: self.api.upload(self.job_id, self.number, name, content, content_type))

    def _call(self, send: Callable[[], T]) -> T:
        with self._calls:
            self.check()
            try:
                answer = send()
            except ProblemError as error:
                stopped = _stopped_by(error)
                if stopped is None:
                    raise
                if self.end(stopped):
                    log.info("%s: the server ended it (%s): %s", self, stopped.reason, error.detail or error)
                raise (self.ended or stopped) from error
            with self._state:
                self._throttle.renewed(time.monotonic())
            return answer


def _stopped_by(error: ProblemError) -> AttemptStopped | None:
    """The end of the attempt that an answer means: any 409 (the fence), or a 404 (the job is gone)."""
    if error.status == 409:
        if error.reason == "cancelled":
            return JobCancelled(error.detail)
        return AttemptStopped(error.reason or "conflict", error.detail)
    if error.status == 404:
        return AttemptStopped("not_found", error.detail)
    return None
