"""What a followed job looks like now, from its job views and live messages, apart from any I/O or terminal.

Elapsed time and ETA come from the service's own clock (``elapsed_seconds`` and the view's timestamps), moved on
by this machine's monotonic clock between updates, so a skewed local clock does not show a negative or a
ten-hour elapsed time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..progress import TERMINAL
from .text import clip, duration, parse_time


@dataclass
class JobWatch:
    job_id: str
    status: str | None = None
    progress: int | None = None
    message: str | None = None
    stage: str | None = None
    stage_number: int | None = None
    stages_total: int | None = None
    error: str | None = None
    job: dict[str, Any] | None = None  # the last full view (job_status carries one)
    _stage_numbers: dict[str, int] = field(default_factory=dict)
    _elapsed_at: tuple[float, float] | None = None  # (elapsed_seconds, monotonic time it was seen)
    _run_offset: float = 0.0  # seconds from created_at to started_at: the wait before the job ran

    @property
    def finished(self) -> bool:
        return self.status in TERMINAL

    def see(self, message: Mapping[str, Any], now: float) -> None:
        """Takes a followed message: ``job_status`` (with the job's view) or ``job_progress``."""
        if message.get("type") == "job_status":
            self.see_job(message.get("status") or {}, now)
            return
        self.progress = message.get("progress", self.progress)
        self.message = message.get("message", self.message)
        stage = message.get("stage")
        if stage:
            self.stage = stage
            self.stage_number = self._stage_numbers.get(stage, self.stage_number)

    def see_job(self, job: Mapping[str, Any], now: float) -> None:
        self.job = dict(job)
        self.status = job.get("status", self.status)
        self.progress = job.get("progress", self.progress)
        self.message = job.get("progress_message", self.message)
        self.stage = job.get("stage", self.stage)
        self.stage_number = job.get("stage_number", self.stage_number)
        self.stages_total = job.get("stages_total", self.stages_total)
        self.error = job.get("error")
        self._stage_numbers = {s["name"]: s["number"] for s in job.get("stages") or [] if "name" in s}
        if job.get("elapsed_seconds") is not None:
            self._elapsed_at = (float(job["elapsed_seconds"]), now)
        created, started = parse_time(job.get("created_at")), parse_time(job.get("started_at"))
        self._run_offset = (started - created).total_seconds() if created and started else 0.0

    def elapsed(self, now: float) -> float | None:
        """Seconds since the job was created; frozen once it finished."""
        if self._elapsed_at is None:
            return None
        seconds, seen = self._elapsed_at
        return seconds if self.finished else seconds + (now - seen)

    def eta(self, now: float) -> float | None:
        """Seconds left, from the pace of the job since it started running; None before there is a pace."""
        elapsed = self.elapsed(now)
        if self.status != "running" or elapsed is None or not self.progress or self.progress >= 100:
            return None
        running = elapsed - self._run_offset
        return running * (100 - self.progress) / self.progress if running > 0 else None

    def stage_text(self) -> str | None:
        if not self.stage:
            return None
        if self.stage_number and self.stages_total:
            return f"{self.stage} {self.stage_number}/{self.stages_total}"
        return self.stage


BAR_WIDTH = 24


def bar(fraction: float, width: int = BAR_WIDTH, unicode: bool = True) -> str:
    """``███████▌      `` (eighths of a cell), or ``#######-------`` where the terminal has no Unicode."""
    fraction = min(1.0, max(0.0, fraction))
    if not unicode:
        done = round(fraction * width)
        return "#" * done + "-" * (width - done)
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[part] if full < width and part else ""
    return ("█" * full + partial).ljust(width)


def bar_line(watch: JobWatch, now: float, columns: int, unicode: bool = True) -> str:
    """The one line a terminal redraws: bar, percent, stage n/N, elapsed, ETA, then the message as far as it fits."""
    percent = watch.progress or 0
    parts = [f"[{bar(percent / 100, unicode=unicode)}]", f"{percent:3d}%"]
    if watch.status != "running":
        parts.append(watch.status or "…")
    stage = watch.stage_text()
    if stage:
        parts.append(stage)
    parts.append(f"elapsed {duration(watch.elapsed(now))}")
    eta = watch.eta(now)
    if eta is not None:
        parts.append(f"ETA {duration(eta)}")
    line = "  ".join(parts)
    if watch.message and len(line) + 4 < columns:
        line += "  " + watch.message
    return clip(line, columns - 1)


def change_line(watch: JobWatch, now: float) -> str:
    """One line per change, for a log or a pipe: elapsed, status, percent, stage n/N, message."""
    parts = [duration(watch.elapsed(now)).rjust(6), (watch.status or "-").ljust(9), f"{watch.progress or 0:3d}%"]
    stage = watch.stage_text()
    if stage:
        parts.append(stage)
    if watch.message:
        parts.append(watch.message)
    return "  ".join(parts)


def outcome_line(watch: JobWatch) -> str:
    """The last word on a finished job: ``completed in 1.2s``, ``failed after 0.4s (attempt 1 of 1): <error>``."""
    job = watch.job or {}
    elapsed = duration(watch.elapsed(0.0))
    if watch.status == "completed":
        return f"{watch.job_id} completed in {elapsed}"
    attempts = ""
    if job.get("attempt") and job.get("max_attempts"):
        attempts = f" (attempt {job['attempt']} of {job['max_attempts']})"
    if watch.status == "failed":
        return f"{watch.job_id} failed after {elapsed}{attempts}: {watch.error or 'no error given'}"
    return f"{watch.job_id} {watch.status} after {elapsed}"
