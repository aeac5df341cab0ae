"""Idempotency-Key on creating POSTs: a retry gets the first answer and creates nothing."""

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import TypeVar

import anyio.to_thread
from sqlmodel import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.asgi import bearer_token, header, send_problem
from app.auth.service import authenticate
from app.idempotency import service
from app.idempotency.service import Verdict

HEADER = "Idempotency-Key"
REPLAYED_HEADERS = ("content-type", "location", "etag")
T = TypeVar("T")


def _valid_key(key: str) -> bool:
    return 1 <= len(key) <= 255 and all(33 <= ord(c) <= 126 for c in key)


class Idempotency:
    """Keys are per account, kept in the database (so they hold across workers and restarts)."""

    def __init__(
        self,
        app: ASGIApp,
        sessions: Callable[[], AbstractContextManager[Session]],
        ttl: timedelta,
    ) -> None:
        self.app = app
        self.sessions = sessions
        self.ttl = ttl

    async def _db(self, work: Callable[[Session], T]) -> T:
        def run() -> T:
            with self.sessions() as session:
                return work(session)

        return await anyio.to_thread.run_sync(run)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = header(scope, HEADER.lower().encode())
        token = bearer_token(scope)
        if scope["type"] != "http" or scope["method"] != "POST" or key is None or token is None:
            await self.app(scope, receive, send)
            return
        if not _valid_key(key):
            await send_problem(
                send,
                422,
                "validation-error",
                f"{HEADER}: 1 to 255 visible ASCII characters",
                errors=[{"field": HEADER, "message": "1 to 255 visible ASCII characters"}],
            )
            return
        principal = await self._db(lambda s: authenticate(s, token))
        if principal is None:  # the app answers 401; there is nothing to protect
            await self.app(scope, receive, send)
            return
        account_id: uuid.UUID = principal.account.id

        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        print_ = service.fingerprint(
            scope["method"], scope["path"], scope["query_string"], bytes(body)
        )

        reservation = await self._db(
            lambda s: service.reserve(s, account_id, key, print_, self.ttl)
        )
        if reservation.verdict is Verdict.mismatch:
            await send_problem(
                send,
                422,
                "idempotency-key-reused",
                f"{HEADER} {key!r} was used for a different request",
                errors=[{"field": HEADER, "message": "was used for a different request"}],
            )
            return
        if reservation.verdict is Verdict.running:
            await send_problem(
                send,
                409,
                "idempotency-key-in-use",
                f"A request with {HEADER} {key!r} is still running; retry shortly",
                headers={"Retry-After": "1"},
            )
            return
        if reservation.verdict is Verdict.replay:
            record = reservation.record
            assert record is not None
            assert record.status_code is not None
            stored = record.body or b""
            headers = [(k.encode(), v.encode()) for k, v in (record.headers or {}).items()]
            headers += [
                (b"idempotent-replayed", b"true"),
                (b"content-length", str(len(stored)).encode()),
            ]
            await send(
                {"type": "http.response.start", "status": record.status_code, "headers": headers}
            )
            await send({"type": "http.response.body", "body": stored})
            return

        await self._run_and_keep(scope, bytes(body), send, account_id, key)

    async def _run_and_keep(
        self, scope: Scope, body: bytes, send: Send, account_id: uuid.UUID, key: str
    ) -> None:
        delivered = False

        async def replay_body() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        status = 500
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, start
            if message["type"] == "http.response.start":
                status, start = message["status"], message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, replay_body, capture)
        except BaseException:
            await self._db(lambda s: service.release(s, account_id, key))
            raise
        answer = b"".join(chunks)
        if status < 500:
            # Kept before the client hears the answer, so any retry after it finds it.
            assert start is not None
            kept = {
                name.decode("latin-1").lower(): value.decode("latin-1")
                for name, value in start.get("headers", [])
                if name.decode("latin-1").lower() in REPLAYED_HEADERS
            }
            await self._db(lambda s: service.complete(s, account_id, key, status, kept, answer))
        else:
            await self._db(lambda s: service.release(s, account_id, key))
        assert start is not None
        await send(start)
        await send({"type": "http.response.body", "body": answer})
