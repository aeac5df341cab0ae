"""Idempotency keys: reserve a key before the work, keep the answer after it, replay it."""

import enum
import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app.db import utcnow
from app.idempotency.models import IdempotencyRecord

# A first request that has not finished in this long is taken to have died with its worker.
STALE_AFTER = timedelta(minutes=2)


class Verdict(enum.Enum):
    proceed = "proceed"  # the key is ours: run the request
    replay = "replay"  # the same request ran before: answer as it was answered
    running = "running"  # the same key is in use by a request still running (409)
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


def reserve(
    session: Session, account_id: uuid.UUID, key: str, print_: str, ttl: timedelta
) -> Reservation:
    """Claim `key` for this request, or say what happened to it before."""
    now = utcnow()
    session.execute(
        delete(IdempotencyRecord).where(
            col(IdempotencyRecord.account_id) == account_id,
            col(IdempotencyRecord.created_at) < now - ttl,
        )
    )
    session.add(IdempotencyRecord(account_id=account_id, key=key, fingerprint=print_))
    try:
        session.commit()
        return Reservation(Verdict.proceed)
    except IntegrityError:
        session.rollback()
    record = session.get(IdempotencyRecord, (account_id, key), populate_existing=True)
    if record is None:  # released between our insert and our read: the caller may retry
        return Reservation(Verdict.running)
    if record.fingerprint != print_:
        return Reservation(Verdict.mismatch, record)
    if record.status_code is not None:
        return Reservation(Verdict.replay, record)
    if record.created_at < now - STALE_AFTER:
        record.created_at = now
        session.add(record)
        session.commit()
        return Reservation(Verdict.proceed)
    return Reservation(Verdict.running, record)


def complete(
    session: Session,
    account_id: uuid.UUID,
    key: str,
    status_code: int,
    headers: dict[str, str],
    body: bytes,
) -> None:
    """Keep the answer so that retries get it again."""
    record = session.get(IdempotencyRecord, (account_id, key), populate_existing=True)
    if record is None:
        return
    record.status_code = status_code
    record.headers = headers
    record.body = body
    session.add(record)
    session.commit()


def release(session: Session, account_id: uuid.UUID, key: str) -> None:
    """Forget the key after a failure, so that a retry runs the request afresh."""
    session.execute(
        delete(IdempotencyRecord).where(
            col(IdempotencyRecord.account_id) == account_id, col(IdempotencyRecord.key) == key
        )
    )
    session.commit()
