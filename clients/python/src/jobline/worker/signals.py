"""SIGTERM and SIGINT stop the worker gracefully while it runs in the main thread; the old handlers come back after."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def stopping_on_signals(stop: Callable[[str], None]) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for number in _SIGNALS:
        previous[number] = signal.signal(number, lambda signum, frame: stop(f"{signal.Signals(signum).name} received"))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
