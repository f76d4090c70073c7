"""The real Jobline service for the tests that need it: its runnable jar on a free port, on a fresh data folder."""
from __future__ import annotations

import glob
import os
import socket
import subprocess
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[4]
JAR_PATTERN = str(REPO / "job-api" / "target" / "job-api-*-exec.jar")
READY_DEADLINE_S = 90


def find_jar() -> Path | None:
    jars = sorted(glob.glob(JAR_PATTERN))
    return Path(jars[-1]) if jars else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Service:
    """``java -jar`` the service with ``PORT`` and ``JOBLINE_DATA_DIR`` set (and its embedded broker on any free
    port, so that runs side by side do not collide); ``url`` once ``/actuator/health/readiness`` answers 200."""

    def __init__(self, jar: Path, data_dir: Path, env: dict[str, str] | None = None):
        self.jar = jar
        self.env = env or {}
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "service.log"
        self._process: subprocess.Popen | None = None

    def start(self) -> "Service":
        env = {**os.environ, "PORT": str(self.port), "JOBLINE_DATA_DIR": str(self.data_dir / "data"),
               "JOBLINE_EMBEDDED_KAFKA_PORT": "0", **self.env}
        log = open(self.log_path, "wb")
        self._process = subprocess.Popen(["java", "-jar", str(self.jar)], env=env, stdout=log,
                                         stderr=subprocess.STDOUT)
        log.close()
        self._await_ready()
        return self

    def _await_ready(self) -> None:
        deadline = time.monotonic() + READY_DEADLINE_S
        with httpx.Client(timeout=2) as http:
            while time.monotonic() < deadline:
                if self._process.poll() is not None:
                    raise RuntimeError(f"The service exited with {self._process.returncode}:\n{self.log_tail()}")
                try:
                    if http.get(self.url + "/actuator/health/readiness").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.25)  # a readiness probe's period, not a wait for an outcome of the test
        self.stop()
        raise RuntimeError(f"The service was not ready within {READY_DEADLINE_S} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
