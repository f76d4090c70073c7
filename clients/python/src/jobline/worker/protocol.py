"""The HTTP calls of the worker protocol (docs/worker-protocol.md), one method each, blocking.

Transient failures (connection errors, 429, 502-504) are retried a few times with backoff; every other error
answer is raised as a ProblemError for the caller to judge (409 and 404 end the attempt).
"""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any, Callable, Mapping, TypeVar
from urllib.parse import quote

import httpx

from .._http import USER_AGENT, json_body, problem_from
from ..errors import ProblemError

T = TypeVar("T")
log = logging.getLogger("jobline.worker")

_TRANSIENT_STATUSES = (429, 502, 503, 504)


class WorkerApi:
    def __init__(self, base_url: str, *, timeout: float = 30.0, retries: int = 4,
                 headers: Mapping[str, str] | None = None):
        self.base_url = base_url.rstrip("/")
        self._retries = retries
        self._http = httpx.Client(base_url=self.base_url, timeout=httpx.Timeout(timeout, connect=10.0),
                                  headers={"User-Agent": USER_AGENT, **(headers or {})})
        # Presigned URLs of the file store carry their own signature: never the service's key.
        self._bare = httpx.Client(timeout=httpx.Timeout(timeout, connect=10.0), headers={"User-Agent": USER_AGENT})
        # Whether the service hands out presigned uploads (an S3 file store); None: not asked yet.
        self._presigned_uploads: bool | None = None
        self._traceparents: dict[tuple[str, int], str] = {}

    def trace(self, job_id: str, attempt: int, traceparent: str | None) -> None:
        """Sends ``traceparent`` (W3C) with the attempt's calls from now on, so that they join the job's trace."""
        if traceparent:
            self._traceparents[(job_id, attempt)] = traceparent
        else:
            self._traceparents.pop((job_id, attempt), None)

    def _trace_headers(self, job_id: str, attempt: int) -> dict[str, str]:
        traceparent = self._traceparents.get((job_id, attempt))
        return {"traceparent": traceparent} if traceparent else {}

    def close(self) -> None:
        self._http.close()
        self._bare.close()

    def declare(self, name: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._retrying(lambda: json_body(
            self._http.put("/api/job-types/" + quote(name, safe=""), json=dict(body)), (200, 201)))

    def poll(self, worker_id: str, types: list[str], wait_ms: int) -> dict[str, Any] | None:
        """One long poll: the job handed to this worker, or None when none came within ``wait_ms``."""
        response = self._http.post("/api/workers/poll",
                                   json={"worker_id": worker_id, "types": types, "wait_ms": wait_ms},
                                   timeout=httpx.Timeout(wait_ms / 1000 + 15, connect=10.0))
        if response.status_code == 204:
            return None
        return json_body(response, (200,))

    def heartbeat(self, job_id: str, attempt: int, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._post(job_id, attempt, "/heartbeat", body)

    def complete_stage(self, job_id: str, attempt: int, stage: int, checkpoint: Any,
                       next_stages: list[str] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"checkpoint": checkpoint}
        if next_stages is not None:
            body["next_stages"] = list(next_stages)
        return self._post(job_id, attempt, f"/stages/{stage}/complete", body)

    def complete(self, job_id: str, attempt: int, result: Any) -> dict[str, Any]:
        return self._post(job_id, attempt, "/complete", {"result": result})

    def fail(self, job_id: str, attempt: int, error: str, retryable: bool) -> dict[str, Any]:
        return self._post(job_id, attempt, "/fail", {"error": error, "retryable": retryable})

    def release(self, job_id: str, attempt: int, reason: str) -> dict[str, Any]:
        return self._post(job_id, attempt, "/release", {"reason": reason})

    def upload(self, job_id: str, attempt: int, name: str, content: bytes | Path, content_type: str) -> dict[str, Any]:
        """Stores an artifact of the attempt: straight into the file store by presigned PUT when the service offers
        one (an S3 store), else through the service."""
        path = _attempt(job_id, attempt) + "/artifacts/" + quote(name, safe="")
        if self._presigned_uploads is not False:
            target = self._upload_target(path, content_type, self._trace_headers(job_id, attempt))
            if target is not None and target.get("presigned"):
                return self._put_presigned(job_id, name, target, content, content_type)

        def send() -> Any:
            headers = {"Content-Type": content_type, **self._trace_headers(job_id, attempt)}
            if isinstance(content, Path):
                with open(content, "rb") as file:
                    headers["Content-Length"] = str(os.fstat(file.fileno()).st_size)
                    return json_body(self._http.put(path, content=_chunks(file), headers=headers), (200, 201))
            return json_body(self._http.put(path, content=content, headers=headers), (200, 201))
        return self._retrying(send)

    def _upload_target(self, path: str, content_type: str, headers: dict[str, str]) -> dict[str, Any] | None:
        """Where to PUT the artifact (POST .../upload-url); None from a service without the call."""
        try:
            target = self._retrying(lambda: json_body(
                self._http.post(path + "/upload-url", json={"content_type": content_type}, headers=headers), (200,)))
        except ProblemError as error:
            if error.status not in (404, 405):
                raise
            # 404 is also the answer for a job that is gone: ask again next time, the upload itself will tell.
            return None
        self._presigned_uploads = bool(target and target.get("presigned"))
        return target

    def _put_presigned(self, job_id: str, name: str, target: Mapping[str, Any], content: bytes | Path,
                       content_type: str) -> dict[str, Any]:
        headers = dict(target.get("headers") or {})

        def send() -> None:
            if isinstance(content, Path):
                with open(content, "rb") as file:
                    size = os.fstat(file.fileno()).st_size
                    response = self._bare.request(target["method"], target["url"], content=_chunks(file),
                                                  headers={**headers, "Content-Length": str(size)})
            else:
                response = self._bare.request(target["method"], target["url"], content=content, headers=headers)
            if response.status_code >= 500:
                raise httpx.TransportError(f"the file store answered {response.status_code}")
            response.raise_for_status()
        self._retrying(send)
        size = content.stat().st_size if isinstance(content, Path) else len(content)
        return {"name": name, "size": size, "content_type": content_type,
                "url": f"/api/jobs/{quote(job_id, safe='')}/artifacts/{quote(name, safe='')}"}

    def download(self, url: str, destination: Path | None = None, presigned_url: str | None = None) -> bytes | Path:
        """A job's input file: its bytes, or streamed into ``destination``. From ``presigned_url`` (the poll's
        ``download_url``, an S3 store) without the service's key while it is valid, else from the service's ``url``
        (which an S3 store answers with a redirect to a fresh presigned URL)."""
        if presigned_url:
            try:
                return self._fetch(self._bare, presigned_url, destination)
            except ProblemError as error:
                if error.status not in (400, 403):  # expired: ask the service for a fresh one
                    raise
        return self._fetch(self._http, url, destination)

    def _fetch(self, http: httpx.Client, url: str, destination: Path | None) -> bytes | Path:
        def fetch() -> bytes | Path:
            with http.stream("GET", url, follow_redirects=True) as response:
                if response.status_code != 200:
                    response.read()
                    raise problem_from(response)
                if destination is None:
                    return response.read()
                with open(destination, "wb") as out:
                    for chunk in response.iter_bytes(1 << 16):
                        out.write(chunk)
                return destination
        return self._retrying(fetch)

    def _post(self, job_id: str, attempt: int, suffix: str, body: Mapping[str, Any]) -> dict[str, Any]:
        path = _attempt(job_id, attempt) + suffix
        return self._retrying(lambda: json_body(
            self._http.post(path, json=dict(body), headers=self._trace_headers(job_id, attempt)), (200,)) or {})

    def _retrying(self, call: Callable[[], T]) -> T:
        delay = 0.2
        for tries_left in range(self._retries, -1, -1):
            try:
                return call()
            except httpx.TransportError as error:
                if tries_left == 0:
                    raise
                log.warning("Jobline call failed (%s); trying again in %.1f s", error, delay)
            except ProblemError as error:
                if error.status not in _TRANSIENT_STATUSES or tries_left == 0:
                    raise
                log.warning("Jobline answered %s; trying again in %.1f s", error, delay)
                delay = min(5.0, error.retry_after or delay)
            time.sleep(delay)
            delay = min(5.0, delay * 2)
        raise AssertionError("unreachable")


def _attempt(job_id: str, attempt: int) -> str:
    return f"/api/jobs/{quote(job_id, safe='')}/attempts/{attempt}"


def _chunks(file: Any, size: int = 1 << 16):
    while chunk := file.read(size):
        yield chunk
