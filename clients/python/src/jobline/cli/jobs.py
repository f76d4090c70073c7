"""``jobline ls``, ``get``, ``events``, ``cancel``, ``retry``, ``rm`` and ``cleanup``."""
from __future__ import annotations

import argparse
import sys
from typing import Any, Callable

from ..errors import ProblemError
from . import text
from .context import Context
from .exits import CliError, Exit


def ls(ctx: Context, args: argparse.Namespace) -> int:
    filters = {"status": args.status, "type": args.type, "owner": args.owner, "limit": args.limit}
    if args.all:
        jobs = list(ctx.client.iter_jobs(**{**filters, "limit": 1000}))
        jobs = jobs[: args.limit] if args.limit else jobs
        page = {"jobs": jobs, "count": len(jobs)}
    else:
        page = ctx.client.list(**filters)
        jobs = page.get("jobs", [])
    if ctx.json:
        ctx.print_json(page)
        return Exit.OK
    if not jobs:
        ctx.note("No jobs.")
        return Exit.OK
    ctx.say(text.table(("ID", "TYPE", "STATUS", "PROGRESS", "STAGE", "AGE", "DURATION"),
                       (_row(job) for job in jobs), ctx.width()))
    total = page.get("count")
    if not args.all and isinstance(total, int) and total > len(jobs):
        ctx.note(f"{len(jobs)} of {total} jobs; --limit N or --all for more")
    return Exit.OK


def _row(job: dict[str, Any]) -> tuple:
    stage = job.get("stage")
    if stage and job.get("stages_total"):
        stage = f"{stage} {job.get('stage_number') or 0}/{job['stages_total']}"
    return (job.get("job_id"), job.get("type"), job.get("status"), f"{job.get('progress') or 0}%", stage,
            text.age(job.get("created_at")), text.duration(job.get("elapsed_seconds")))


def get(ctx: Context, args: argparse.Namespace) -> int:
    job = ctx.client.get(args.job_id)
    if ctx.json:
        ctx.print_json(job)
        return Exit.OK
    ctx.say(describe(job))
    return Exit.OK


def describe(job: dict[str, Any]) -> str:
    """``jobline get``: the job's fields, then its stages, files, artifacts and failed attempts as tables."""
    stage = job.get("stage")
    if stage and job.get("stages_total"):
        stage = f"{stage} ({job.get('stage_number') or 0} of {job['stages_total']})"
    created = job.get("created_at")
    blocks = [text.fields([
        ("ID", job.get("job_id")),
        ("Type", job.get("type")),
        ("Owner", job.get("owner")),
        ("Status", f"{job.get('status')} ({job.get('progress') or 0}%)"),
        ("Message", job.get("progress_message")),
        ("Stage", stage),
        ("Attempt", f"{job.get('attempt')} of {job.get('max_attempts')}" if job.get("attempt") else None),
        ("Next attempt", text.timestamp(job["next_attempt_at"]) if job.get("next_attempt_at") else None),
        ("Created", f"{text.timestamp(created)} ({text.age(created)} ago)" if created else None),
        ("Started", text.timestamp(job["started_at"]) if job.get("started_at") else None),
        ("Finished", text.timestamp(job["completed_at"]) if job.get("completed_at") else None),
        ("Elapsed", text.duration(job.get("elapsed_seconds"))),
        ("ETA", text.duration(job["estimated_seconds_remaining"])
         if job.get("status") == "running" and job.get("estimated_seconds_remaining") is not None else None),
        ("Error", job.get("error")),
        ("Input", text.compact(job["input"]) if job.get("input") is not None else None),
    ])]
    stages = job.get("stages") or []
    if stages:
        blocks.append("Stages:\n" + _indent(text.table(("#", "NAME", "STARTED", "DURATION"), (
            (s.get("number"), s.get("name"), text.clock(s.get("started_at")) if s.get("started_at") else "-",
             _span(s.get("started_at"), s.get("completed_at"))) for s in stages))))
    for title, files in (("Files", job.get("files")), ("Artifacts", job.get("artifacts"))):
        if files:
            blocks.append(f"{title}:\n" + _indent(text.table(("NAME", "SIZE", "TYPE"), (
                (f.get("name"), text.size(f.get("size")), f.get("content_type")) for f in files))))
    errors = job.get("errors") or []
    if errors:
        blocks.append("Failed attempts:\n" + _indent(text.table(("ATTEMPT", "STAGE", "AT", "ERROR"), (
            (e.get("attempt"), e.get("stage"), text.timestamp(e.get("at")), e.get("error")) for e in errors))))
    return "\n\n".join(blocks)


