"""``main``: parses the command line, makes the SDK's client, runs the command, turns failures into exit codes."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, Mapping, Sequence, TextIO

import httpx
from websockets.exceptions import InvalidStatus, WebSocketException

from ..client import Client
from ..errors import JobNotFinished, ProblemError, WaitTimeout
from . import config, jobs, parser, results, service, submitting, webhooks
from .context import Context
from .exits import CliError, Exit

COMMANDS: dict[str, Callable[[Context, argparse.Namespace], int]] = {
    "submit": submitting.submit, "follow": submitting.follow_job,
    "ls": jobs.ls, "get": jobs.get, "events": jobs.events, "cancel": jobs.cancel, "retry": jobs.retry,
    "rm": jobs.rm, "cleanup": jobs.cleanup,
    "result": results.result,
    "deliveries": webhooks.deliveries, "webhooks": webhooks.webhooks,
    "types": service.types, "workers": service.workers, "stats": service.stats, "config": service.config,
}


def main(argv: Sequence[str] | None = None, *, environ: Mapping[str, str] | None = None,
         stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    environ = os.environ if environ is None else environ
    args = parser.parse(sys.argv[1:] if argv is None else argv)
    url = "the service"
    try:
        path = config.config_path(environ)
        settings = config.resolve(url=args.url, profile=args.profile, environ=environ,
                                  file=config.load_file(path), path=path)
        url = settings.url
        with Client(settings.url, headers=settings.headers()) as client:
            return COMMANDS[args.command](Context(client, settings, stdout, stderr, args.json), args)
    except CliError as error:
        stderr.write(f"jobline: {error}\n")
        return error.code
    except ProblemError as error:
        stderr.write(problem_text(error, url))
        return Exit.REFUSED
    except (JobNotFinished, WaitTimeout) as error:
        stderr.write(f"jobline: {error}\n")
        return Exit.REFUSED
    except InvalidStatus as error:  # the WebSocket handshake refused (401, 403, 429)
        stderr.write(f"jobline: the service refused the WebSocket at {url}: HTTP {error.response.status_code}\n")
        return Exit.REFUSED
    except (httpx.TransportError, ConnectionError, WebSocketException, OSError) as error:
        stderr.write(f"jobline: cannot reach {url}: {error or type(error).__name__}\n")
        return Exit.UNREACHABLE
    except KeyboardInterrupt:
        stderr.write("\n")
        return Exit.INTERRUPTED


def problem_text(error: ProblemError, url: str) -> str:
    """A problem answer as people read it: ``title: detail``, each violation listed, and a hint for 401/403."""
    head = error.title or f"HTTP {error.status}"
    lines = [f"jobline: {head}" + (f": {error.detail}" if error.detail else "") + f" ({error.status})"]
    for violation in error.get("errors") or []:
        lines.append(f"  - {violation if isinstance(violation, str) else _violation(violation)}")
    if error.status == 401:
        lines.append(f"  {url} needs a key: set JOBLINE_API_KEY, or api_key in the config file (jobline config)")
    elif error.status == 403:
        lines.append("  the key in use lacks the scope this needs (jobline config shows which key that is)")
    return "\n".join(lines) + "\n"


def _violation(violation: Mapping) -> str:
    where = violation.get("field") or violation.get("path") or violation.get("pointer") or violation.get("location")
    message = violation.get("message") or violation.get("detail") or str(dict(violation))
    return f"{where}: {message}" if where else message


def run() -> None:
    """The ``jobline`` console script."""
    sys.exit(main())
