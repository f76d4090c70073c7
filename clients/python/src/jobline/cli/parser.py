"""The command line: ``jobline [--url URL] [--profile P] [--json] COMMAND ...``, with standard argparse.

The common options are accepted before and after the command (``jobline ls --json`` and ``jobline --json ls``).
Argument errors exit with 3, as every other usage error does, not argparse's 2 (a cancelled job's code here).
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, NoReturn, Sequence

from .exits import Exit

STATUSES = ("pending", "running", "completed", "failed", "cancelled")
WEBHOOK_EVENTS = ("terminal", "stage", "progress")

EPILOG = """\
configuration: --url beats --profile's values, which beat JOBLINE_URL / JOBLINE_API_KEY, which beat the
config file ($JOBLINE_CONFIG or ~/.config/jobline/config.toml; JOBLINE_PROFILE picks a profile of it);
the URL defaults to http://localhost:8080. `jobline config` shows what is in use.

exit codes: 0 done (a followed job completed), 1 the job failed, 2 the job was cancelled, 3 usage error,
4 the service answered an error (or a job has no result yet), 5 the service could not be reached, 130 Ctrl-C.
"""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(Exit.USAGE, f"{self.prog}: error: {message}\n")


def json_text(text: str) -> Any:
    """A JSON argument: the text itself, ``@path`` for a file's content, ``-`` for standard input."""
    source = "argument"
    if text == "-":
        text, source = sys.stdin.read(), "standard input"
    elif text.startswith("@"):
        path = text[1:]
        try:
            with open(path, encoding="utf-8") as file:
                text, source = file.read(), path
        except OSError as error:
            raise argparse.ArgumentTypeError(f"cannot read {path}: {error.strerror}") from None
    try:
        return json.loads(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not JSON ({source}): {error}") from None


def json_object(text: str) -> dict[str, Any]:
    value = json_text(text)
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"must be a JSON object, not {type(value).__name__}: {text}")
    return value


def option_pair(text: str) -> tuple[str, Any]:
    """``k=v``: the value as JSON when it is (``max_attempts=3``, ``timeout_ms=null``), else as text."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got '{text}'")
    try:
        return key.strip(), json.loads(value)
    except ValueError:
        return key.strip(), value


def event_list(text: str) -> list[str]:
    """``terminal,stage``: webhook event kinds, comma-separated, each one of ``WEBHOOK_EVENTS``."""
    kinds = [kind.strip() for kind in text.split(",") if kind.strip()]
    unknown = [kind for kind in kinds if kind not in WEBHOOK_EVENTS]
    if not kinds or unknown:
        raise argparse.ArgumentTypeError(f"expected a comma-separated list of {', '.join(WEBHOOK_EVENTS)}; "
                                         f"got '{text}'")
    return list(dict.fromkeys(kinds))


def name_list(text: str) -> list[str]:
    """``a,b``: names, comma-separated."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError(f"expected a comma-separated list of names; got '{text}'")
    return names


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value}")
    return value


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: '{text}'") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {value}")
    return value


def _common(defaults: bool) -> argparse.ArgumentParser:
    """The options every command takes. On the subcommands they default to SUPPRESS, so that an option given
    before the command is not reset by the subcommand's default."""
    common = argparse.ArgumentParser(add_help=False)
    default = (lambda value: value) if defaults else (lambda value: argparse.SUPPRESS)
    common.add_argument("--url", default=default(None), help="the service (JOBLINE_URL; http://localhost:8080)")
    common.add_argument("--profile", default=default(None), help="a profile of the config file")
    common.add_argument("--json", action="store_true", default=default(False),
                        help="print the service's JSON answer, for scripts")
    return common


