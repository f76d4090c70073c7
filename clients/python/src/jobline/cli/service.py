"""``jobline types``, ``workers``, ``stats`` and ``config``: what the service offers and how it is doing."""
from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from . import text
from .context import Context
from .exits import Exit


def types(ctx: Context, args: argparse.Namespace) -> int:
    if args.name:
        job_type = ctx.client.job_type(args.name)
        if ctx.json:
            ctx.print_json(job_type)
            return Exit.OK
        ctx.say(_describe_type(job_type))
        return Exit.OK
    answer = ctx.client.job_types()
    if ctx.json:
        ctx.print_json(answer)
        return Exit.OK
    ctx.say(text.table(("NAME", "KIND", "VERSION", "STAGES", "DESCRIPTION"), (
        (t.get("name"), t.get("kind"), t.get("version") or "-",
         ",".join(t["stages"]) + ("…" if t.get("dynamic_stages") else "") if t.get("stages") else "(from input)",
         t.get("description") or (t.get("input_schema") or {}).get("description") or "") for t in answer),
        ctx.width()))
    return Exit.OK


def _describe_type(job_type: dict[str, Any]) -> str:
    schema = job_type.get("input_schema") or {}
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    blocks = [text.fields([
        ("Name", job_type.get("name")),
        ("Kind", job_type.get("kind")),
        ("Version", job_type.get("version")),
        ("Description", job_type.get("description") or schema.get("description")),
        ("Stages", ", ".join(job_type["stages"]) if job_type.get("stages") else "planned from the input"),
        ("Dynamic stages", "yes" if job_type.get("dynamic_stages") else None),
        ("Dedup key", job_type.get("dedup_key")),
        ("Concurrency", job_type.get("concurrency_limit")),
        ("Declared", text.timestamp(job_type["declared_at"]) if job_type.get("declared_at") else None),
    ])]
    if properties:
        blocks.append("Input:\n" + "\n".join("  " + line for line in text.table(
            ("FIELD", "TYPE", "DEFAULT", "DESCRIPTION"),
            ((name + ("*" if name in required else ""), spec.get("type", "-"),
              text.compact(spec["default"]) if "default" in spec else "-", spec.get("description", ""))
             for name, spec in properties.items())).splitlines()))
    options = job_type.get("default_options") or {}
    if options:
        blocks.append("Default options:\n" + "\n".join(
            f"  {key} = {text.compact(value)}" for key, value in options.items()))
    return "\n\n".join(blocks)


def workers(ctx: Context, args: argparse.Namespace) -> int:
    answer = ctx.client.workers()
    if ctx.json:
        ctx.print_json(answer)
        return Exit.OK
    listed = answer.get("workers") or []
    if not listed:
        ctx.say("No workers announced.")
        return Exit.OK
    ctx.say(workers_table(listed, width=ctx.width()))
    return Exit.OK


def workers_table(listed: list[dict[str, Any]], now: datetime | None = None, width: int | None = None) -> str:
    """One line per worker: what ``GET /api/workers`` says of it, its last heartbeat as an age."""
    return text.table(("WORKER", "KIND", "STATUS", "TYPES", "SLOTS", "JOBS", "SEEN", "INSTANCE"), (
        (w.get("worker_id"), w.get("kind"), w.get("status"), ",".join(w.get("types") or []) or "-",
         f"{w.get('slots_in_use', 0)}/{'-' if w.get('slots_total') is None else w['slots_total']}",
         "-" if w.get("jobs") is None else (",".join(f"{j['job_id'][:8]}#{j['attempt']}" for j in w["jobs"]) or "-"),
         text.age(w.get("last_seen_at"), now) + " ago", ",".join(w.get("instances") or []))
        for w in listed), width)


def stats(ctx: Context, args: argparse.Namespace) -> int:
    answer = ctx.client.stats()
    if ctx.json:
        ctx.print_json(answer)
        return Exit.OK
    counts = answer.get("counts") or {}
    ctx.say("  ".join(f"{status} {counts.get(status, 0)}" for status in
                      ("pending", "running", "completed", "failed", "cancelled")) + f"  total {answer.get('total', 0)}")
    rows = [(t.get("type"), t.get("total"), (t.get("counts") or {}).get("running", 0),
             (t.get("counts") or {}).get("failed", 0),
             "-" if t.get("success_rate") is None else f"{t['success_rate'] * 100:.0f}%",
             text.duration(t.get("average_duration_seconds"))) for t in answer.get("types") or []]
    if rows:
        ctx.say("")
        ctx.say(text.table(("TYPE", "TOTAL", "RUNNING", "FAILED", "SUCCESS", "AVG DURATION"), rows))
    return Exit.OK


def config(ctx: Context, args: argparse.Namespace) -> int:
    settings = ctx.settings
    key = settings.api_key
    shown = None if key is None else (key[:12] + "…" if len(key) > 16 else "…")
    values = {"url": settings.url, "url_source": settings.url_source, "api_key": shown,
              "api_key_source": settings.api_key_source, "config_file": str(settings.config_path)}
    if ctx.json:
        ctx.print_json(values)
        return Exit.OK
    ctx.say(text.fields([
        ("URL", f"{settings.url}  ({settings.url_source})"),
        ("API key", f"{shown}  ({settings.api_key_source})" if key else "none (protected mode or no access)"),
        ("Config file", f"{settings.config_path}" + ("" if settings.config_path.exists() else "  (none)")),
    ]))
    return Exit.OK
