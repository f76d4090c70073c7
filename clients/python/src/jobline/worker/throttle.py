"""When the next heartbeat of an attempt is due: pure timing logic, testable without threads or a server.

A heartbeat is due ``interval`` seconds after the last call of the attempt (any call renews the lease). Progress
makes it come sooner, but at most one progress heartbeat every ``min_gap`` seconds, unless the fraction moved by
at least ``jump`` since the last one sent (then at once).
"""
from __future__ import annotations

from typing import Any


class ProgressThrottle:
    def __init__(self, interval: float, now: float, *, min_gap: float = 1.0, jump: float = 0.1):
        self.interval = interval
        self.min_gap = min_gap
        self.jump = jump
        self._last_call = now
        self._last_progress_at: float | None = None
        self._last_fraction = 0.0
        self._pending: dict[str, Any] | None = None

    def offer(self, fraction: float | None, message: str | None) -> None:
        """Progress the stage reported; replaces any that was not sent yet."""
        pending: dict[str, Any] = {}
        if fraction is not None:
            pending["progress"] = fraction
        if message is not None:
            pending["message"] = message
        self._pending = pending

    def due_at(self) -> float:
        due = self._last_call + self.interval
        if self._pending is None:
            return due
        fraction = self._pending.get("progress")
        if fraction is not None and abs(fraction - self._last_fraction) >= self.jump - 1e-9:
            return float("-inf")
        if self._last_progress_at is None:
            return float("-inf")
        return min(due, self._last_progress_at + self.min_gap)

    def take(self, now: float) -> dict[str, Any]:
        """The progress fields of the heartbeat sent now (empty when there is none), marking them sent."""
        pending, self._pending = self._pending, None
        self._last_call = now
        if pending:
            self._last_progress_at = now
            self._last_fraction = pending.get("progress", self._last_fraction)
        return pending or {}

    def renewed(self, now: float) -> None:
        """Another call of the attempt renewed the lease: the next plain heartbeat can wait a full interval."""
        self._last_call = now

    def next_stage(self) -> None:
        """A new stage starts: progress of the stage before is not worth sending, and fractions start again."""
        self._pending = None
        self._last_fraction = 0.0
