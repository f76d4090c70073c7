"""``StageContext``: what a stage function gets to see and do."""
from __future__ import annotations

import logging
import math
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, NamedTuple, Sequence

from .attempt import Attempt


class Stage(NamedTuple):
    number: int  # 1-based
    name: str


@dataclass(frozen=True)
class InputFile:
    """A file uploaded with the job; ``read()`` downloads it, ``save(path)`` streams it to disk."""

    name: str
    size: int | None
    content_type: str | None
    url: str
    _attempt: Attempt
    download_url: str | None = None  # presigned, from an S3 file store

    def read(self) -> bytes:
        return self._attempt.api.download(self.url, None, self.download_url)  # type: ignore[return-value]

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Downloads the file to ``path`` (a folder: into it under its own name) and answers where it went."""
        target = Path(path)
        if target.is_dir():
            target = target / Path(self.name).name
        return self._attempt.api.download(self.url, target, self.download_url)  # type: ignore[return-value]


class InputFiles:
    """The job's uploaded files: iterate them, or pick one by name (``ctx.files["x.mp4"]``)."""

    def __init__(self, attempt: Attempt):
        self._files = [InputFile(f["name"], f.get("size"), f.get("content_type"), f["url"], attempt, f.get("download_url"))
                       for f in attempt.job.get("files") or []]

    def __iter__(self) -> Iterator[InputFile]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def __getitem__(self, name: str) -> InputFile:
        for file in self._files:
            if file.name == name:
                return file
        raise KeyError(f"The job has no file named {name!r}; it has {[f.name for f in self._files]}")


class StageContext:
    """Handed to each stage function.

    - ``job_id``, ``attempt``, ``input``, ``options``, ``stages`` (the plan: every stage name), ``stage`` (``number``,
      ``name``)
    - ``checkpoint``: the previous stage's return value (or, on a resumed attempt, the last completed stage's)
    - ``files``: the job's uploaded files, with download helpers
    - ``progress(fraction, message)``: reports progress of this stage (0 to 1); raises ``JobCancelled`` once the
      job was cancelled, ``AttemptStopped`` once the attempt is over for this worker; let them propagate
    - ``upload_artifact(name, content, content_type)``; ``cancelled``; ``log``
    - ``set_next_stages(names)``: for a type with dynamic stages, the stages to run after this one, replacing the
      rest of the plan once this stage returns (``[]``: this stage is the last)
    """

    def __init__(self, attempt: Attempt, stage: Stage, checkpoint: Any, worker_id: str):
        self._attempt = attempt
        self.job_id: str = attempt.job_id
        self.attempt: int = attempt.number
        self.input: dict[str, Any] = attempt.job.get("input") or {}
        self.options: dict[str, Any] = attempt.job.get("options") or {}
        self.stages: list[str] = attempt.stages
        self.stage = stage
        self.checkpoint = checkpoint
        self.worker_id = worker_id
        self.files = InputFiles(attempt)
        self.log = logging.getLogger(f"jobline.job.{stage.name}")
        self._next_stages: list[str] | None = None

    @property
    def cancelled(self) -> bool:
        """True once the server said the job was cancelled."""
        return self._attempt.cancelled

    def progress(self, fraction: float | None = None, message: str | None = None) -> None:
        """Reports how far this stage is (0 to 1) and what it does. Sent with the next heartbeat: at most about once
        a second, at once when the fraction moved by 0.1 or more. Cheap: call it as often as you like."""
        if fraction is not None:
            if not math.isfinite(fraction):
                raise ValueError(f"progress must be a number from 0 to 1, not {fraction}")
            fraction = min(1.0, max(0.0, float(fraction)))
        self._attempt.offer_progress(fraction, message)

    def set_next_stages(self, names: Sequence[str]) -> None:
        """Names the stages still to run after this one (a job type declared with ``dynamic_stages=True``): they
        replace the rest of the plan when this stage returns; ``[]`` makes this stage the last. The last call wins."""
        self._next_stages = list(names)

    @property
    def next_stages(self) -> list[str] | None:
        """What ``set_next_stages`` named; None: the plan goes on as it is."""
        return None if self._next_stages is None else list(self._next_stages)

    def check(self) -> None:
        """Raises ``JobCancelled``/``AttemptStopped`` if the attempt is over; for stages that report no progress."""
        self._attempt.check()

    def upload_artifact(self, name: str, content: bytes | bytearray | str | os.PathLike[str],
                        content_type: str | None = None) -> dict[str, Any]:
        """Stores a file as an artifact of the job (kept when the job completes). ``content``: bytes, or the path
        of a file (``str`` or ``Path``). The content type defaults to one guessed from the name."""
        if isinstance(content, (bytes, bytearray)):
            body: bytes | Path = bytes(content)
        else:
            body = Path(content)
        content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        return self._attempt.upload(name, body, content_type)

    def __repr__(self) -> str:
        return f"StageContext(job {self.job_id}, attempt {self.attempt}, stage {self.stage.number} {self.stage.name})"
