import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, LargeBinary
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class IdempotencyRecord(SQLModel, table=True):
    """The first answer to a creating POST sent with an Idempotency-Key, replayed on retries.

    Written in the same transaction as the work it answers for. The key is kept only as a hash
    and the answer's body only sealed with a key derived from it, so a copy of the database
    replays nothing and shows no secret an answer carried (a new token, say)."""

    __tablename__ = "idempotency_keys"

    account_id: uuid.UUID = Field(foreign_key="accounts.id", ondelete="CASCADE", primary_key=True)
    key_hash: str = Field(max_length=64, primary_key=True, description="SHA-256 of the key.")
    fingerprint: str = Field(max_length=64, description="SHA-256 of method, path and body.")
    status_code: int
    headers: dict[str, str] = Field(sa_column=Column(JSON, nullable=False))
    sealed_body: bytes = Field(
        sa_column=Column(LargeBinary, nullable=False),
        description="Nonce and AES-GCM ciphertext of the answer's body.",
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
