"""The client API as request descriptions: each method of Client and AsyncClient builds one, sends it, decodes it.

Keeping what to send and how to read the answer here, apart from the I/O, lets the sync and async clients be
thin twins that cannot drift apart.
"""
from __future__ import annotations

import json
import os
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Callable, Iterable, Mapping, Union
from urllib.parse import quote

import httpx

from ._http import json_body, problem_from
from .errors import JobNotFinished

FileContent = Union[bytes, str, "os.PathLike[str]", BinaryIO]
FilesArg = Union[Mapping[str, Union[FileContent, tuple]], Iterable[Union[str, "os.PathLike[str]"]]]
NotifyArg = Union[str, Mapping[str, Any]]


@dataclass
class Request:
    method: str
    path: str
    decode: Callable[[httpx.Response], Any]
    params: dict[str, Any] | None = None
    json: Any = None
    data: dict[str, Any] | None = None
    files: list[tuple[str, tuple]] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    cleanup: ExitStack = field(default_factory=ExitStack)
    follow_redirects: bool = False

    def send_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"headers": self.headers}
        if self.follow_redirects:
            # An S3 file store answers downloads with a redirect to a presigned URL; httpx drops the
            # Authorization header when the redirect leaves the service's origin, as it must.
            kwargs["follow_redirects"] = True
        if self.params:
            kwargs["params"] = self.params
        if self.files is not None:
            kwargs["files"] = self.files
            kwargs["data"] = self.data or {}
        elif self.json is not None:
            kwargs["json"] = self.json
        return kwargs


def _job(job_id: str) -> str:
    return "/api/jobs/" + quote(job_id, safe="")


def _ok(*statuses: int) -> Callable[[httpx.Response], Any]:
    return lambda response: json_body(response, statuses)


def submit(type: str, input: Mapping[str, Any] | None, files: FilesArg | None, options: Mapping[str, Any] | None,
           idempotency_key: str | None, notify: NotifyArg | None = None) -> Request:
    request = Request("POST", "/api/jobs", _ok(200, 202))
    if idempotency_key is not None:
        request.headers["Idempotency-Key"] = idempotency_key
    webhook = notify_body(notify)
    if files:
        request.data = {"type": type}
        if input is not None:
            request.data["input"] = json.dumps(input)
        if options is not None:
            request.data["options"] = json.dumps(options)
        if webhook is not None:
            request.data["notify"] = json.dumps(webhook)
        request.files = _file_parts(files, request.cleanup)
    else:
        body: dict[str, Any] = {"type": type}
        if input is not None:
            body["input"] = input
        if options is not None:
            body["options"] = options
        if webhook is not None:
            body["notify"] = webhook
        request.json = body
    return request


def notify_body(notify: NotifyArg | None) -> dict[str, Any] | None:
    """A submit's ``notify``: a URL alone (the job's end only) or ``{"url", "events"}`` (events among terminal,
    stage, progress; the service's default is ``["terminal"]``)."""
    if notify is None:
        return None
    if isinstance(notify, str):
        return {"url": notify}
    if isinstance(notify, Mapping):
        if not isinstance(notify.get("url"), str):
            raise ValueError("notify needs a 'url', like {'url': 'https://example.com/hooks/jobs', "
                             "'events': ['terminal']}")
        body = dict(notify)
        if body.get("events") is not None:
            body["events"] = _names(body["events"])
        else:
            body.pop("events", None)
        return body
    raise TypeError(f"notify is a URL or a mapping with 'url' and 'events', not {type(notify).__name__}")


def _names(value: str | Iterable[str]) -> list[str]:
    """A list of names, given as a list or as one comma-separated string."""
    if isinstance(value, str):
        return [name.strip() for name in value.split(",") if name.strip()]
    return list(value)


def _file_parts(files: FilesArg, cleanup: ExitStack) -> list[tuple[str, tuple]]:
    """Every file as a part named ``file``; the server names the file by the part's filename."""
    if isinstance(files, Mapping):
        items = list(files.items())
    else:
        items = [(os.path.basename(os.fspath(path)), path) for path in files]
    parts = []
    for name, value in items:
        content_type = None
        if isinstance(value, tuple):
            value, content_type = value
        if isinstance(value, (str, os.PathLike)):
            value = cleanup.enter_context(open(value, "rb"))
        parts.append(("file", (name, value, content_type or "application/octet-stream")))
    return parts


