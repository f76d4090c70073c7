"""The exit codes of ``jobline``, one scheme for every command.

A followed job's outcome comes first (0, 1, 2, as ``gh run watch --exit-status`` and ``temporal workflow execute``
report a run's); then what kept the command from doing its work.
"""
from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0              # done; a followed job completed
    JOB_FAILED = 1      # the followed job failed (its error is on stderr)
    JOB_CANCELLED = 2   # the followed job was cancelled
    USAGE = 3           # bad arguments, input that is not JSON, an unreadable file or config file
    REFUSED = 4         # the service answered an error (problem+json: 404, 409, 401, ...), or a job has no result yet
    UNREACHABLE = 5     # no answer from the service (connection refused, timeout, the WebSocket lost for good)
    INTERRUPTED = 130   # Ctrl-C (128 + SIGINT, as shells report it); a followed job goes on


OUTCOMES = {"completed": Exit.OK, "failed": Exit.JOB_FAILED, "cancelled": Exit.JOB_CANCELLED}


class CliError(Exception):
    """Ends the command with ``message`` on stderr and ``code``; never a traceback."""

    def __init__(self, message: str, code: Exit = Exit.USAGE):
        super().__init__(message)
        self.code = code
