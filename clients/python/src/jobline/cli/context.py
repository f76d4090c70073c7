"""What every command gets: the SDK's client, the settings it was made from, and where to print."""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from typing import Any, TextIO

from ..client import Client
from .config import Settings


@dataclass
class Context:
    client: Client
    settings: Settings
    stdout: TextIO
    stderr: TextIO
    json: bool

    def print_json(self, value: Any) -> None:
        self.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")

    def say(self, text: str) -> None:
        """Standard output: what the command was asked for."""
        if text:
            self.stdout.write(text + "\n")

    def note(self, text: str) -> None:
        """Standard error: how it went, hints, progress."""
        self.stderr.write(text + "\n")
        self.stderr.flush()

    def width(self) -> int | None:
        """The terminal's width when printing to one (tables are clipped to it), else None (never clipped)."""
        return shutil.get_terminal_size().columns if _isatty(self.stdout) else None


def _isatty(stream: Any) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
