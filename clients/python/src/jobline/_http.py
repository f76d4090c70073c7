"""Turns HTTP answers into values or ProblemErrors; shared by the sync and async clients and the worker."""
from __future__ import annotations

import json
from typing import Any

import httpx

from .errors import ProblemError

USER_AGENT = "jobline-python/0.1"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def problem_from(response: httpx.Response) -> ProblemError:
    """The ProblemError for a non-2xx answer, problem+json or not."""
    retry_after = _retry_after(response)
    body = _json_or_none(response)
    if isinstance(body, dict):
        problem = ProblemError.from_body(response.status_code, body, retry_after)
        if problem.title is None:
            problem.title = response.reason_phrase or None
        return problem
    text = response.text.strip()
    return ProblemError(response.status_code, response.reason_phrase or None, text[:500] or None,
                        retry_after=retry_after)


def json_body(response: httpx.Response, ok: tuple[int, ...] = (200,)) -> Any:
    """The answer's JSON when its status is one of ``ok`` (None for an empty body); a ProblemError otherwise."""
    if response.status_code not in ok:
        raise problem_from(response)
    if not response.content:
        return None
    return response.json()


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content) if response.content else None
    except ValueError:
        return None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def ws_url(base_url: str) -> str:
    """``http://host:port/prefix`` -> ``ws://host:port/prefix/ws``."""
    url = httpx.URL(base_url)
    scheme = "wss" if url.scheme == "https" else "ws"
    return str(url.copy_with(scheme=scheme, path=url.path.rstrip("/") + "/ws", query=None, fragment=None))
