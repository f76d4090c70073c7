"""``jobline deliveries`` and ``jobline webhooks ls|add|rm|secret``."""
from __future__ import annotations

import argparse
from typing import Any

from ..errors import ProblemError
from . import text
from .context import Context
from .exits import Exit


def deliveries(ctx: Context, args: argparse.Namespace) -> int:
    answer = ctx.client.deliveries(args.job_id)
    if ctx.json:
        ctx.print_json(answer)
        return Exit.OK
    found = answer.get("deliveries") or []
    if not found:
        ctx.note(f"No webhook deliveries for {args.job_id}" + (
            f" yet (its webhook: {answer['notify_url']})" if answer.get("notify_url")
            else ": it was submitted without --notify, and no subscription covers it"))
        return Exit.OK
    ctx.say(text.table(("SEQ", "EVENT", "STATUS", "TRIES", "FOR", "URL", "LAST TRY"), (
        (d.get("seq"), d.get("event_type"), d.get("status"), len(d.get("attempts") or []),
         d.get("subscription") or "notify", d.get("url"), last_try(d)) for d in found), ctx.width()))
    return Exit.OK


def last_try(delivery: dict[str, Any]) -> str:
    """How the latest try went (``204 in 12 ms at 10:00:01.250``, or its error), and when the next one is due."""
    attempts = delivery.get("attempts") or []
    parts = []
    if attempts:
        last = attempts[-1]
        outcome = (str(last.get("status_code")) if last.get("delivered") or not last.get("error")
                   else last.get("error"))
        parts.append(f"{outcome} in {last.get('duration_ms')} ms at {text.clock(last.get('at'))}")
    if delivery.get("status") == "pending" and delivery.get("next_attempt_at"):
        parts.append(f"next try at {text.clock(delivery['next_attempt_at'])}")
    return "; ".join(parts) or "-"


def webhooks(ctx: Context, args: argparse.Namespace) -> int:
    return _ACTIONS[args.action](ctx, args)


def _ls(ctx: Context, args: argparse.Namespace) -> int:
    answer = ctx.client.webhooks()
    if ctx.json:
        ctx.print_json(answer)
        return Exit.OK
    found = answer.get("webhooks") or []
    if not found:
        ctx.note("No webhook subscriptions. Make one: jobline webhooks add URL")
        return Exit.OK
    ctx.say(text.table(("ID", "OWNER", "EVENTS", "TYPES", "AGE", "URL"), (
        (w.get("id"), w.get("owner"), ",".join(w.get("events") or []), ",".join(w.get("job_types") or []) or "(all)",
         text.age(w.get("created_at")), w.get("url")) for w in found), ctx.width()))
    return Exit.OK


def _add(ctx: Context, args: argparse.Namespace) -> int:
    answer = ctx.client.subscribe_webhook(args.webhook_url, events=args.events, job_types=args.job_types)
    if ctx.json:
        ctx.print_json(answer)
        return Exit.OK
    ctx.say(answer["id"])
    ctx.note(f"{answer.get('url')} gets {', '.join(answer.get('events') or [])} events of "
             + (f"your {', '.join(answer['job_types'])} jobs" if answer.get("job_types") else "all your jobs")
             + " submitted from now on, signed with the secret of `jobline webhooks secret`")
    return Exit.OK


def _rm(ctx: Context, args: argparse.Namespace) -> int:
    """Deletes every subscription named, going on past a refused one; 4 if any was."""
    answers, code = [], Exit.OK
    for webhook_id in args.webhook_ids:
        try:
            ctx.client.delete_webhook(webhook_id)
        except ProblemError as error:
            code = Exit.REFUSED
            answers.append({"id": webhook_id, "error": {"status": error.status, "title": error.title,
                                                        "detail": error.detail, **error.extra}})
            if not ctx.json:
                ctx.note(f"{webhook_id}: {error.detail or error.title or error.status}")
            continue
        answers.append({"id": webhook_id, "deleted": True})
        if not ctx.json:
            ctx.say(f"{webhook_id}: deleted")
    if ctx.json:
        ctx.print_json(answers[0] if len(answers) == 1 else answers)
    return code


def _secret(ctx: Context, args: argparse.Namespace) -> int:
    answer = ctx.client.webhook_secret()
    if ctx.json:
        ctx.print_json(answer)
        return Exit.OK
    ctx.say(answer["secret"])
    ctx.note(f"The signing secret of {answer.get('owner')}'s webhooks; check a delivery with "
             "jobline.webhooks.verify(secret, headers, body) (Python) or verifyWebhook (TypeScript)")
    return Exit.OK


_ACTIONS = {"ls": _ls, "add": _add, "rm": _rm, "secret": _secret}
