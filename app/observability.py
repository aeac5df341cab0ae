"""What an operator sees of each request: its `X-Request-ID`, its count and latency in
`/metrics`, and one access-log line (`app.access`).

`RequestTelemetry` is a pure ASGI middleware wrapped around the whole application, outside
Starlette's error middleware, so that every answer carries the id — a 413 or 429 from a
middleware and a 500 from a crash included — and the latency is the one the client sees.
"""

import logging
import os
import re
import time
from typing import Any

from fastapi import FastAPI
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.logs import ACCESS_LOGGER, begin_request
from app.metrics import LATENCY, REQUESTS

HEADER = b"x-request-id"
# A caller's id is kept when it looks like an id: what tracing systems and proxies send
# (UUIDs, hex trace ids, base64url), 1 to 128 characters; anything else is replaced.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}")
UNMATCHED = "unmatched"  # no route: a 404, or an answer given before routing (413, 429)

access_log = logging.getLogger(ACCESS_LOGGER)


def request_id(scope: Scope) -> str:
    """The caller's `X-Request-ID` when it is sane, else 128 random bits in hex."""
    for key, value in scope["headers"]:
        if key == HEADER:
            text: str = value.decode("latin-1")
            if SANE_ID.fullmatch(text):
                return text
            break
    return os.urandom(16).hex()


def route_template(scope: Scope, root_path: str) -> str:
    """The path template of the route that served the request (never the raw path: it holds
    ids and share-link secrets); `/docs/assets/{path}` for a mounted app, which the router
    shows by extending the scope's `root_path` (it was `root_path` on the way in)."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str) and not isinstance(route, Mount):
        return path
    mounted: str = scope.get("root_path", "")
    if mounted != root_path and mounted.startswith(root_path):
        return mounted[len(root_path) :] + "/{path}"
    return UNMATCHED


class RequestTelemetry:
    """Per request: an id, a count, a latency, a log line — a few microseconds in all (the
    metrics' labelled children are kept; the log record skips `findCaller`'s stack walk)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._counts: dict[tuple[str, str, int], Any] = {}
        self._latencies: dict[tuple[str, str], Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        root_path = scope.get("root_path", "")
        rid = request_id(scope)
        begin_request(rid)
        raw_id = rid.encode("latin-1")
        status = 500  # unless an answer starts

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (HEADER, raw_id)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route, method = route_template(scope, root_path), scope["method"]
            self._count(route, method, status, elapsed)
            if access_log.isEnabledFor(logging.INFO):
                fields = {
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 3),
                }
                access_log.handle(
                    access_log.makeRecord(
                        ACCESS_LOGGER,
                        logging.INFO,
                        __file__,
                        0,
                        "%s %s %d",
                        (method, route, status),
                        None,
                        extra=fields,
                    )
                )

    def _count(self, route: str, method: str, status: int, elapsed: float) -> None:
        key = (route, method, status)
        count = self._counts.get(key)
        if count is None:
            count = self._counts[key] = REQUESTS.labels(route, method, str(status))
        count.inc()
        latency = self._latencies.get(key[:2])
        if latency is None:
            latency = self._latencies[key[:2]] = LATENCY.labels(route, method)
        latency.observe(elapsed)


def add_request_telemetry(app: FastAPI) -> None:
    """Wrap the app's whole middleware stack (Starlette's error middleware too) in
    `RequestTelemetry`; `add_middleware` would put it inside that one."""
    build = app.build_middleware_stack

    def build_with_telemetry() -> ASGIApp:
        return RequestTelemetry(build())

    app.build_middleware_stack = build_with_telemetry  # type: ignore[method-assign]
