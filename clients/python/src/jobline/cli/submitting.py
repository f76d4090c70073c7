"""``jobline submit`` and ``jobline follow``."""
from __future__ import annotations

import argparse
import os

from .context import Context
from .exits import OUTCOMES, CliError, Exit
from .following import display_for, follow


def submit(ctx: Context, args: argparse.Namespace) -> int:
    for path in args.files:
        if not os.path.isfile(path):
            raise CliError(f"--file {path}: no such file")
    options = {**(args.options or {}), **dict(args.option_pairs)} if (args.options or args.option_pairs) else None
    if args.notify_events and not args.notify:
        raise CliError("--notify-events needs --notify URL, the webhook they go to")
    notify = None
    if args.notify:
        notify = {"url": args.notify, **({"events": args.notify_events} if args.notify_events else {})}
    answer = ctx.client.submit(args.type, args.input, files=args.files or None, options=options,
                               idempotency_key=args.idempotency_key, notify=notify)
    job_id = answer["job_id"]
    if not args.follow:
        if ctx.json:
            ctx.print_json(answer)
        else:
            ctx.say(job_id)
        return Exit.OK
    if not ctx.json:
        ctx.say(job_id)  # at once, so that a script has the id even if the follow is interrupted
        ctx.stdout.flush()
    return _follow(ctx, job_id, args.quiet)


def follow_job(ctx: Context, args: argparse.Namespace) -> int:
    # A GET first: an unknown id or a refused key is answered as a problem at once, where the WebSocket's
    # handshake would only be retried until the follow gave up.
    ctx.client.get(args.job_id)
    return _follow(ctx, args.job_id, args.quiet)


def _follow(ctx: Context, job_id: str, quiet: bool) -> int:
    try:
        watch = follow(ctx.client, job_id, display_for(ctx.stderr, quiet))
    except KeyboardInterrupt:
        ctx.note(f"\nStopped following; the job goes on. Follow it again: jobline follow {job_id}")
        return Exit.INTERRUPTED
    if ctx.json:
        ctx.print_json(watch.job)
    code = OUTCOMES.get(watch.status or "")
    if code is None:
        raise CliError(f"the follow of {job_id} ended with status {watch.status}", Exit.REFUSED)
    return code
