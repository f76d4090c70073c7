"""Runs one attempt: its stages from ``first_stage`` on, heartbeats beside them, and the outcome reported."""
from __future__ import annotations

import asyncio
import inspect
import json
import logging
import threading
import traceback
from typing import Any

from ..errors import AttemptStopped, FatalError, ProblemError
from .attempt import Attempt
from .context import Stage, StageContext
from .job_type import JobType
from .tracing import stage_span

log = logging.getLogger("jobline.worker")

MAX_ERROR_CHARS = 4000


def run_attempt(attempt: Attempt, job_type: JobType | None, worker_id: str) -> None:
    beats = threading.Thread(target=_beat, args=(attempt,), name=f"jobline-heartbeat-{attempt.job_id}", daemon=True)
    beats.start()
    try:
        _run_stages(attempt, job_type, worker_id)
    except AttemptStopped as stopped:
        log.info("%s: stopped (%s)", attempt, stopped.reason)
    except FatalError as error:
        _fail(attempt, _describe(error), retryable=False)
    except Exception as error:  # noqa: BLE001 - any stage error fails the attempt, retryable
        log.warning("%s: stage %s failed", attempt, attempt.stage, exc_info=True)
        _fail(attempt, _describe(error, with_trace=True), retryable=True)
    finally:
        attempt.end(AttemptStopped("done"))
        beats.join(timeout=5)
        attempt.api.trace(attempt.job_id, attempt.number, None)


def _run_stages(attempt: Attempt, job_type: JobType | None, worker_id: str) -> None:
    if job_type is None:
        raise RuntimeError(f"This worker does not run job type {attempt.job.get('type')!r}")
    checkpoint = attempt.job.get("checkpoint")
    number = attempt.first_stage
    # attempt.stages is the plan: a stage of a type with dynamic stages may replace the rest of it as it returns.
    while number <= len(attempt.stages):
        name = attempt.stages[number - 1]
        function = job_type.function(name)
        if function is None:
            raise RuntimeError(f"This worker's {job_type.name} has no stage {name!r} (it has {job_type.stage_names}); "
                               f"the job was submitted with version {attempt.job.get('type_version')} of the type")
        attempt.check()
        log.debug("%s: stage %d %s", attempt, number, name)
        with stage_span(attempt, number, name):
            ctx = StageContext(attempt, Stage(number, name), checkpoint, worker_id)
            value = _call_stage(function, ctx)
            _require_json(value, f"stage {name} returned")
            next_stages = _declared_next(job_type, ctx, attempt.stages)
            try:
                if next_stages is not None:
                    attempt.complete_stage(number, value, next_stages)
                elif number < len(attempt.stages):
                    attempt.complete_stage(number, value)
                if number == len(attempt.stages):
                    attempt.complete(value)
                    log.info("%s: completed", attempt)
            except ProblemError as refused:
                if refused.status in (400, 413, 422):
                    raise FatalError(f"The server refused what stage {name} returned: {refused}") from refused
                raise
        checkpoint = value
        number += 1


def _declared_next(job_type: JobType, ctx: StageContext, plan: list[str]) -> list[str] | None:
    """The stages the stage named to run after it, when they change the plan; None when it goes on as it is."""
    declared = ctx.next_stages
    number = ctx.stage.number
    if declared is None or declared == plan[number:]:
        return None
    if not job_type.dynamic:
        raise FatalError(f"Stage {ctx.stage.name} named the next stages, but job type {job_type.name} has a fixed "
                         "plan: declare it with dynamic_stages=True")
    if not all(isinstance(name, str) and name.strip() for name in declared):
        raise FatalError(f"Stage {ctx.stage.name} named next stages that are not all names: {declared!r}")
    if number + len(declared) > 100:
        raise FatalError(f"Stage {ctx.stage.name} named {len(declared)} next stages: a plan has at most 100 stages")
    missing = [name for name in declared if job_type.function(name) is None]
    if missing:
        raise FatalError(f"Stage {ctx.stage.name} named stage(s) {missing} that this worker's {job_type.name} has no "
                         f"function for (a method named after each, or any_stage; in a mapping, an entry or \"*\")")
    return declared


def _call_stage(function: Any, ctx: StageContext) -> Any:
    """Calls a stage; an ``async def`` stage runs to its end on an event loop of its own, in this thread."""
    value = function(ctx)
    if inspect.isawaitable(value):
        value = asyncio.run(_wait_for(value))
    return value


async def _wait_for(awaitable: Any) -> Any:
    return await awaitable


def _require_json(value: Any, what: str) -> None:
    try:
        json.dumps(value)
    except (TypeError, ValueError) as error:
        raise FatalError(f"{what} a value that is not JSON ({error}); return a checkpoint made of dicts, lists, "
                         "strings, numbers, booleans and None") from error


def _fail(attempt: Attempt, error: str, retryable: bool) -> None:
    try:
        answer = attempt.fail(error, retryable)
        log.info("%s: failed (%s); the job is %s", attempt, "retryable" if retryable else "fatal",
                 answer.get("status"))
    except AttemptStopped as stopped:
        log.info("%s: not reporting the failure, the attempt is over (%s)", attempt, stopped.reason)
    except Exception:  # noqa: BLE001 - the lease will expire and the server retries the job
        log.exception("%s: could not report the failure", attempt)


def _describe(error: BaseException, with_trace: bool = False) -> str:
    text = f"{type(error).__name__}: {error}" if not isinstance(error, FatalError) else str(error) or "FatalError"
    if with_trace:
        frames = traceback.extract_tb(error.__traceback__)[-3:]
        text += "\n" + "".join(traceback.format_list(frames))
    return text[:MAX_ERROR_CHARS]


def _beat(attempt: Attempt) -> None:
    while attempt.wait_until_heartbeat_due():
        try:
            attempt.heartbeat()
        except AttemptStopped:
            return
        except Exception:  # noqa: BLE001 - a missed beat is not fatal; the next may pass
            log.warning("%s: heartbeat failed", attempt, exc_info=True)
