"""Following a job to its end over the SDK's WebSocket follow, drawing its progress on the way.

On a terminal one line is redrawn in place (and ticks every half second, so elapsed time and ETA move between
updates); anywhere else each change is printed as a line of its own, fit for a log.
"""
from __future__ import annotations

import os
import shutil
import time
from typing import Any, Protocol, TextIO

from ..client import Client
from ..errors import ProblemError
from .watch import JobWatch, bar_line, change_line, outcome_line

TICK_S = 0.5


class Display(Protocol):
    def update(self, watch: JobWatch, now: float) -> None: ...
    def tick(self, watch: JobWatch, now: float) -> None: ...
    def finish(self, watch: JobWatch) -> None: ...


class BarDisplay:
    def __init__(self, stream: TextIO):
        self._stream = stream
        encoding = (getattr(stream, "encoding", None) or "ascii").lower()
        self._unicode = encoding.startswith("utf")
        self._drawn = False

    def update(self, watch: JobWatch, now: float) -> None:
        columns = shutil.get_terminal_size((80, 24)).columns
        self._stream.write("\r" + bar_line(watch, now, columns, self._unicode) + "\x1b[K")
        self._stream.flush()
        self._drawn = True

    tick = update

    def finish(self, watch: JobWatch) -> None:
        if self._drawn:
            self.update(watch, time.monotonic())
            self._stream.write("\n")
        self._stream.write(outcome_line(watch) + "\n")
        self._stream.flush()


class LineDisplay:
    def __init__(self, stream: TextIO):
        self._stream = stream
        self._last: str | None = None

    def update(self, watch: JobWatch, now: float) -> None:
        key = (watch.status, watch.progress, watch.stage, watch.message)
        if key != self._last:
            self._last = key
            self._stream.write(change_line(watch, now) + "\n")
            self._stream.flush()

    def tick(self, watch: JobWatch, now: float) -> None:
        pass

    def finish(self, watch: JobWatch) -> None:
        self._stream.write(outcome_line(watch) + "\n")
        self._stream.flush()


class QuietDisplay:
    def __init__(self, stream: TextIO):
        self._stream = stream

    def update(self, watch: JobWatch, now: float) -> None:
        pass

    def tick(self, watch: JobWatch, now: float) -> None:
        pass

    def finish(self, watch: JobWatch) -> None:
        if watch.status == "failed":  # a failure says why even when quiet
            self._stream.write(outcome_line(watch) + "\n")
            self._stream.flush()


def display_for(stream: TextIO, quiet: bool) -> Display:
    if quiet:
        return QuietDisplay(stream)
    if _is_terminal(stream) and os.environ.get("TERM") != "dumb":
        return BarDisplay(stream)
    return LineDisplay(stream)


def _is_terminal(stream: Any) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def follow(client: Client, job_id: str, display: Display) -> JobWatch:
    """Follows the job until it completed, failed or was cancelled; the watch holds its final view."""
    watch = JobWatch(job_id)
    with client.follow(job_id) as updates:
        while True:
            try:
                message = updates.receive(timeout=TICK_S)
            except TimeoutError:
                display.tick(watch, time.monotonic())
                continue
            if message is None:
                break
            if message.get("type") == "job_status" and (message.get("status") or {}).get("status") == "deleted":
                raise ProblemError(404, "Job deleted", f"Job {job_id} was deleted while it was followed")
            watch.see(message, time.monotonic())
            display.update(watch, time.monotonic())
    display.finish(watch)
    return watch
