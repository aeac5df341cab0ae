"""Request-body size limit (413) and rate limits per token and per client address (429)."""

import hashlib
import logging
import math
import re
import time
from collections.abc import Sequence

from limits import RateLimitItem, parse
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.asgi import bearer_token, header, send_problem
from app.config import Settings
from app.errors import PayloadTooLarge, RateLimited

log = logging.getLogger(__name__)

UNLIMITED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class BodySizeLimit:
    """Refuse request bodies over `max_bytes` with 413, by Content-Length or while streaming;
    paths matching a pattern of `per_path` have that limit instead (imports: their own)."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, per_path: Sequence[tuple[str, int]] = ()
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.per_path = [(re.compile(pattern), limit) for pattern, limit in per_path]

    def _limit(self, path: str) -> int:
        return next((limit for p, limit in self.per_path if p.match(path)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self._limit(scope["path"])
        declared = header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await self._refuse(send, max_bytes)
            return
        received = 0
        too_large = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    # The app sees the client go away; its answer is replaced by the 413.
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not too_large:
                await send(message)
            elif message["type"] == "http.response.start":
                await self._refuse(send, max_bytes)

        await self.app(scope, counting_receive, guarded_send)

    async def _refuse(self, send: Send, max_bytes: int) -> None:
        await send_problem(
            send, PayloadTooLarge(f"The request body is larger than {max_bytes} bytes")
        )


class RateLimit:
    """A sliding-window limit per bearer token, and per client address for calls without one.

    The window is a sliding window counter: this window's hits plus the last window's, weighted
    by how much of it the sliding window still covers. Two counters per caller, whatever the
    limit. A moving window (a timestamp per hit) kept up to `limit` entries per caller, and the
    in-process store trimmed them in a new thread hop on every request: ~9 of a 1-set workout's
    43 context switches under load (bench/bench_load.py).

    Counters live in this process, or in Redis (LEGWORK_REDIS_URL) so that every worker and
    replica shares them. When Redis cannot be reached the limit is not enforced (fail open)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.per_token: RateLimitItem = parse(settings.rate_limit_token)
        self.per_address: RateLimitItem = parse(settings.rate_limit_public)
        storage = storage_from_string(
            "async+" + settings.redis_url if settings.redis_url else "async+memory://"
        )
        self.limiter = SlidingWindowCounterRateLimiter(storage)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        token = bearer_token(scope)
        if token is not None:
            item, key = self.per_token, "token:" + hashlib.sha256(token.encode()).hexdigest()
        else:
            client = scope.get("client")
            item, key = self.per_address, "address:" + (client[0] if client else "unknown")
        try:
            allowed = await self.limiter.hit(item, "legwork", key)
            stats = await self.limiter.get_window_stats(item, "legwork", key)
        except Exception:  # the shared store is down: serve rather than refuse everyone
            log.warning("rate-limit store unavailable; not limiting", exc_info=True)
            await self.app(scope, receive, send)
            return
        reset = max(0, math.ceil(stats.reset_time - time.time()))
        headers = {
            "RateLimit-Limit": str(item.amount),
            "RateLimit-Remaining": str(stats.remaining),
            "RateLimit-Reset": str(reset),
        }
        if not allowed:
            limited = RateLimited(
                f"Too many requests: at most {item.amount} per {item.multiples} "
                f"{item.GRANULARITY.name}(s); retry in {max(reset, 1)} s",
                headers={**headers, "Retry-After": str(max(reset, 1))},
            )
            await send_problem(send, limited)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    *((k.lower().encode(), v.encode()) for k, v in headers.items()),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)
