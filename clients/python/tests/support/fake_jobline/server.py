"""The fake Jobline on HTTP: a threaded ``http.server`` routing to ``FakeJobline`` on a free local port."""
from __future__ import annotations

import json
import re
import socket
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import unquote, urlsplit

from . import jobs_api
from .fake import FakeJobline
from .model import Problem

ATTEMPT = r"/api/jobs/(?P<job>[^/]+)/attempts/(?P<attempt>\d+)"


class FakeServer:
    """``with FakeServer() as server:`` serves ``server.fake`` at ``server.url``."""

    def __init__(self, fake: FakeJobline | None = None):
        self.fake = fake or FakeJobline()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self.fake))
        self._http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}"
        self._thread = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-jobline", daemon=True)

    def __enter__(self) -> "FakeServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.fake.close()
        self._http.shutdown()
        self._http.server_close()


def _handler_for(fake: FakeJobline) -> type[BaseHTTPRequestHandler]:
    routes: list[tuple[str, re.Pattern[str], Callable[..., tuple[int, Any]]]] = []

    def route(method: str, pattern: str):
        def register(function: Callable[..., tuple[int, Any]]):
            routes.append((method, re.compile(pattern + r"$"), function))
            return function
        return register

    @route("PUT", r"/api/job-types/(?P<name>[^/]+)")
    def declare(request: "_Handler", name: str) -> tuple[int, Any]:
        return fake.declare(name, request.json())

    @route("GET", r"/api/job-types/(?P<name>[^/]+)")
    def job_type(request: "_Handler", name: str) -> tuple[int, Any]:
        declared = fake.types.get(name)
        if declared is None:
            raise Problem(404, "Not Found", f"No job type {name}")
        return 200, declared.view()

    @route("DELETE", r"/api/job-types/(?P<name>[^/]+)")
    def delete_type(request: "_Handler", name: str) -> tuple[int, Any]:
        fake.types.pop(name, None)
        return 204, None

    @route("POST", r"/api/workers/poll")
    def poll(request: "_Handler") -> tuple[int, Any]:
        return fake.poll(request.json())

    @route("POST", ATTEMPT + r"/heartbeat")
    def heartbeat(request: "_Handler", job: str, attempt: str) -> tuple[int, Any]:
        return fake.attempt_call("heartbeat", job, int(attempt), request.json())

    @route("POST", ATTEMPT + r"/stages/(?P<stage>\d+)/complete")
    def stage_complete(request: "_Handler", job: str, attempt: str, stage: str) -> tuple[int, Any]:
        return fake.attempt_call("stage_complete", job, int(attempt), request.json(), stage=int(stage))

    @route("POST", ATTEMPT + r"/(?P<kind>complete|fail|release)")
    def finish(request: "_Handler", job: str, attempt: str, kind: str) -> tuple[int, Any]:
        return fake.attempt_call(kind, job, int(attempt), request.json())

    @route("PUT", ATTEMPT + r"/artifacts/(?P<name>[^/]+)")
    def upload(request: "_Handler", job: str, attempt: str, name: str) -> tuple[int, Any]:
        content = request.raw_body()
        return fake.attempt_call("artifact", job, int(attempt), {"size": len(content)}, content=content,
                                 content_type=request.headers.get("Content-Type", ""), name=unquote(name))

    @route("POST", r"/api/jobs")
    def submit(request: "_Handler") -> tuple[int, Any]:
        body, files = request.form() if request.is_multipart() else (request.json(), {})
        return jobs_api.submit(fake, body, files, {k.lower(): v for k, v in request.headers.items()})

    @route("GET", r"/api/jobs/(?P<job>[^/]+)")
    def get(request: "_Handler", job: str) -> tuple[int, Any]:
        return jobs_api.get(fake, job)

    @route("GET", r"/api/jobs/(?P<job>[^/]+)/result")
    def result(request: "_Handler", job: str) -> tuple[int, Any]:
        return jobs_api.result(fake, job)

    @route("POST", r"/api/jobs/(?P<job>[^/]+)/cancel")
    def cancel(request: "_Handler", job: str) -> tuple[int, Any]:
        return jobs_api.cancel(fake, job)

    @route("GET", r"/api/jobs/(?P<job>[^/]+)/artifacts/(?P<name>[^/]+)")
    def artifact(request: "_Handler", job: str, name: str) -> tuple[int, Any]:
        content, content_type = jobs_api.artifact(fake, job, unquote(name))
        return 200, (content, content_type)

    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out as two writes: without this, Nagle's algorithm holds the body ~40 ms.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the fake logs its calls itself
            pass

        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        def do_PUT(self) -> None:
            self._dispatch("PUT")

        def do_DELETE(self) -> None:
            self._dispatch("DELETE")

        def raw_body(self) -> bytes:
            return self._body

        def json(self) -> Any:
            raw = self.raw_body()
            try:
                return json.loads(raw) if raw else {}
            except ValueError:
                raise Problem(400, "Bad Request", "The body is not JSON") from None

        def is_multipart(self) -> bool:
            return self.headers.get("Content-Type", "").startswith("multipart/form-data")

        def form(self) -> tuple[dict[str, Any], dict[str, bytes]]:
            head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
            message = BytesParser(policy=HTTP).parsebytes(head + self.raw_body())
            fields: dict[str, Any] = {}
            files: dict[str, bytes] = {}
            for part in message.iter_parts():
                content = part.get_payload(decode=True)
                if part.get_filename():
                    files[part.get_filename()] = content
                else:
                    fields[part.get_param("name", header="content-disposition")] = content.decode()
            for key in ("input", "options", "notify"):
                if key in fields:
                    fields[key] = json.loads(fields[key])
            return fields, files

        def _dispatch(self, method: str) -> None:
            path = urlsplit(self.path).path
            # Read the body whatever happens, so the next request on this kept-alive connection starts clean.
            self._body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            for route_method, pattern, function in routes:
                match = pattern.match(path)
                if match and route_method == method:
                    try:
                        status, body = function(self, **match.groupdict())
                    except Problem as problem:
                        status, body = problem.status, problem.body()
                    self._answer(status, body)
                    return
            self._answer(404, Problem(404, "Not Found", f"No route {method} {path}").body())

        def _answer(self, status: int, body: Any) -> None:
            if isinstance(body, tuple):
                payload, content_type = body
            elif body is None:
                payload, content_type = b"", None
            else:
                payload = json.dumps(body).encode()
                content_type = "application/problem+json" if status >= 400 else "application/json"
            try:
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the worker gave up on a long poll

    return _Handler
