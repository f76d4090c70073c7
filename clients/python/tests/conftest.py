"""Fixtures shared by the fast tests: the fake server, and workers running against it in a thread."""
from __future__ import annotations

import threading
from typing import Callable, Iterator

import pytest

import jobline
from tests.support.fake_jobline import FakeServer


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as server:
        yield server


@pytest.fixture
def fake(server: FakeServer):
    return server.fake


class RunningWorker:
    """A worker running in a thread of the test; ``stop()`` stops it and waits for ``run`` to return."""

    def __init__(self, worker: jobline.Worker, concurrency: int):
        self.worker = worker
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(concurrency,), name="test-worker", daemon=True)

    def _run(self, concurrency: int) -> None:
        try:
            self.worker.run(concurrency=concurrency)
        except BaseException as error:  # noqa: BLE001 - handed to the test
            self.error = error

    def start(self) -> "RunningWorker":
        self.thread.start()
        ready = self.worker.ready.wait(5)
        if self.error is not None:
            raise self.error
        assert ready, "the worker did not start polling within 5 s"
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self.worker.stop("test over")
        self.thread.join(timeout)
        assert not self.thread.is_alive(), f"run() did not return within {timeout} s of stop()"
        if self.error is not None:
            raise self.error


@pytest.fixture
def start_worker(server: FakeServer) -> Iterator[Callable[..., RunningWorker]]:
    """``start_worker(worker_or_setup, concurrency=1)``: runs a worker against the fake until the test ends."""
    running: list[RunningWorker] = []

    def start(worker: jobline.Worker, concurrency: int = 1) -> RunningWorker:
        runner = RunningWorker(worker, concurrency).start()
        running.append(runner)
        return runner

    yield start
    for runner in running:
        if runner.thread.is_alive():
            runner.stop()


@pytest.fixture
def new_worker(server: FakeServer) -> Callable[..., jobline.Worker]:
    def make(**kwargs) -> jobline.Worker:
        kwargs.setdefault("worker_id", "test-worker/1")
        kwargs.setdefault("poll_wait_ms", 1000)
        return jobline.Worker(server.url, **kwargs)
    return make