def _span(start: str | None, end: str | None) -> str:
    began, ended = text.parse_time(start), text.parse_time(end)
    if not began:
        return "-"
    if not ended:
        return "running"
    return text.duration((ended - began).total_seconds())


def _indent(block: str) -> str:
    return "\n".join("  " + line for line in block.splitlines())


def events(ctx: Context, args: argparse.Namespace) -> int:
    """Every event (page after page) after ``--after``, up to ``--limit``."""
    collected: list[dict[str, Any]] = []
    after = args.after
    while True:
        want = None if args.limit is None else min(1000, args.limit - len(collected))
        page = ctx.client.events(args.job_id, after=after, limit=want)
        collected.extend(page.get("events", []))
        after = page.get("next_after")
        if after is None or (args.limit is not None and len(collected) >= args.limit):
            break
    if ctx.json:
        ctx.print_json({"job_id": args.job_id, "count": len(collected), "events": collected, "next_after": after})
        return Exit.OK
    ctx.say(text.table(("SEQ", "TIME", "ATTEMPT", "TYPE", "DATA"), (
        (e.get("sequence"), text.clock(e.get("timestamp")), e.get("attempt"), e.get("type"),
         text.compact(e.get("data")) if e.get("data") else "") for e in collected), ctx.width()))
    return Exit.OK


def cancel(ctx: Context, args: argparse.Namespace) -> int:
    return _each(ctx, args.job_ids, ctx.client.cancel, "cancel requested")


def retry(ctx: Context, args: argparse.Namespace) -> int:
    return _each(ctx, args.job_ids, ctx.client.retry, "retry requested")


def rm(ctx: Context, args: argparse.Namespace) -> int:
    return _each(ctx, args.job_ids, ctx.client.delete, "deletion requested")


def _each(ctx: Context, job_ids: list[str], action: Callable[[str], Any], done: str) -> int:
    """The action on every job, going on past a refused one (as ``kubectl delete a b`` does); 4 if any was."""
    answers, code = [], Exit.OK
    for job_id in job_ids:
        try:
            answer = action(job_id)
        except ProblemError as error:
            code = Exit.REFUSED
            answers.append({"job_id": job_id, "error": {"status": error.status, "title": error.title,
                                                        "detail": error.detail, **error.extra}})
            if not ctx.json:
                ctx.note(f"{job_id}: {error.detail or error.title or error.status}")
            continue
        answers.append(answer if answer is not None else {"job_id": job_id})
        if not ctx.json:
            ctx.say(f"{job_id}: {done}")
    if ctx.json:
        ctx.print_json(answers[0] if len(answers) == 1 else answers)
    return code


def cleanup(ctx: Context, args: argparse.Namespace) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("cleanup deletes jobs for good: pass --yes to run it without a terminal to confirm on")
        reply = input(f"Delete every job that finished more than {args.days} days ago at {ctx.settings.url}? [y/N] ")
        if reply.strip().lower() not in ("y", "yes"):
            ctx.note("Nothing deleted.")
            return Exit.OK
    answer = ctx.client.cleanup(args.days)
    if ctx.json:
        ctx.print_json(answer)
        return Exit.OK
    ctx.say(answer.get("message") or f"{answer.get('deleted')} job(s) deleted")
    for job_id in answer.get("job_ids") or []:
        ctx.say(f"  {job_id}")
    return Exit.OK
