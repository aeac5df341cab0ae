"""Idempotency-Key on creating POSTs: a retry gets the first answer and creates nothing."""

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

import anyio.to_thread
from sqlalchemy.exc import OperationalError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.asgi import bearer_token, header, send_problem
from app.auth.service import authenticate
from app.db import UnitOfWork, answer_busy, unit_of_work
from app.errors import FieldError, IdempotencyKeyInUse, IdempotencyKeyReused, InvalidInput
from app.idempotency import service
from app.idempotency.service import Reservation, Verdict

HEADER = "Idempotency-Key"
REPLAYED_HEADERS = ("content-type", "location", "etag")
T = TypeVar("T")


def _valid_key(key: str) -> bool:
    return 1 <= len(key) <= 255 and all(33 <= ord(c) <= 126 for c in key)


class Idempotency:
    """Keys are per account and kept in the database, so they hold across workers and restarts.

    A keyed request's stored answer is added to the request's own unit of work (app.db), which
    commits it together with what the request wrote, or neither. A crash at any point leaves
    either nothing (the retry runs afresh) or both (the retry replays)."""

    def __init__(self, app: ASGIApp, ttl: timedelta) -> None:
        self.app = app
        self.ttl = ttl

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = header(scope, HEADER.lower().encode())
        token = bearer_token(scope)
        if scope["type"] != "http" or scope["method"] != "POST" or key is None or token is None:
            await self.app(scope, receive, send)
            return
        if not _valid_key(key):
            await send_problem(send, InvalidInput(HEADER, "1 to 255 visible ASCII characters"))
            return
        try:
            await self._keyed(scope, receive, send, key, token)
        except OperationalError:
            # A busy (or lost) database while claiming or keeping the key: like any write that
            # cannot get through, a 503 with Retry-After; the unit of work stores nothing.
            await answer_busy(send)

    async def _keyed(
        self, scope: Scope, receive: Receive, send: Send, key: str, token: str
    ) -> None:
        unit = unit_of_work(scope)

        def lookup() -> uuid.UUID | None:
            principal = authenticate(unit.session, token)
            return principal.account_id if principal else None

        account_id = await run_sync(lookup)
        if account_id is None:  # the app answers 401; there is nothing to protect
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:
            return
        claim = service.Claim(
            account_id,
            key,
            service.fingerprint(scope["method"], scope["path"], scope["query_string"], body),
        )
        reservation = await run_sync(lambda: service.reserve(unit.session, claim, self.ttl))
        if reservation.verdict is Verdict.proceed:
            await self._run_and_keep(scope, body, send, unit, claim)
        else:
            await _answer_without_running(send, key, reservation)

    async def _run_and_keep(
        self, scope: Scope, body: bytes, send: Send, unit: UnitOfWork, claim: service.Claim
    ) -> None:
        delivered = False
        unit.answer_joins()

        async def replay_body() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, replay_body, capture)
        answer = service.Answer(
            status_code=int(start.get("status", 500)),
            headers={
                name.decode("latin-1").lower(): value.decode("latin-1")
                for name, value in start.get("headers", [])
                if name.decode("latin-1").lower() in REPLAYED_HEADERS
            },
            body=b"".join(chunks),
        )
        if answer.status_code < 500:

            def keep() -> None:
                # An error answer is kept without the work: settling rolls the work back, and
                # with it the claim, so the key is claimed again for the answer alone.
                if unit.settle(answer.status_code):
                    again = service.reserve(unit.session, claim, self.ttl)
                    if again.verdict is not Verdict.proceed:
                        return
                service.keep(unit.session, claim, answer)

            await run_sync(keep)
        # The unit of work commits when this answer starts: durable before the client hears of
        # it, so any retry after the answer finds it. A 5xx commits nothing.
        await send(start)
        await send({"type": "http.response.body", "body": answer.body})


async def run_sync(work: Callable[[], T]) -> T:
    """Blocking database work off the event loop."""
    return await anyio.to_thread.run_sync(work)


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None when the client went away."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        body += message.get("body", b"")
        if not message.get("more_body", False):
            return bytes(body)


async def _answer_without_running(send: Send, key: str, reservation: Reservation) -> None:
    if reservation.verdict is Verdict.mismatch:
        reused = IdempotencyKeyReused(
            f"{HEADER} {key!r} was used for a different request",
            errors=[FieldError(field=HEADER, message="was used for a different request")],
        )
        await send_problem(send, reused)
    elif reservation.verdict is Verdict.running:
        in_use = IdempotencyKeyInUse(
            f"A request with {HEADER} {key!r} is still running; retry shortly",
            headers={"Retry-After": "1"},
        )
        await send_problem(send, in_use)
    else:
        answer = reservation.answer
        assert answer is not None
        headers = [(k.encode(), v.encode()) for k, v in answer.headers.items()]
        headers += [
            (b"idempotent-replayed", b"true"),
            (b"content-length", str(len(answer.body)).encode()),
        ]
        await send(
            {"type": "http.response.start", "status": answer.status_code, "headers": headers}
        )
        await send({"type": "http.response.body", "body": answer.body})
