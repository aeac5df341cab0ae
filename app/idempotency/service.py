"""Idempotency keys: look a key up before the work; keep the answer in the work's transaction.

Only the client holds the raw key. The server stores its SHA-256 and seals the answer's body
with AES-GCM under a key derived from the raw key (HKDF-SHA256), so only a request that presents
the key again can have the answer replayed: a database dump yields neither working keys nor the
secrets some answers carry. Keys should be random (a UUID v4): a guessable key is as weak as
its guess."""

import enum
import hashlib
import os
import uuid
from dataclasses import dataclass
from datetime import timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, func, select
from sqlmodel import Session, col

from app.db import utcnow
from app.idempotency.models import IdempotencyRecord

NONCE_BYTES = 12


class Verdict(enum.Enum):
    proceed = "proceed"  # the key is free: run the request
    replay = "replay"  # the same request ran before: answer as it was answered
    running = "running"  # a request with this key is running right now (409)
    mismatch = "mismatch"  # the key was used for a different request (422)


@dataclass(frozen=True)
class Answer:
    status_code: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Claim:
    """A request's key: who sent it, the key itself (never stored) and the request's print."""

    account_id: uuid.UUID
    key: str
    fingerprint: str

    @property
    def key_hash(self) -> str:
        return hashlib.sha256(self.key.encode()).hexdigest()

    def _cipher(self) -> AESGCM:
        hkdf = HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=self.account_id.bytes,
            info=b"legwork idempotent answer",
        )
        return AESGCM(hkdf.derive(self.key.encode()))

    def seal(self, body: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._cipher().encrypt(nonce, body, self.fingerprint.encode())

    def unseal(self, sealed: bytes) -> bytes | None:
        """The body, or None when it was not sealed for this claim."""
        nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        try:
            return self._cipher().decrypt(nonce, ciphertext, self.fingerprint.encode())
        except InvalidTag:
            return None


@dataclass(frozen=True)
class Reservation:
    verdict: Verdict
    answer: Answer | None = None


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _lock_id(claim: Claim) -> int:
    """A signed 64-bit number naming (account, key) for a PostgreSQL advisory lock."""
    digest = hashlib.sha256(claim.account_id.bytes + claim.key.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def reserve(session: Session, claim: Claim, ttl: timedelta) -> Reservation:
    """Inside the request's transaction: claim the key, or say what became of it before.

    The claim is a lock held until that transaction ends: on PostgreSQL an advisory lock (a
    second request with the key gets `running` at once); on SQLite the database write lock
    the transaction took at BEGIN (a second request waits, then finds the answer)."""
    if session.get_bind().dialect.name == "postgresql":
        locked = session.execute(select(func.pg_try_advisory_xact_lock(_lock_id(claim))))
        if not locked.scalar_one():
            return Reservation(Verdict.running)
    session.execute(
        delete(IdempotencyRecord).where(
            col(IdempotencyRecord.account_id) == claim.account_id,
            col(IdempotencyRecord.created_at) < utcnow() - ttl,
        )
    )
    record = session.get(
        IdempotencyRecord, (claim.account_id, claim.key_hash), populate_existing=True
    )
    if record is None:
        return Reservation(Verdict.proceed)
    body = claim.unseal(record.sealed_body) if record.fingerprint == claim.fingerprint else None
    if body is None:
        return Reservation(Verdict.mismatch)
    return Reservation(Verdict.replay, Answer(record.status_code, record.headers, body))


def keep(session: Session, claim: Claim, answer: Answer) -> None:
    """Add the answer to the request's transaction, so it commits with the work or not at all."""
    session.add(
        IdempotencyRecord(
            account_id=claim.account_id,
            key_hash=claim.key_hash,
            fingerprint=claim.fingerprint,
            status_code=answer.status_code,
            headers=answer.headers,
            sealed_body=claim.seal(answer.body),
        )
    )
