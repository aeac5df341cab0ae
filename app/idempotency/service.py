"""Idempotency keys: look a key up before the work; keep the answer in the work's transaction."""

import enum
import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlmodel import Session, col

from app.db import utcnow
from app.idempotency.models import IdempotencyRecord


class Verdict(enum.Enum):
    proceed = "proceed"  # the key is free: run the request
    replay = "replay"  # the same request ran before: answer as it was answered
    running = "running"  # a request with this key is running right now (409)
    mismatch = "mismatch"  # the key was used for a different request (422)


@dataclass(frozen=True)
class Reservation:
    verdict: Verdict
    record: IdempotencyRecord | None = None


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _lock_id(account_id: uuid.UUID, key: str) -> int:
    """A signed 64-bit number naming (account, key) for a PostgreSQL advisory lock."""
    digest = hashlib.sha256(account_id.bytes + key.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def reserve(
    session: Session, account_id: uuid.UUID, key: str, print_: str, ttl: timedelta
) -> Reservation:
    """Inside the request's transaction: claim `key`, or say what became of it before.

    The claim is a lock held until that transaction ends: on PostgreSQL an advisory lock (a
    second request with the key gets `running` at once); on SQLite the database write lock
    the transaction took at BEGIN (a second request waits, then finds the answer)."""
    if session.get_bind().dialect.name == "postgresql":
        locked = session.execute(select(func.pg_try_advisory_xact_lock(_lock_id(account_id, key))))
        if not locked.scalar_one():
            return Reservation(Verdict.running)
    session.execute(
        delete(IdempotencyRecord).where(
            col(IdempotencyRecord.account_id) == account_id,
            col(IdempotencyRecord.created_at) < utcnow() - ttl,
        )
    )
    record = session.get(IdempotencyRecord, (account_id, key), populate_existing=True)
    if record is None:
        return Reservation(Verdict.proceed)
    if record.fingerprint != print_:
        return Reservation(Verdict.mismatch, record)
    return Reservation(Verdict.replay, record)


def keep(
    session: Session,
    account_id: uuid.UUID,
    key: str,
    print_: str,
    response: tuple[int, dict[str, str], bytes],
) -> None:
    """Add the answer to the request's transaction, so it commits with the work or not at all."""
    status_code, headers, body = response
    session.add(
        IdempotencyRecord(
            account_id=account_id,
            key=key,
            fingerprint=print_,
            status_code=status_code,
            headers=headers,
            body=body,
        )
    )
