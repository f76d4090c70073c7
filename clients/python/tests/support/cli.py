"""Running the ``jobline`` command as a user does: a subprocess, piped or on a pseudo-terminal."""
from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def command() -> list[str]:
    """The installed console script when it is beside this Python, else ``python -m jobline.cli``."""
    script = Path(sys.executable).parent / "jobline"
    return [str(script)] if script.exists() else [sys.executable, "-m", "jobline.cli"]


def environment(url: str, config: Path) -> dict[str, str]:
    """The test's service, and no settings of whoever runs the tests (their key, profile or config file)."""
    env = {k: v for k, v in os.environ.items() if k not in ("JOBLINE_API_KEY", "JOBLINE_PROFILE")}
    env.update(JOBLINE_URL=url, JOBLINE_CONFIG=str(config), COLUMNS="120", TERM="xterm")
    return env


@dataclass
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run(env: dict[str, str], *args: str, timeout: float = 30, cwd: Path | None = None) -> Ran:
    done = subprocess.run(command() + list(args), env=env, capture_output=True, text=True, timeout=timeout, cwd=cwd)
    return Ran(done.returncode, done.stdout, done.stderr)


def run_on_terminal(env: dict[str, str], *args: str, timeout: float = 30) -> Ran:
    """Runs with standard output and error on a pseudo-terminal; ``out`` is everything the terminal got."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(command() + list(args), env=env, stdin=terminal, stdout=terminal, stderr=terminal,
                               close_fds=True)
    os.close(terminal)
    received = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                continue
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the process closed the terminal's last descriptor
                break
            if not chunk:
                break
            received += chunk
        code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    return Ran(code, received.decode("utf-8", "replace"), "")
