"""``jobline types``, ``workers``, ``stats`` and ``config``: what the service offers and how it is doing."""
from __future__ import annotations

import argparse
from typing import Any

from ..errors import ProblemError
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


# The service lists no workers (there is no GET /api/workers): what it has are these gauges of the instance that
# answers, as /actuator/metrics serves them to an admin.
_WORKER_METRICS = (
    ("in_process", "connected", "jobline.workers.connected", {"kind": "in-process"}),
    ("in_process", "slots_busy", "jobline.workers.slots", {"state": "busy"}),
    ("in_process", "slots_free", "jobline.workers.slots", {"state": "free"}),
    ("external", "connected", "jobline.workers.connected", {"kind": "external"}),
    ("external", "polls_waiting", "jobline.workers.polls.waiting", {}),
)


def workers(ctx: Context, args: argparse.Namespace) -> int:
    summary: dict[str, Any] = {"instance": ctx.settings.url, "in_process": {}, "external": {}}
    for group, key, name, tags in _WORKER_METRICS:
        try:
            answer = ctx.client.metric(name, **tags)
        except ProblemError as error:
            if error.status == 404:  # an instance without an in-process worker has no slots gauge
                continue
            raise
        summary[group][key] = _value(answer)
    if ctx.json:
        ctx.print_json(summary)
        return Exit.OK
    local, external = summary["in_process"], summary["external"]
    slots = (f"slots: {_int(local.get('slots_busy'))} busy, {_int(local.get('slots_free'))} free"
             if "slots_busy" in local else "")
    ctx.say(text.table(("KIND", "CONNECTED", "DETAIL"), [
        ("in-process", _int(local.get("connected")), slots),
        ("external", _int(external.get("connected")),
         f"polled in the last minute; long polls waiting now: {_int(external.get('polls_waiting'))}"),
    ]))
    ctx.note(f"From the metrics of the instance at {ctx.settings.url}; the service keeps no list of workers, "
             "and other instances have their own.")
    return Exit.OK


def _value(metric: dict[str, Any]) -> float | None:
    for measurement in metric.get("measurements") or []:
        if measurement.get("statistic") == "VALUE":
            return measurement.get("value")
    return None


def _int(value: float | None) -> str:
    return "-" if value is None else str(int(value))


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