def build() -> Parser:
    parser = Parser(prog="jobline", description="Submit, follow and manage Jobline jobs.", epilog=EPILOG,
                    formatter_class=argparse.RawDescriptionHelpFormatter, parents=[_common(True)])
    from .. import __version__
    parser.add_argument("--version", action="version", version=f"jobline {__version__}")
    commands = parser.add_subparsers(dest="command_as_typed", metavar="COMMAND", required=True)
    common = [_common(False)]

    def command(name: str, help: str, aliases: Sequence[str] = ()) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help, aliases=list(aliases), parents=common)
        sub.set_defaults(command=name)  # the command's own name, also when typed as an alias
        return sub

    submit = command("submit", "submit a job; print its id (and with --follow, follow it to its end)")
    submit.add_argument("type", help="the job type (jobline types lists them)")
    submit.add_argument("--input", "-i", type=json_object, metavar="JSON",
                        help="the job's input: a JSON object, @file.json, or - for standard input")
    submit.add_argument("--file", action="append", default=[], metavar="PATH", dest="files",
                        help="a file to upload with the job (repeatable); the job is sent as multipart")
    submit.add_argument("--option", action="append", default=[], type=option_pair, metavar="KEY=VALUE",
                        dest="option_pairs", help="a job option, e.g. max_attempts=3 (repeatable)")
    submit.add_argument("--options", type=json_object, metavar="JSON",
                        help='job options as a JSON object, e.g. \'{"max_attempts": 3}\'; --option entries win')
    submit.add_argument("--idempotency-key", metavar="KEY",
                        help="the same key within 24 h answers the job it made instead of making another")
    submit.add_argument("--notify", metavar="URL",
                        help="the job's webhook: POST its events to URL, signed (jobline webhooks secret)")
    submit.add_argument("--notify-events", type=event_list, metavar="LIST",
                        help="which events go to --notify: terminal, stage, progress, comma-separated (terminal)")
    _following(submit, "follow the job to its end; exit 0 completed, 1 failed, 2 cancelled")

    follow = command("follow", "follow a job to its end (progress bar; exit 0 completed, 1 failed, 2 cancelled)",
                     aliases=["watch"])
    follow.add_argument("job_id", metavar="ID")
    _following(follow, None)

    ls = command("ls", "list jobs, newest first", aliases=["list"])
    ls.add_argument("--status", choices=STATUSES)
    ls.add_argument("--type", help="only jobs of this type")
    ls.add_argument("--owner", help="only this owner's jobs (an admin's listing)")
    ls.add_argument("--limit", "-n", type=positive_int, metavar="N", help="at most N jobs (the service's 50)")
    ls.add_argument("--all", "-A", action="store_true", help="every matching job, page after page")

    get = command("get", "show one job: status, stages, attempts, files")
    get.add_argument("job_id", metavar="ID")

    events = command("events", "a job's event history")
    events.add_argument("job_id", metavar="ID")
    events.add_argument("--after", type=non_negative_int, metavar="SEQ", help="only events after this sequence")
    events.add_argument("--limit", "-n", type=positive_int, metavar="N", help="at most N events")

    result = command("result", "a completed job's result, and its artifacts")
    result.add_argument("job_id", metavar="ID")
    result.add_argument("-o", "--output", metavar="FILE",
                        help="write the result (or the one --artifact) to FILE instead of standard output")
    result.add_argument("--artifact", "-a", action="append", default=[], metavar="NAME", dest="artifacts",
                        help="download this artifact or uploaded file (repeatable)")
    result.add_argument("--all-artifacts", action="store_true", help="download every artifact of the job")
    result.add_argument("--dir", "-d", default=".", metavar="DIR", help="where artifacts go (the current folder)")

    for name, help, aliases in (("cancel", "cancel jobs (pending or running)", ()),
                                ("retry", "retry failed or cancelled jobs", ()),
                                ("rm", "delete jobs and their files (an active job is cancelled first)",
                                 ("delete",))):
        control = command(name, help, aliases)
        control.add_argument("job_ids", nargs="+", metavar="ID")

    cleanup = command("cleanup", "delete every job that finished more than N days ago (admin)")
    cleanup.add_argument("--days", type=non_negative_int, default=30, metavar="N",
                         help="age in days of the jobs to delete (30, the service's own retention)")
    cleanup.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")

    deliveries = command("deliveries", "a job's webhook deliveries and every try of each")
    deliveries.add_argument("job_id", metavar="ID")

    webhooks = command("webhooks", "webhook subscriptions: your jobs' events POSTed to a URL of yours, signed")
    actions = webhooks.add_subparsers(dest="action_as_typed", metavar="ACTION", required=True)

    def action(name: str, help: str, aliases: Sequence[str] = ()) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help, description=help, aliases=list(aliases), parents=common)
        sub.set_defaults(action=name)
        return sub

    action("ls", "list the subscriptions (an admin's: everyone's)", aliases=["list"])
    add = action("add", "subscribe URL to the events of the jobs you submit from now on; print its id")
    add.add_argument("webhook_url", metavar="URL", help="where to POST, http(s)://; internal addresses are refused")
    add.add_argument("--events", type=event_list, metavar="LIST",
                     help="terminal, stage, progress, comma-separated (terminal: a job's end)")
    add.add_argument("--types", type=name_list, metavar="LIST", dest="job_types",
                     help="only jobs of these types, comma-separated (every type)")
    rm = action("rm", "delete subscriptions", aliases=["delete"])
    rm.add_argument("webhook_ids", nargs="+", metavar="ID")
    action("secret", "print the secret your webhooks are signed with (whsec_...), to verify deliveries")

    types = command("types", "the job types that can be submitted")
    types.add_argument("name", nargs="?", help="show this type in full, with its input schema")

    command("workers", "every worker of the deployment: in-process and external, its types, slots and last heartbeat")
    command("stats", "job counts per status, success rate and average duration per type")
    command("config", "the URL and key in use, and where each comes from")
    return parser


def _following(parser: argparse.ArgumentParser, follow_help: str | None) -> None:
    if follow_help:
        parser.add_argument("--follow", "-f", action="store_true", help=follow_help)
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="no progress while following (a failure's error is still printed)")


def parse(argv: Sequence[str]) -> argparse.Namespace:
    return build().parse_args(argv)
