"""``AsyncClient``: the asyncio twin of ``Client``, method for method."""
from __future__ import annotations

import asyncio
import inspect
from typing import Any, AsyncIterator, Callable, Mapping

import httpx

from . import _requests as api
from ._http import DEFAULT_TIMEOUT, USER_AGENT
from ._wait import Waiting, retryable_read
from .errors import ProblemError
from .follow import AsyncFollow
from .progress import Progress

Json = dict[str, Any]


class AsyncClient:
    """As ``Client``, with ``async`` methods; ``follow`` returns an async iterator."""

    def __init__(self, base_url: str = "http://localhost:8080", *, timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
                 headers: Mapping[str, str] | None = None, http: httpx.AsyncClient | None = None):
        self.base_url = base_url.rstrip("/")
        self._headers = {"User-Agent": USER_AGENT, **(headers or {})}
        self._http = http or httpx.AsyncClient(base_url=self.base_url, timeout=timeout, headers=self._headers)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _send(self, request: api.Request) -> Any:
        with request.cleanup:
            response = await self._http.request(request.method, request.path, **request.send_kwargs())
        return request.decode(response)

    async def submit(self, type: str, input: Mapping[str, Any] | None = None, files: api.FilesArg | None = None,
                     options: Mapping[str, Any] | None = None, idempotency_key: str | None = None,
                     notify: api.NotifyArg | None = None) -> Json:
        return await self._send(api.submit(type, input, files, options, idempotency_key, notify))

    async def get(self, job_id: str) -> Json:
        return await self._send(api.get(job_id))

    async def list(self, **filters: Any) -> Json:
        return await self._send(api.list_jobs(filters))

    async def iter_jobs(self, **filters: Any) -> AsyncIterator[Json]:
        while True:
            page = await self.list(**filters)
            for job in page.get("jobs", []):
                yield job
            if not page.get("next_after"):
                return
            filters = {**filters, "after": page["next_after"], "offset": None}

    async def result(self, job_id: str) -> Json:
        return await self._send(api.result(job_id))

    async def cancel(self, job_id: str) -> Json:
        return await self._send(api.cancel(job_id))

    async def retry(self, job_id: str) -> Json:
        return await self._send(api.retry(job_id))

    async def delete(self, job_id: str) -> Json | None:
        return await self._send(api.delete(job_id))

    async def cleanup(self, days: int) -> Json:
        return await self._send(api.cleanup(days))

    async def stats(self) -> Json:
        return await self._send(api.stats())

    async def workers(self) -> Json:
        return await self._send(api.workers())

    async def metric(self, name: str, **tags: str) -> Json:
        return await self._send(api.metric(name, tags))

    async def events(self, job_id: str, after: int | None = None, limit: int | None = None) -> Json:
        return await self._send(api.events(job_id, after, limit))

    async def artifact(self, job_id: str, name: str) -> bytes:
        return await self._send(api.artifact(job_id, name))

    async def deliveries(self, job_id: str) -> Json:
        return await self._send(api.deliveries(job_id))

    async def webhooks(self) -> Json:
        return await self._send(api.webhooks())

    async def subscribe_webhook(self, url: str, events: str | list[str] | None = None,
                                job_types: str | list[str] | None = None) -> Json:
        return await self._send(api.subscribe_webhook(url, events, job_types))

    async def delete_webhook(self, subscription_id: str) -> None:
        await self._send(api.delete_webhook(subscription_id))

    async def webhook_secret(self) -> Json:
        return await self._send(api.webhook_secret())

    async def declare_type(self, name: str, stages: list[str], *, description: str | None = None,
                           input_schema: Mapping[str, Any] | None = None, options: Mapping[str, Any] | None = None,
                           dedup_key: str | None = None, concurrency_limit: int | None = None,
                           dynamic_stages: bool | None = None) -> Json:
        body = api.type_declaration(stages, description=description, input_schema=input_schema, options=options,
                                    dedup_key=dedup_key, concurrency_limit=concurrency_limit,
                                    dynamic_stages=dynamic_stages)
        return await self._send(api.declare_type(name, body))

    async def job_types(self) -> Any:
        return await self._send(api.job_types())

    async def job_type(self, name: str) -> Json:
        return await self._send(api.job_type(name))

    async def delete_type(self, name: str) -> None:
        await self._send(api.delete_type(name))

    async def wait(self, job_id: str, timeout: float | None = None,
                   on_progress: Callable[[Progress], Any] | None = None, *, live: bool = False) -> Json:
        """As ``Client.wait``; ``on_progress`` may be a plain function or a coroutine function."""
        waiting = Waiting(job_id, timeout)
        if live:
            return await self._wait_live(waiting, on_progress)
        while True:
            try:
                step = waiting.polled(await self.get(job_id))
                await _notify(on_progress, step.progress)
                if step.job is not None:
                    return dict(step.job)
            except ProblemError as error:
                if not retryable_read(error):
                    raise
            await asyncio.sleep(waiting.next_delay())

    async def _wait_live(self, waiting: Waiting, on_progress: Callable[[Progress], Any] | None) -> Json:
        async with self.follow(waiting.job_id) as updates:
            while True:
                try:
                    message = await updates.receive(timeout=waiting.remaining())
                except TimeoutError:
                    raise waiting.timed_out() from None
                if message is None:
                    return dict(waiting.ended())
                step = waiting.pushed(message, updates.status)
                await _notify(on_progress, step.progress)
                if step.job is not None:
                    return dict(step.job)

    def follow(self, job_id: str, after: int | None = None, *, until_finished: bool = True,
               reconnect_timeout: float = 60.0) -> AsyncFollow:
        return AsyncFollow(self.base_url, job_id, after=after, until_finished=until_finished,
                           reconnect_timeout=reconnect_timeout, headers=self._headers)


async def _notify(callback: Callable[[Progress], Any] | None, progress: Progress | None) -> None:
    if callback is not None and progress is not None:
        outcome = callback(progress)
        if inspect.isawaitable(outcome):
            await outcome
