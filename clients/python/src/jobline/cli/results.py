"""``jobline result``: a completed job's result, and the download of its artifacts and uploaded files."""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from ..errors import JobNotFinished, ProblemError
from . import text
from .context import Context
from .exits import OUTCOMES, CliError, Exit


def result(ctx: Context, args: argparse.Namespace) -> int:
    wanted = list(args.artifacts)
    if args.all_artifacts or wanted:
        return _download(ctx, args, wanted)
    try:
        answer = ctx.client.result(args.job_id)
    except JobNotFinished as error:
        raise CliError(f"{error}: follow it with jobline follow {args.job_id}", Exit.REFUSED) from None
    except ProblemError as error:
        if error.status == 409 and error.get("job_status") in OUTCOMES:
            # no result because it failed or was cancelled: the same code as following it would give
            ctx.note(f"jobline: {error.detail or error.title}")
            return OUTCOMES[error.get("job_status")]
        raise
    body = answer if ctx.json else answer.get("result")
    rendered = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    if args.output and args.output != "-":
        _write(Path(args.output), rendered.encode("utf-8"))
        ctx.note(f"Wrote the result to {args.output}")
    else:
        ctx.stdout.write(rendered)
    artifacts = answer.get("artifacts") or []
    if artifacts and not ctx.json:
        names = ", ".join(f"{a.get('name')} ({text.size(a.get('size'))})" for a in artifacts)
        ctx.note(f"Artifacts: {names}; download with jobline result {args.job_id} --artifact NAME "
                 "(or --all-artifacts)")
    return Exit.OK


def _download(ctx: Context, args: argparse.Namespace, wanted: list[str]) -> int:
    if args.all_artifacts:
        job = ctx.client.get(args.job_id)
        wanted += [a["name"] for a in job.get("artifacts") or [] if a.get("name") not in wanted]
        if not wanted:
            ctx.note(f"Job {args.job_id} has no artifacts.")
            return Exit.OK
    if args.output and len(wanted) > 1:
        raise CliError("-o names one file: give one --artifact with it, or --dir for several")
    written = []
    for name in wanted:
        content = ctx.client.artifact(args.job_id, name)
        if args.output == "-":
            _write_stdout(ctx, content)
            continue
        target = Path(args.output) if args.output else Path(args.dir) / _safe_name(name)
        _write(target, content)
        written.append({"name": name, "path": str(target), "size": len(content)})
        if not ctx.json:
            ctx.note(f"Wrote {name} to {target} ({text.size(len(content))})")
    if ctx.json:
        ctx.print_json(written)
    return Exit.OK


def _write_stdout(ctx: Context, content: bytes) -> None:
    ctx.stdout.flush()
    buffer = getattr(ctx.stdout, "buffer", None)
    if buffer is None:
        ctx.stdout.write(content.decode("utf-8", "replace"))
        return
    buffer.write(content)
    buffer.flush()


def _safe_name(name: str) -> str:
    """The artifact's name as a file name in the target folder: never a path out of it."""
    base = os.path.basename(name.replace("\\", "/"))
    if base in ("", ".", ".."):
        raise CliError(f"the artifact name '{name}' is not a file name; download it with -o FILE", Exit.REFUSED)
    return base


def _write(path: Path, content: bytes) -> None:
    try:
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror}") from None