def get(job_id: str) -> Request:
    return Request("GET", _job(job_id), _ok(200))


def list_jobs(filters: Mapping[str, Any]) -> Request:
    return Request("GET", "/api/jobs", _ok(200), params={k: v for k, v in filters.items() if v is not None})


def result(job_id: str) -> Request:
    def decode(response: httpx.Response) -> Any:
        if response.status_code == 202:
            body = response.json() if response.content else {}
            raise JobNotFinished(job_id, body.get("status"))
        return json_body(response, (200,))
    return Request("GET", _job(job_id) + "/result", decode)


def cancel(job_id: str) -> Request:
    return Request("POST", _job(job_id) + "/cancel", _ok(200, 202))


def retry(job_id: str) -> Request:
    return Request("POST", _job(job_id) + "/retry", _ok(200, 202))


def delete(job_id: str) -> Request:
    return Request("DELETE", _job(job_id), _ok(200, 202, 204))


def cleanup(days: int) -> Request:
    return Request("POST", "/api/jobs/cleanup", _ok(200), params={"days": days})


def stats() -> Request:
    return Request("GET", "/api/jobs/stats", _ok(200))


def workers() -> Request:
    """Every worker any instance announced (``GET /api/workers``)."""
    return Request("GET", "/api/workers", _ok(200))


def metric(name: str, tags: Mapping[str, str] | None) -> Request:
    """``/actuator/metrics/{name}``, narrowed by ``tag=key:value`` for each tag."""
    params = {"tag": [f"{key}:{value}" for key, value in (tags or {}).items()]} if tags else None
    return Request("GET", "/actuator/metrics/" + quote(name, safe=""), _ok(200), params=params)


def events(job_id: str, after: int | None, limit: int | None) -> Request:
    params = {k: v for k, v in {"after": after, "limit": limit}.items() if v is not None}
    return Request("GET", _job(job_id) + "/events", _ok(200), params=params)


def artifact(job_id: str, name: str) -> Request:
    def decode(response: httpx.Response) -> bytes:
        if response.status_code != 200:
            raise problem_from(response)
        return response.content
    return Request("GET", _job(job_id) + "/artifacts/" + quote(name, safe=""), decode, follow_redirects=True)


def deliveries(job_id: str) -> Request:
    return Request("GET", _job(job_id) + "/deliveries", _ok(200))


def webhooks() -> Request:
    return Request("GET", "/api/webhooks", _ok(200))


def subscribe_webhook(url: str, events: str | Iterable[str] | None, job_types: str | Iterable[str] | None) -> Request:
    body: dict[str, Any] = {"url": url}
    if events is not None:
        body["events"] = _names(events)
    if job_types is not None:
        body["job_types"] = _names(job_types)
    return Request("POST", "/api/webhooks", _ok(201), json=body)


def delete_webhook(subscription_id: str) -> Request:
    return Request("DELETE", "/api/webhooks/" + quote(subscription_id, safe=""), _ok(200, 204))


def webhook_secret() -> Request:
    return Request("GET", "/api/webhooks/secret", _ok(200))


def declare_type(name: str, body: Mapping[str, Any]) -> Request:
    return Request("PUT", "/api/job-types/" + quote(name, safe=""), _ok(200, 201), json=dict(body))


def job_types() -> Request:
    return Request("GET", "/api/job-types", _ok(200))


def job_type(name: str) -> Request:
    return Request("GET", "/api/job-types/" + quote(name, safe=""), _ok(200))


def delete_type(name: str) -> Request:
    return Request("DELETE", "/api/job-types/" + quote(name, safe=""), _ok(200, 204))


def type_declaration(stages: Iterable[str], *, description: str | None = None,
                     input_schema: Mapping[str, Any] | None = None, options: Mapping[str, Any] | None = None,
                     dedup_key: str | None = None, concurrency_limit: int | None = None,
                     dynamic_stages: bool | None = None) -> dict[str, Any]:
    """The body of ``PUT /api/job-types/{name}``, without the fields left at None (the server's defaults)."""
    body: dict[str, Any] = {"stages": list(stages)}
    for key, value in (("description", description), ("input_schema", input_schema), ("options", options),
                       ("dedup_key", dedup_key), ("concurrency_limit", concurrency_limit),
                       ("dynamic_stages", dynamic_stages)):
        if value is not None:
            body[key] = value
    return body
