"""The WebSocket follow protocol, apart from any I/O: what to send, which messages to hand on, when to stop.

Resuming after a dropped connection is ``{"subscribe": id, "after": last_seq}``: the server replays what was
missed from the event log, then sends the current state. Messages at or below the last sequence seen are dropped,
so nothing is handed on twice.
"""
from __future__ import annotations

import json
from typing import Any

from .errors import ProblemError
from .progress import TERMINAL

UPDATE_TYPES = ("job_progress", "job_status")


class SubscriptionRefused(Exception):
    """The server answered a subscribe with an error message that may pass (e.g. the service is starting)."""


class FollowState:
    def __init__(self, job_id: str, after: int | None, until_finished: bool):
        self.job_id = job_id
        self.last_seq = after
        self.until_finished = until_finished
        self.finished = False
        self.status: str | None = None

    def subscribe_message(self) -> str:
        message: dict[str, Any] = {"subscribe": self.job_id}
        if self.last_seq is not None:
            message["after"] = self.last_seq
        return json.dumps(message)

    def accept(self, text: str | bytes) -> dict[str, Any] | None:
        """The message to hand on, or None for control messages and repeats."""
        message = json.loads(text)
        kind = message.get("type")
        if kind == "error":
            detail = message.get("message") or "error"
            if detail.startswith("Unknown job"):
                raise ProblemError(404, "Not Found", detail)
            raise SubscriptionRefused(detail)
        if kind not in UPDATE_TYPES or message.get("job_id") != self.job_id:
            return None
        seq = message.get("seq")
        if seq is not None and self.last_seq is not None and seq <= self.last_seq:
            return None
        if seq is not None:
            self.last_seq = seq
        if kind == "job_status":
            self.status = (message.get("status") or {}).get("status")
            if self.until_finished and (self.status in TERMINAL or self.status == "deleted"):
                self.finished = True
        return message
