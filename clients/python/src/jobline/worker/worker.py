"""``Worker``: declares its job types, long-polls for jobs, runs each in a thread of its own, shuts down cleanly."""
from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
from typing import Any, Callable, Mapping, Sequence

from ..errors import AttemptStopped
from ..progress import backoff
from .attempt import Attempt
from .job_type import JobType, job_type_of
from .protocol import WorkerApi
from .runner import run_attempt
from .signals import stopping_on_signals
from .slots import Slots

log = logging.getLogger("jobline.worker")

MAX_POLL_WAIT_MS = 50000


def default_worker_id() -> str:
    return f"{socket.gethostname()}/{os.getpid()}"[:128]


class Worker:
    """Runs jobs of the types registered on it (``@worker.job_type`` or ``add_job_type``).

    ``run(concurrency)`` blocks: it declares the types (``PUT /api/job-types/{name}``), polls for at most
    ``concurrency`` jobs at a time, runs each job's stages in a thread, and returns after ``stop()`` (or SIGTERM /
    SIGINT when run in the main thread) once it has released every job still running. A worker runs once.
    """

    def __init__(self, url: str = "http://localhost:8080", worker_id: str | None = None, *,
                 poll_wait_ms: int = MAX_POLL_WAIT_MS, timeout: float = 30.0,
                 headers: Mapping[str, str] | None = None):
        self.url = url.rstrip("/")
        self.worker_id = worker_id or default_worker_id()
        self.poll_wait_ms = min(poll_wait_ms, MAX_POLL_WAIT_MS)
        self.declared: dict[str, dict[str, Any]] = {}
        self.ready = threading.Event()  # set once the types are declared and the worker polls
        self._timeout = timeout
        self._headers = dict(headers or {})
        self._types: dict[str, JobType] = {}
        self._attempts: dict[tuple[str, int], Attempt] = {}
        self._attempts_lock = threading.Lock()
        self._stopping = threading.Event()
        self._stop_reason = "worker shutting down"

    # --- job types

    def job_type(self, name: str, stages: Sequence[str] | None = None, *, description: str | None = None,
                 input_schema: Mapping[str, Any] | None = None, options: Mapping[str, Any] | None = None,
                 dedup_key: str | None = None, concurrency_limit: int | None = None,
                 dynamic_stages: bool | None = None) -> Callable[[Any], Any]:
        """Decorator registering a class (``stages`` name its methods, in order: stage ``"a-b"`` is method
        ``a_b``; one instance per worker, shared by its jobs) or a function (a single-stage type). With
        ``dynamic_stages=True``, ``stages`` is the plan a job starts with, and each stage may name the ones to run
        after it (``ctx.set_next_stages``): a class runs them by the methods named after them, else ``any_stage``; a
        function runs every stage."""
        def register(definition: Any) -> Any:
            self.add_job_type(name, definition, stages, description=description, input_schema=input_schema,
                              options=options, dedup_key=dedup_key, concurrency_limit=concurrency_limit,
                              dynamic_stages=dynamic_stages)
            return definition
        return register

    def add_job_type(self, name: str, definition: Any, stages: Sequence[str] | None = None, **declaration: Any
                     ) -> JobType:
        """Registers a job type: a class, an object, a mapping of stage name -> function (in order), or a function.
        ``declaration``: ``description``, ``input_schema``, ``options``, ``dedup_key``, ``concurrency_limit``,
        ``dynamic_stages`` (a mapping's ``"*"`` entry then runs any stage without an entry of its own)."""
        declaration = {key: value for key, value in declaration.items() if value is not None}
        job_type = job_type_of(name, definition, stages, declaration)
        self._types[name] = job_type
        return job_type

    @property
    def job_types(self) -> dict[str, JobType]:
        return dict(self._types)

    @property
    def active_jobs(self) -> list[tuple[str, int]]:
        """``(job_id, attempt)`` of every job this worker holds now."""
        with self._attempts_lock:
            return list(self._attempts)

    # --- running

    def run(self, concurrency: int = 1) -> None:
        if not self._types:
            raise ValueError("Register a job type first (@worker.job_type(...))")
        slots = Slots(concurrency)
        api = WorkerApi(self.url, timeout=self._timeout, headers=self._headers)
        with stopping_on_signals(self.stop):
            try:
                for job_type in self._types.values():
                    self.declared[job_type.name] = api.declare(job_type.name, job_type.body())
            except BaseException:
                api.close()
                raise
            log.info("Worker %s runs %s, %d at a time", self.worker_id, sorted(self._types), concurrency)
            threading.Thread(target=self._poll, args=(slots, api), name="jobline-poll", daemon=True).start()
            self.ready.set()
            while not self._stopping.wait(1.0):
                pass
            slots.close()
            self._release_all()
        log.info("Worker %s stopped (%s)", self.worker_id, self._stop_reason)

    async def run_async(self, concurrency: int = 1) -> None:
        """``run`` in a thread, for asyncio programs; cancelling the awaiting task stops the worker."""
        runner = asyncio.ensure_future(asyncio.to_thread(self.run, concurrency))
        try:
            await asyncio.shield(runner)
        except asyncio.CancelledError:
            self.stop("cancelled")
            await runner
            raise

    def stop(self, reason: str = "worker shutting down") -> None:
        """Stops polling; ``run`` releases the jobs still running and returns. Safe from any thread or a signal."""
        if not self._stopping.is_set():
            self._stop_reason = reason
            self._stopping.set()

    def _poll(self, slots: Slots, reports: WorkerApi) -> None:
        poller = WorkerApi(self.url, timeout=self._timeout, headers=self._headers)
        delays = backoff(0.5, 2.0, 30.0)
        types = sorted(self._types)
        try:
            while slots.take():
                try:
                    job = poller.poll(self.worker_id, types, self.poll_wait_ms)
                except Exception as error:  # noqa: BLE001 - the server may be restarting: poll again later
                    slots.give()
                    delay = next(delays)
                    log.warning("Poll failed (%s); polling again in %.1f s", error, delay)
                    self._stopping.wait(delay)
                    continue
                delays = backoff(0.5, 2.0, 30.0)
                if job is None:
                    slots.give()
                    continue
                self._start(Attempt(reports, job), slots)
        finally:
            poller.close()

    def _start(self, attempt: Attempt, slots: Slots) -> None:
        key = (attempt.job_id, attempt.number)
        with self._attempts_lock:
            self._attempts[key] = attempt
        if self._stopping.is_set():
            # Handed out as the worker stopped: back to the queue (a second release of it is refused harmlessly).
            self._release(attempt)
            self._finished(key, slots)
            return
        log.info("%s: took it (stage %d of %d)", attempt, attempt.first_stage, len(attempt.stages))
        threading.Thread(target=self._run_job, args=(attempt, slots), name=f"jobline-job-{attempt.job_id}",
                         daemon=True).start()

    def _run_job(self, attempt: Attempt, slots: Slots) -> None:
        try:
            run_attempt(attempt, self._types.get(attempt.job.get("type", "")), self.worker_id)
        finally:
            self._finished((attempt.job_id, attempt.number), slots)

    def _finished(self, key: tuple[str, int], slots: Slots) -> None:
        with self._attempts_lock:
            self._attempts.pop(key, None)
        slots.give()

    def _release_all(self) -> None:
        with self._attempts_lock:
            attempts = list(self._attempts.values())
        for attempt in attempts:
            self._release(attempt)

    def _release(self, attempt: Attempt) -> None:
        try:
            attempt.release(self._stop_reason)
            log.info("%s: released", attempt)
        except AttemptStopped:
            pass
        except Exception:  # noqa: BLE001 - its lease expires and the job resumes elsewhere
            log.exception("%s: could not release it", attempt)
