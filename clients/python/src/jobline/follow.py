"""Following one job over the WebSocket at ``/ws``, as an iterator (``Follow``) or async iterator (``AsyncFollow``).

Each yields the server's ``job_progress`` and ``job_status`` messages (dicts, as sent) in sequence order and ends
after the job's final status (unless ``until_finished=False``). A dropped connection is reopened with backoff and
resumed after the last sequence seen, so no update is lost or repeated; ``reconnects`` counts how often. When no
connection could be made for ``reconnect_timeout`` seconds, ``ConnectionError`` is raised.
"""
from __future__ import annotations

import asyncio
import time
from typing import Any, Mapping

from websockets.asyncio.client import connect as async_connect
from websockets.exceptions import WebSocketException
from websockets.sync.client import connect as sync_connect

from ._follow import FollowState, SubscriptionRefused
from ._http import ws_url
from .progress import backoff

_DROPPED = (WebSocketException, OSError, SubscriptionRefused)


class _Reconnects:
    """Backoff and give-up time shared by both followers."""

    def __init__(self, reconnect_timeout: float):
        self.timeout = reconnect_timeout
        self.count = 0
        self._delays = backoff(0.1, 2.0, 5.0)
        self._down_since: float | None = None
        self._was_connected = False

    def connected(self) -> None:
        if self._was_connected:
            self.count += 1
        self._was_connected = True

    def healthy(self) -> None:
        self._down_since = None
        self._delays = backoff(0.1, 2.0, 5.0)

    def failed(self, error: BaseException) -> float:
        """The delay before the next try; raises ConnectionError once down for longer than the timeout."""
        now = time.monotonic()
        if self._down_since is None:
            self._down_since = now
        if now - self._down_since > self.timeout:
            raise ConnectionError(f"No WebSocket connection for {self.timeout} s: {error}") from error
        return next(self._delays)


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())


class _FollowBase:
    """What the sync and async follows share: where to connect, what was seen, how reconnects go."""

    def __init__(self, base_url: str, job_id: str, *, after: int | None = None, until_finished: bool = True,
                 reconnect_timeout: float = 60.0, headers: Mapping[str, str] | None = None):
        self._url = ws_url(base_url)
        self._headers = dict(headers or {})
        self._state = FollowState(job_id, after, until_finished)
        self._reconnects = _Reconnects(reconnect_timeout)
        self._ws: Any = None
        self._closed = False

    @property
    def last_seq(self) -> int | None:
        return self._state.last_seq

    @property
    def reconnects(self) -> int:
        return self._reconnects.count

    @property
    def status(self) -> str | None:
        """The job's status as of the last job_status message."""
        return self._state.status


class Follow(_FollowBase):
    def __iter__(self) -> "Follow":
        return self

    def __next__(self) -> dict[str, Any]:
        message = self.receive()
        if message is None:
            raise StopIteration
        return message

    def __enter__(self) -> "Follow":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def receive(self, timeout: float | None = None) -> dict[str, Any] | None:
        """The next update; None after the last, ``TimeoutError`` when none came within ``timeout``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if self._state.finished or self._closed:
                self.close()
                return None
            ws = self._connection(deadline)
            try:
                message = self._state.accept(ws.recv(timeout=_remaining(deadline)))
            except TimeoutError:
                raise
            except _DROPPED as error:
                self._drop()
                self._pause(error, deadline)
                continue
            if message is not None:
                self._reconnects.healthy()
                return message

    def close(self) -> None:
        self._closed = True
        self._drop()

    def _connection(self, deadline: float | None) -> Any:
        while self._ws is None:
            try:
                # Entered as a context manager, the form websockets >= 17.1 asks for; closed in _drop.
                ws = sync_connect(self._url, additional_headers=self._headers, open_timeout=10,
                                  close_timeout=2).__enter__()
                ws.send(self._state.subscribe_message())
                self._ws = ws
                self._reconnects.connected()
            except _DROPPED as error:
                self._pause(error, deadline)
        return self._ws

    def _pause(self, error: BaseException, deadline: float | None) -> None:
        delay = self._reconnects.failed(error)
        remaining = _remaining(deadline)
        if remaining is not None and remaining <= delay:
            time.sleep(remaining)
            raise TimeoutError("No update before the deadline (connection lost)") from error
        time.sleep(delay)

    def _drop(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None:
            try:
                ws.close()
            except (WebSocketException, OSError):
                pass


class AsyncFollow(_FollowBase):
    def __aiter__(self) -> "AsyncFollow":
        return self

    async def __anext__(self) -> dict[str, Any]:
        message = await self.receive()
        if message is None:
            raise StopAsyncIteration
        return message

    async def __aenter__(self) -> "AsyncFollow":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def receive(self, timeout: float | None = None) -> dict[str, Any] | None:
        """The next update; None after the last, ``TimeoutError`` when none came within ``timeout``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if self._state.finished or self._closed:
                await self.aclose()
                return None
            ws = await self._connection(deadline)
            try:
                message = self._state.accept(await asyncio.wait_for(ws.recv(), _remaining(deadline)))
            except asyncio.TimeoutError:
                raise TimeoutError("No update before the deadline") from None
            except _DROPPED as error:
                await self._drop()
                await self._pause(error, deadline)
                continue
            if message is not None:
                self._reconnects.healthy()
                return message

    async def aclose(self) -> None:
        self._closed = True
        await self._drop()

    async def _connection(self, deadline: float | None) -> Any:
        while self._ws is None:
            try:
                ws = await async_connect(self._url, additional_headers=self._headers, open_timeout=10,
                                         close_timeout=2)
                await ws.send(self._state.subscribe_message())
                self._ws = ws
                self._reconnects.connected()
            except _DROPPED as error:
                await self._pause(error, deadline)
        return self._ws

    async def _pause(self, error: BaseException, deadline: float | None) -> None:
        delay = self._reconnects.failed(error)
        remaining = _remaining(deadline)
        if remaining is not None and remaining <= delay:
            await asyncio.sleep(remaining)
            raise TimeoutError("No update before the deadline (connection lost)") from error
        await asyncio.sleep(delay)

    async def _drop(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None:
            try:
                await ws.close()
            except (WebSocketException, OSError):
                pass
