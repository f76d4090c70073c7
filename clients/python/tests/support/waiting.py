"""Waiting for an asynchronous outcome in a test: a condition polled until a deadline, never a bare sleep."""
from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")


def wait_until(condition: Callable[[], T], timeout: float = 5.0, message: str = "condition",
               interval: float = 0.01) -> T:
    """Calls ``condition`` until it answers something truthy (returned), failing the test after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"Timed out after {timeout} s waiting for: {message}")
        time.sleep(interval)
