"""``Client``: the blocking client of the Jobline REST and WebSocket API."""
from __future__ import annotations

import time
from typing import Any, Callable, Iterator, Mapping

import httpx

from . import _requests as api
from ._http import DEFAULT_TIMEOUT, USER_AGENT
from ._wait import Waiting, retryable_read
from .errors import ProblemError
from .follow import Follow
from .progress import Progress

Json = dict[str, Any]


class Client:
    """Submit, inspect, wait for and control jobs. Every method raises ``ProblemError`` on an error answer.

    Answers are the server's JSON as dicts (snake_case keys, as in the README).
    """

    def __init__(self, base_url: str = "http://localhost:8080", *, timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
                 headers: Mapping[str, str] | None = None, http: httpx.Client | None = None):
        self.base_url = base_url.rstrip("/")
        self._headers = {"User-Agent": USER_AGENT, **(headers or {})}
        self._http = http or httpx.Client(base_url=self.base_url, timeout=timeout, headers=self._headers)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, request: api.Request) -> Any:
        with request.cleanup:
            response = self._http.request(request.method, request.path, **request.send_kwargs())
        return request.decode(response)

    def submit(self, type: str, input: Mapping[str, Any] | None = None, files: api.FilesArg | None = None,
               options: Mapping[str, Any] | None = None, idempotency_key: str | None = None,
               notify: api.NotifyArg | None = None) -> Json:
        """Submits a job; ``{"job_id", "status", "message"}``. With ``files`` (a mapping name -> bytes, path or
        binary file, optionally as ``(content, content_type)``, or a list of paths) it is sent as multipart.

        ``notify`` is the job's own webhook: a URL (told of the job's end), or ``{"url": ..., "events": [...]}``
        with events among ``terminal``, ``stage`` and ``progress``. Deliveries are signed with the owner's secret
        (``webhook_secret()``; check them with ``jobline.webhooks.verify``)."""
        return self._send(api.submit(type, input, files, options, idempotency_key, notify))

    def get(self, job_id: str) -> Json:
        return self._send(api.get(job_id))

    def list(self, **filters: Any) -> Json:
        """One page: ``status``, ``type``, ``owner``, ``limit``, ``offset``, ``after`` (a page's ``next_after``)."""
        return self._send(api.list_jobs(filters))

    def iter_jobs(self, **filters: Any) -> Iterator[Json]:
        """Every matching job, newest first, paging on with ``next_after``."""
        while True:
            page = self.list(**filters)
            yield from page.get("jobs", [])
            if not page.get("next_after"):
                return
            filters = {**filters, "after": page["next_after"], "offset": None}

    def result(self, job_id: str) -> Json:
        """``{"job_id", "status", "result", "artifacts"}`` of a completed job; ``JobNotFinished`` while it runs,
        ``ProblemError`` (409, with ``job_status`` and ``error``) when it failed or was cancelled."""
        return self._send(api.result(job_id))

    def cancel(self, job_id: str) -> Json:
        return self._send(api.cancel(job_id))

    def retry(self, job_id: str) -> Json:
        return self._send(api.retry(job_id))

    def delete(self, job_id: str) -> Json | None:
        return self._send(api.delete(job_id))

    def cleanup(self, days: int) -> Json:
        """``POST /api/jobs/cleanup``: deletes every job that finished more than ``days`` days ago (admin)."""
        return self._send(api.cleanup(days))

    def stats(self) -> Json:
        """Counts per status, and per type its success rate and average duration."""
        return self._send(api.stats())

    def workers(self) -> Json:
        """Every worker of the deployment: in-process and external, with status, types, slots and jobs."""
        return self._send(api.workers())

    def metric(self, name: str, **tags: str) -> Json:
        """One metric of the instance that answers (``/actuator/metrics/{name}``, admin), narrowed by its tags."""
        return self._send(api.metric(name, tags))

    def events(self, job_id: str, after: int | None = None, limit: int | None = None) -> Json:
        """One page of the job's event history: events with a sequence above ``after``."""
        return self._send(api.events(job_id, after, limit))

    def artifact(self, job_id: str, name: str) -> bytes:
        """The bytes of an uploaded file or produced artifact of the job."""
        return self._send(api.artifact(job_id, name))

    def deliveries(self, job_id: str) -> Json:
        """The job's webhook deliveries with every try: ``{"job_id", "notify_url", "deliveries", "count"}``; each
        delivery has ``status`` pending, delivered or failed, and ``attempts`` (``status_code``, ``error``, ...)."""
        return self._send(api.deliveries(job_id))

    def webhooks(self) -> Json:
        """The caller's webhook subscriptions (an admin's: everyone's): ``{"webhooks": [...], "count"}``."""
        return self._send(api.webhooks())

    def subscribe_webhook(self, url: str, events: str | list[str] | None = None,
                          job_types: str | list[str] | None = None) -> Json:
        """``POST /api/webhooks``: tells ``url`` about the caller's jobs submitted from now on (of ``job_types``
        only, when given) for ``events`` (terminal, stage, progress; the service's default is terminal only).
        Answers the subscription with its ``id`` and the ``secret`` its deliveries are signed with."""
        return self._send(api.subscribe_webhook(url, events, job_types))

    def delete_webhook(self, subscription_id: str) -> None:
        """Deletes a subscription; ``ProblemError`` 404 when there is none with that id."""
        self._send(api.delete_webhook(subscription_id))

    def webhook_secret(self) -> Json:
        """``{"owner", "secret", "scheme"}``: the ``whsec_...`` secret that the caller's webhooks are signed with."""
        return self._send(api.webhook_secret())

    def declare_type(self, name: str, stages: list[str], *, description: str | None = None,
                     input_schema: Mapping[str, Any] | None = None, options: Mapping[str, Any] | None = None,
                     dedup_key: str | None = None, concurrency_limit: int | None = None,
                     dynamic_stages: bool | None = None) -> Json:
        """``PUT /api/job-types/{name}``: declares (or changes) a worker-run job type; the declared version. With
        ``dynamic_stages=True``, ``stages`` is the plan a job starts with, and its worker declares the rest as it
        goes."""
        body = api.type_declaration(stages, description=description, input_schema=input_schema, options=options,
                                    dedup_key=dedup_key, concurrency_limit=concurrency_limit,
                                    dynamic_stages=dynamic_stages)
        return self._send(api.declare_type(name, body))

    def job_types(self) -> Any:
        return self._send(api.job_types())

    def job_type(self, name: str) -> Json:
        return self._send(api.job_type(name))

    def delete_type(self, name: str) -> None:
        self._send(api.delete_type(name))

    def wait(self, job_id: str, timeout: float | None = None, on_progress: Callable[[Progress], Any] | None = None,
             *, live: bool = False) -> Json:
        """Blocks until the job is completed, failed or cancelled and returns it (as ``get`` does).

        Polls with backoff (0.1 s growing to 2 s), or with ``live=True`` follows the WebSocket. ``on_progress`` is
        called with a ``Progress`` whenever status, progress, message or stage changed. ``WaitTimeout`` after
        ``timeout`` seconds.
        """
        waiting = Waiting(job_id, timeout)
        if live:
            return self._wait_live(waiting, on_progress)
        while True:
            try:
                step = waiting.polled(self.get(job_id))
                if step.progress is not None and on_progress is not None:
                    on_progress(step.progress)
                if step.job is not None:
                    return dict(step.job)
            except ProblemError as error:
                if not retryable_read(error):
                    raise
            time.sleep(waiting.next_delay())

    def _wait_live(self, waiting: Waiting, on_progress: Callable[[Progress], Any] | None) -> Json:
        with self.follow(waiting.job_id) as updates:
            while True:
                try:
                    message = updates.receive(timeout=waiting.remaining())
                except TimeoutError:
                    raise waiting.timed_out() from None
                if message is None:
                    return dict(waiting.ended())
                step = waiting.pushed(message, updates.status)
                if step.progress is not None and on_progress is not None:
                    on_progress(step.progress)
                if step.job is not None:
                    return dict(step.job)

    def follow(self, job_id: str, after: int | None = None, *, until_finished: bool = True,
               reconnect_timeout: float = 60.0) -> Follow:
        """Live ``job_progress``/``job_status`` messages of one job over ``/ws`` (see ``jobline.follow``).
        ``after=0`` first replays every progress update from the start."""
        return Follow(self.base_url, job_id, after=after, until_finished=until_finished,
                      reconnect_timeout=reconnect_timeout, headers=self._headers)
